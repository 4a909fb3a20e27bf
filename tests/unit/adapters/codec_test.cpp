// What Redis stores: a work order, an event and a journal go to protobuf binary and come back
// the same, field for field; bytes that are not such a record, or name an enum value the domain
// does not know, are refused as corrupt rather than read as something else.
#include "adapters/codec.hpp"

#include <gtest/gtest.h>

#include "adapters/errors.hpp"
#include "halfhour/v1/halfhour.pb.h"

namespace halfhour::codec {
namespace {

using namespace std::chrono_literals;
namespace pb = halfhour::v1;

const sla::instant t0 = sla::from_ms(1'795'000'000'123);  // milliseconds on purpose

sla::clock running(sla::clock_kind kind, sla::duration limit) {
  sla::clock c;
  c.kind = kind;
  c.started = t0;
  c.limit = limit;
  c.deadline = t0 + limit;
  return c;
}

// A work order with every field set, each to something its default is not.
sla::work_order full_order() {
  sla::work_order wo;
  wo.id = "W03-000042";
  wo.source = sla::channel::wechat;
  wo.external_no = "wx-8812";
  wo.key = "wechat:wx-8812";
  wo.who = {"张先生", "13812345678"};
  wo.content = "3号楼502室厨房水管爆了";
  wo.address = "丹桂苑3号502";
  wo.reported_at = t0 - 5min;
  wo.accepted_at = t0;
  wo.cls = {sla::urgency::general,
            "door_lock",
            "门锁门禁对讲",
            {{"door_lock", {"门禁", "坏"}, "门禁坏"}, {"tone", {"不急"}, "语气"}},
            "先用钥匙",
            true};
  wo.where.to = sla::route::firm;
  wo.where.community_name = "丹桂苑";
  wo.where.committee = "凌四";
  wo.where.firm = "临客嘉物业";
  wo.where.reason = "小区名匹配";
  wo.where.candidates = {"丹桂苑", "金桂苑"};
  wo.where.building = "3";
  wo.where.room = "502";
  wo.state = sla::wo_state::on_site;
  wo.holder = "街道物业应急维修服务站";
  wo.responsible_firm = "临客嘉物业";
  wo.assignee = "13900000001";
  auto ack = running(sla::clock_kind::acknowledge, 15min);
  ack.stopped = t0 + 4min;
  auto contact = running(sla::clock_kind::contact, 30min);
  contact.breached = t0 + 30min + 3ms;
  contact.stopped = t0 + 41min;
  contact.warnings = 2;
  auto on_site = running(sla::clock_kind::on_site, 30min);
  on_site.retired = true;
  wo.clocks = {ack, contact, on_site, running(sla::clock_kind::completion, 72h)};
  wo.recent_requests = {"req-1", "req-2"};
  wo.photos = {"https://example.org/1.jpg"};
  wo.reported_position = sla::position{31.18, 121.51, 12.5};
  sla::linked_request l;
  l.key = "hotline:HL-7";
  l.source = sla::channel::hotline_12345;
  l.external_no = "HL-7";
  l.who = {"李女士", "13700000000"};
  l.content = "楼上漏水";
  l.address = "丹桂苑3号";
  l.photos = {"https://example.org/2.jpg"};
  l.at = t0 + 8min;
  l.why = "同一户";
  wo.linked = {l};
  wo.linked_more = 3;
  wo.linked_more_tickets = {"HL-9", "HL-11"};
  wo.redo_rounds = 1;
  wo.settled = sla::rating::basically_satisfied;
  wo.invites = {{"", 1, t0 + 50min, sla::rating::basically_satisfied, t0 + 70min, "还行"},
                {"hotline:HL-7", 1, t0 + 50min, std::nullopt, {}, ""}};
  return wo;
}

sla::event full_event() {
  sla::event e;
  e.kind = sla::event_kind::clock_breached;
  e.at = t0 + 30min + 3ms;
  e.actor = "王师傅";
  e.actor_id = "13900000001";
  e.organisation = "临客嘉物业";
  e.clock = sla::clock_kind::contact;
  e.deadline = t0 + 30min;
  e.late_ms = 3;
  e.on_recovery = true;
  e.note = "联系报修人超时（时限30分钟）";
  e.method = "电话";
  e.device_time = t0 + 29min;
  e.where = sla::position{31.2, 121.5, 8};
  return e;
}

TEST(codec, a_work_order_comes_back_field_for_field) {
  const auto wo = full_order();
  auto back = decode_work_order(encode_work_order(wo));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, wo);
}

TEST(codec, a_work_order_shown_to_a_reader_leaves_out_the_key_the_store_keeps) {
  const auto shown = render_work_order(full_order(), {}, format::json, {});
  EXPECT_EQ(shown.find("wechat:wx-8812"), std::string::npos);
  EXPECT_NE(shown.find("wx-8812"), std::string::npos) << "its number is shown";
}

TEST(codec, a_work_order_leaves_its_version_beside_the_record) {
  auto wo = full_order();
  wo.version = 17;
  auto back = decode_work_order(encode_work_order(wo));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->version, 0) << "the write script keeps the version; the record does not";
}

TEST(codec, a_fresh_work_order_with_nothing_optional_comes_back_without_it) {
  sla::work_order wo;
  wo.id = "W00-000001";
  wo.accepted_at = t0;
  auto back = decode_work_order(encode_work_order(wo));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, wo);
  EXPECT_FALSE(back->reported_at);
  EXPECT_FALSE(back->reported_position);
  EXPECT_EQ(back->linked_count(), 0u);
}

TEST(codec, instants_before_1970_keep_their_milliseconds) {
  auto wo = full_order();
  wo.accepted_at = sla::from_ms(-1);
  wo.reported_at = sla::from_ms(-1'001);
  auto back = decode_work_order(encode_work_order(wo));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->accepted_at, sla::from_ms(-1));
  EXPECT_EQ(back->reported_at, sla::from_ms(-1'001));
}

TEST(codec, an_event_comes_back_field_for_field) {
  const auto e = full_event();
  auto back = decode_event(encode_event(e));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, e);
}

TEST(codec, an_event_without_a_clock_comes_back_without_one) {
  sla::event e;
  e.kind = sla::event_kind::linked;
  e.at = t0;
  e.note = "再次反映同一事件";
  auto back = decode_event(encode_event(e));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, e);
  EXPECT_FALSE(back->clock);
  EXPECT_FALSE(back->deadline);
}

TEST(codec, every_event_kind_survives_the_round_trip) {
  for (int k = 0; k <= static_cast<int>(sla::event_kind::reply_refused); ++k) {
    sla::event e;
    e.kind = static_cast<sla::event_kind>(k);
    e.at = t0;
    auto back = decode_event(encode_event(e));
    ASSERT_TRUE(back) << k;
    EXPECT_EQ(back->kind, e.kind) << k;
  }
}

TEST(codec, a_journal_reads_back_its_events_and_the_notifications_owed) {
  const std::vector<sla::event> events{full_event(), sla::event{.kind = sla::event_kind::renotified, .at = t0 + 45min}};
  const std::vector<sla::notification> owed{
      {sla::recipient::centre, "建管中心", "breach", "W03-000042:contact:due0:centre:1", "【超时】…", ""},
      {sla::recipient::hotline, "12345", "breach", "W03-000042:contact:due0:hotline:1", "【超时】…", "HL-7"}};
  auto j = decode_journal(journal_append(events, owed));
  ASSERT_TRUE(j) << j.error().message();
  EXPECT_EQ(j->events, events);
  ASSERT_EQ(j->notices.size(), 2u);
  EXPECT_EQ(j->notices[0].key, owed[0].key);
  EXPECT_EQ(j->notices[0].recipient, "centre");
  EXPECT_EQ(j->notices[0].organisation, "建管中心");
  EXPECT_EQ(j->notices[0].kind, "breach");
  EXPECT_EQ(j->notices[0].status, "pending") << "owed, not yet settled";
  EXPECT_FALSE(j->notices[0].settled_at);
  EXPECT_EQ(j->notices[1].recipient, "hotline");
}

TEST(codec, a_journal_of_appended_writes_reads_as_one_with_the_last_settlement_holding) {
  // The stream holds each write's bytes one after another; protobuf reads concatenated messages
  // as one, so the journal is the appends in order.
  const std::string key = "W03-000042:contact:due0:centre:1";
  std::string bytes = journal_append({full_event()}, {{sla::recipient::centre, "建管中心", "breach", key, "…", ""}});
  bytes += journal_settlement("W03-000042", key, "dead: 404", t0 + 1min);
  bytes += journal_append({sla::event{.kind = sla::event_kind::renotified, .at = t0 + 45min}}, {});
  bytes += journal_settlement("W03-000042", key, "delivered", t0 + 2min);  // a retry that got through
  auto j = decode_journal(bytes);
  ASSERT_TRUE(j);
  ASSERT_EQ(j->events.size(), 2u);
  EXPECT_EQ(j->events[1].kind, sla::event_kind::renotified);
  ASSERT_EQ(j->notices.size(), 1u);
  EXPECT_EQ(j->notices[0].status, "delivered");
  EXPECT_EQ(j->notices[0].settled_at, t0 + 2min);
}

TEST(codec, a_settlement_is_kept_without_its_job_id_or_a_delivered_status_and_both_forms_read_alike) {
  const std::string key = "W03-000042:ack:due0:holder:1795000000000";
  const auto owed = journal_append({}, {{sla::recipient::holder, "临客嘉物业", "dispatch", key, "…", ""}});
  // As settlements were written before: the whole key, the status spelled out.
  pb::Journal before;
  auto* s = before.add_settled();
  s->set_key(key);
  s->set_status("delivered");
  s->mutable_settled_at()->set_seconds(1'795'000'060);  // t0 + 1min
  s->mutable_settled_at()->set_nanos(123'000'000);
  const auto old_form = before.SerializeAsString();
  const auto now = journal_settlement("W03-000042", key, "delivered", t0 + 1min);
  EXPECT_EQ(old_form.size() - now.size(),
            std::string_view("W03-000042:").size() + std::string_view("delivered").size() + 2)
      << "the id, the status and the status's tag and length left out";

  for (const auto* settled : {&old_form, &now}) {
    auto j = decode_journal(owed + *settled);
    ASSERT_TRUE(j);
    ASSERT_EQ(j->notices.size(), 1u);
    EXPECT_EQ(j->notices[0].key, key) << "the notice keeps its whole key";
    EXPECT_EQ(j->notices[0].status, "delivered");
    EXPECT_TRUE(j->notices[0].settled_at);
  }
  // A failure keeps its reason, and a key that names no job is kept whole.
  auto j = decode_journal(owed + journal_settlement("W03-000042", key, "dead: 404", t0));
  ASSERT_TRUE(j);
  EXPECT_EQ(journal_settlement("", "report:2026-11", "delivered", t0).find("report:2026-11"), 4u);
  EXPECT_EQ(j->notices[0].status, "dead: 404");
}

TEST(codec, an_empty_journal_is_empty_not_corrupt) {
  auto j = decode_journal("");
  ASSERT_TRUE(j);
  EXPECT_TRUE(j->events.empty());
  EXPECT_TRUE(j->notices.empty());
}

TEST(codec, bytes_that_are_no_record_are_refused_as_corrupt) {
  const std::string garbage = "\xff\xff\xff\xff\x0f not protobuf";
  ASSERT_FALSE(decode_work_order(garbage));
  EXPECT_EQ(decode_work_order(garbage).error(), make_error_code(errc::corrupt));
  EXPECT_EQ(decode_event(garbage).error(), make_error_code(errc::corrupt));
  EXPECT_EQ(decode_journal(garbage).error(), make_error_code(errc::corrupt));
}

TEST(codec, a_record_cut_short_is_refused) {
  const auto bytes = encode_work_order(full_order());
  EXPECT_EQ(decode_work_order(std::string_view(bytes).substr(0, bytes.size() / 2)).error(),
            make_error_code(errc::corrupt));
}

TEST(codec, a_work_order_naming_an_unknown_channel_or_state_is_refused) {
  pb::WorkOrder m;
  m.ParseFromString(encode_work_order(full_order()));
  auto bad_channel = m;
  bad_channel.set_channel(static_cast<pb::Channel::Value>(99));
  EXPECT_EQ(decode_work_order(bad_channel.SerializeAsString()).error(), make_error_code(errc::corrupt));
  auto no_channel = m;
  no_channel.set_channel(pb::Channel::UNSPECIFIED);
  EXPECT_EQ(decode_work_order(no_channel.SerializeAsString()).error(), make_error_code(errc::corrupt));
  auto bad_state = m;
  bad_state.set_state(static_cast<pb::State::Value>(42));
  EXPECT_EQ(decode_work_order(bad_state.SerializeAsString()).error(), make_error_code(errc::corrupt));
  auto bad_clock = m;
  bad_clock.mutable_clocks(0)->set_kind(pb::ClockKind::UNSPECIFIED);
  EXPECT_EQ(decode_work_order(bad_clock.SerializeAsString()).error(), make_error_code(errc::corrupt));
  auto bad_link = m;
  bad_link.mutable_linked(0)->set_channel(static_cast<pb::Channel::Value>(7));
  EXPECT_EQ(decode_work_order(bad_link.SerializeAsString()).error(), make_error_code(errc::corrupt));
}

TEST(codec, an_event_of_an_unknown_kind_is_refused_alone_and_inside_a_journal) {
  pb::Event m;
  m.ParseFromString(encode_event(full_event()));
  m.set_kind(static_cast<pb::EventKind::Value>(200));
  EXPECT_EQ(decode_event(m.SerializeAsString()).error(), make_error_code(errc::corrupt));
  pb::Journal j;
  *j.add_events() = m;
  EXPECT_EQ(decode_journal(j.SerializeAsString()).error(), make_error_code(errc::corrupt));
}

}  // namespace
}  // namespace halfhour::codec
