// Records packed with the shipped dictionary: smaller, the same bytes back, older plain records
// still read, and damage an error rather than a crash or a wrong record.
#include "adapters/record_packing.hpp"

#include <gtest/gtest.h>

#include <map>

#include "adapters/codec.hpp"
#include "adapters/crypto.hpp"
#include "adapters/errors.hpp"

namespace halfhour::packing {
namespace {

using namespace std::chrono_literals;

// A short complaint as a hotline ticket brings it, classified and routed.
std::string a_record() {
  sla::work_order wo;
  wo.id = "W07-000123";
  wo.source = sla::channel::hotline_12345;
  wo.external_no = "SH2612050042";
  wo.key = "12345:SH2612050042";
  wo.who = {"陈女士", "13912345678"};
  wo.content = "来电人反映家中卫生间顶上漏水，楼上邻居家没人，水一直往下滴，请物业尽快派人查看处理。";
  wo.address = "丹桂苑3号楼502室";
  wo.accepted_at = sla::from_ms(1'796'448'189'559);
  wo.cls = {sla::urgency::general, "water_leak", "漏水", {}, "", false};
  wo.where.to = sla::route::firm;
  wo.where.community_name = "丹桂苑";
  wo.where.committee = "凌四";
  wo.where.firm = "临客嘉物业";
  wo.where.reason = "地址匹配“丹桂苑”，由临客嘉物业负责";
  wo.holder = "临客嘉物业";
  sla::clock contact;
  contact.kind = sla::clock_kind::contact;
  contact.started = wo.accepted_at;
  contact.limit = 30min;
  contact.deadline = wo.accepted_at + 30min;
  wo.clocks = {contact};
  return codec::encode_work_order(wo);
}

TEST(record_packing, a_record_packs_to_under_half_and_comes_back_byte_for_byte) {
  const auto plain = a_record();
  const auto packed = pack_record(plain);
  EXPECT_LT(packed.size(), plain.size() / 2) << plain.size() << " -> " << packed.size();
  auto back = unpack_record(packed);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, plain);
}

TEST(record_packing, a_field_the_create_script_appends_after_the_frame_is_part_of_the_record) {
  // As create.lua does: WorkOrder.short_code (field 25) serialized onto the end.
  const std::string code = std::string("\xca\x01", 2) + '\x04' + "1234";
  auto back = unpack_record(pack_record(a_record()) + code);
  ASSERT_TRUE(back);
  auto wo = codec::decode_work_order(*back);
  ASSERT_TRUE(wo);
  EXPECT_EQ(wo->short_code, "1234");
  EXPECT_EQ(wo->content.substr(0, 9), "来电人");
}

TEST(record_packing, a_plain_record_from_before_packing_reads_as_it_is) {
  const auto plain = a_record();
  auto back = unpack_record(plain);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, plain);
}

TEST(record_packing, a_damaged_or_cut_frame_is_corrupt) {
  auto packed = pack_record(a_record());
  auto flipped = packed;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x5a);
  auto damaged = unpack_record(flipped);
  // zstd finds most damage itself; what it cannot find, the protobuf decoder or the record's
  // fields do. Either way no garbage of the right length passes as the record.
  if (damaged) EXPECT_NE(*damaged, a_record());
  EXPECT_EQ(unpack_record(packed.substr(0, packed.size() - 3)).error(), make_error_code(errc::corrupt));
  EXPECT_EQ(unpack_record(packed.substr(0, 6)).error(), make_error_code(errc::corrupt));
}

TEST(record_packing, a_frame_naming_a_dictionary_this_binary_lacks_is_corrupt) {
  auto packed = pack_record(a_record());
  // The frame header: magic (4), descriptor (1), window (1), then the dictionary id (4, LE).
  ASSERT_EQ(packed[4] & 3, 3) << "a four-byte dictionary id";
  packed[6 + 2] = static_cast<char>(packed[6 + 2] ^ 1);
  EXPECT_EQ(unpack_record(packed).error(), make_error_code(errc::corrupt));
}

sla::event breached_at(sla::instant at) {
  sla::event e;
  e.kind = sla::event_kind::clock_breached;
  e.at = at;
  e.organisation = "临客嘉物业";
  e.clock = sla::clock_kind::contact;
  e.note = "联系报修人超时（时限30分钟）";
  return e;
}

TEST(record_packing, a_journal_reads_its_plain_parts_then_its_packed_ones_in_order_with_settlements_applied) {
  const auto t = sla::from_ms(1'796'448'189'559);
  sla::notification owed{
      sla::recipient::holder, "临客嘉物业", "breach", "W07-000123:breach:1", "【东明路街道】工单超时", ""};
  // Written before packing, then two parts packed, then the sender's settlement (plain).
  const auto journal = codec::journal_append({breached_at(t)}, {}) +
                       pack_journal_part(codec::journal_append({breached_at(t + 1min)}, {owed})) +
                       pack_journal_part(codec::journal_append({breached_at(t + 2min)}, {})) +
                       codec::journal_settlement("W07-000123", owed.key, "delivered", t + 3min);
  auto j = codec::decode_journal(journal);
  ASSERT_TRUE(j) << j.error().message();
  ASSERT_EQ(j->events.size(), 3u);
  EXPECT_EQ(j->events[0].at, t);
  EXPECT_EQ(j->events[1].at, t + 1min);
  EXPECT_EQ(j->events[2].at, t + 2min);
  ASSERT_EQ(j->notices.size(), 1u);
  EXPECT_EQ(j->notices[0].status, "delivered");

  const auto part = codec::journal_append({breached_at(t)}, {owed});
  EXPECT_LT(pack_journal_part(part).size(), part.size()) << "smaller packed, frame and tag included";
  EXPECT_EQ(pack_journal_part(codec::journal_append({}, {})), "") << "a write with nothing to add adds nothing";
  auto cut = pack_journal_part(part);
  cut.resize(cut.size() - 2);
  EXPECT_FALSE(codec::decode_journal(cut)) << "a damaged part is an error, not a shorter history";
}

// Records in Redis and in archive parts are packed with these bytes: a dictionary once shipped
// is never changed (a new one gets a new id and file; this list only grows).
TEST(record_packing, the_shipped_dictionaries_never_change) {
  std::map<unsigned, std::string> sums;
  for (const auto& d : detail::embedded_dictionaries()) sums[d.id] = crypto::sha256_hex(d.bytes);
  EXPECT_EQ(sums, (std::map<unsigned, std::string>{
                      {1212678145u, "4793188290d82edb177eab9d5d4a0b64cf048dfe6b8512e85903ee0645e0b3d9"},
                      {1212809217u, "b6d6f9a9915df4f34c7811662554dde1612343e1e68e61856f7fb4b9c55f4845"}}));
  EXPECT_EQ(packing_dictionary(), 1212678145u);
  EXPECT_EQ(journal_dictionary(), 1212809217u);
}

}  // namespace
}  // namespace halfhour::packing
