// The Redis layout without a server: key names and their slots, shards and ids, the members of
// the sorted sets both ways (the armed steps: redis_layout_steps_test.cpp), and what hand-built
// replies (well formed or not) mean to the stores.
#include "adapters/redis/layout.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "adapters/codec.hpp"
#include "adapters/errors.hpp"

namespace halfhour::redis::layout {
namespace {

using namespace std::chrono_literals;

const sla::instant t0 = sla::from_ms(1'795'000'000'000);

reply nil() { return {}; }
reply str(std::string s) { return {reply::kind::string, std::move(s), 0, {}}; }
reply num(long long n) { return {reply::kind::integer, {}, n, {}}; }
reply arr(std::vector<reply> e) { return {reply::kind::array, {}, 0, std::move(e)}; }
reply err(std::string s) { return {reply::kind::error, std::move(s), 0, {}}; }
reply status(std::string s) { return {reply::kind::status, std::move(s), 0, {}}; }

sla::work_order order(std::string id) {
  sla::intake in{sla::channel::hotline_12345, "HL-1", {"张", "13800000000"}, "水管爆了", "丹桂苑5号楼", {}};
  sla::classification c{sla::urgency::urgent, "burst_pipe", "水管爆裂水漫", {}, "", false};
  sla::resolution r;
  r.to = sla::route::firm;
  r.community_name = "丹桂苑";
  r.firm = "临客嘉物业";
  r.building = "5";
  r.room = "301";
  sla::ladder lad;
  lad.station = "街道物业应急维修服务站";
  return sla::accept(in, std::move(id), c, r, lad, sla::limits{}, t0).next;
}

bool same(const sla::member& a, const sla::member& b) {
  return a.id == b.id && a.name == b.name && a.organisation == b.organisation && a.kind == b.kind;
}

TEST(redis_layout, work_order_keys_carry_the_prefix_and_the_hash_tag_of_their_shard) {
  const keys k("hh");
  EXPECT_EQ(k.idempotency(7), "hh:{s07}:idem");
  EXPECT_EQ(k.deadlines(0), "hh:{s00}:dl");
  EXPECT_EQ(k.sequence(15), "hh:{s15}:seq");
  EXPECT_EQ(k.outbox(3), "hh:{s03}:outbox");
  EXPECT_EQ(k.dead_letters(3), "hh:{s03}:outbox:dead");
  EXPECT_EQ(k.accepted(12), "hh:{s12}:accepted");
  EXPECT_EQ(k.screened(1), "hh:{s01}:screened");
  EXPECT_EQ(k.open(2, "临客嘉物业"), "hh:{s02}:open:临客嘉物业");
  EXPECT_EQ(k.near(2, "丹桂苑"), "hh:{s02}:near:丹桂苑");
  EXPECT_EQ(k.once(4, "report:2026-10"), "hh:{s04}:once:report:2026-10");
  EXPECT_EQ(k.order("W07-000123"), "hh:{s07}:wo:3") << "the bucket of ids 96 to 127";
  EXPECT_EQ(k.order("W07-000031"), "hh:{s07}:wo:0");
  EXPECT_EQ(k.order(7, "W07-000123"), k.order("W07-000123"));
  EXPECT_EQ(k.older_order("W07-000123"), "hh:{s07}:wo:W07-000123");
  EXPECT_EQ(k.older_journal("W07-000123"), "hh:{s07}:wo:W07-000123:h");
  EXPECT_EQ(k.lease("dup:丹桂苑"), "hh:{lease}:dup:丹桂苑");
  EXPECT_EQ(k.mark(), "hh:layout");
  EXPECT_EQ(keys("test").outbox(9), "test:{s09}:outbox");
}

TEST(redis_layout, member_and_session_keys_share_one_slot_and_an_unknown_address_is_one_address) {
  const keys k("hh");
  EXPECT_EQ(k.member("13800000000"), "hh:{auth}:member:13800000000");
  EXPECT_EQ(k.session("ab12"), "hh:{auth}:session:ab12");
  EXPECT_EQ(k.session(""), "hh:{auth}:session:");
  EXPECT_EQ(k.sessions("13800000000"), "hh:{auth}:sessions:13800000000");
  EXPECT_EQ(k.phone_attempts("13800000000"), "hh:{auth}:fail:13800000000");
  EXPECT_EQ(k.address_attempts("10.0.0.1"), "hh:{auth}:from:10.0.0.1");
  EXPECT_EQ(k.address_attempts(""), "hh:{auth}:from:unknown");
}

TEST(redis_layout, a_key_s_shard_is_fixed_across_builds_and_keys_spread_over_all_shards) {
  // FNV-1a values: a change here would move every stored key to another shard.
  EXPECT_EQ(shard_of("12345:A"), 5);
  EXPECT_EQ(shard_of("wechat:m1"), 13);
  EXPECT_EQ(shard_of("丹桂苑"), 11);
  EXPECT_EQ(shard_of(""), 5);
  std::set<int> seen;
  for (int i = 0; i < 1000; ++i) {
    const int s = shard_of("12345:T" + std::to_string(i));
    ASSERT_GE(s, 0);
    ASSERT_LT(s, shard_count);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(shard_count));
}

TEST(redis_layout, an_id_names_its_shard_and_nothing_else_passes_for_an_id) {
  EXPECT_EQ(id_of(7, 123), "W07-000123");
  EXPECT_EQ(id_of(3, 1234567), "W03-1234567");
  EXPECT_EQ(shard_of_id(id_of(7, 123)), 7);
  EXPECT_EQ(shard_of_id(id_of(3, 1234567)), 3);
  EXPECT_EQ(shard_of_id("W15-000000000001"), 15);  // twelve digits
  for (const char* bad :
       {"", "W07-00012", "W07-0000000000001", "W16-000001", "W99-000001", "w07-000123", "W07_000123", "W0a-000123",
        "W07-00012x", " W07-000123", "W07-000123 ", "W７-000123", "W07-", "X07-000123", "W-07-00012"})
    EXPECT_EQ(shard_of_id(bad), -1) << bad;
}

TEST(redis_layout, an_id_block_hands_out_the_ids_its_counter_reserved_then_runs_dry) {
  id_range b;
  EXPECT_TRUE(b.empty());
  b = block_ending_at(id_block);
  std::vector<long long> taken;
  while (!b.empty()) taken.push_back(b.take());
  ASSERT_EQ(taken.size(), static_cast<std::size_t>(id_block));
  EXPECT_EQ(taken.front(), 1);
  EXPECT_EQ(taken.back(), id_block);
  b = block_ending_at(3 * id_block);  // another engine took the block between
  EXPECT_EQ(b.take(), 2 * id_block + 1);
}

TEST(redis_layout, a_recent_job_entry_reads_back_as_the_job_it_was_written_for) {
  const auto wo = order("W07-000123");
  const auto m = near_member(wo);
  EXPECT_EQ(m,
            "123\x1f"
            "burst_pipe\x1fu\x1f"
            "5\x1f"
            "301")
      << "the id's number: the shard is in the set's name";
  auto back = parse_near_member(m, 7);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, (sla::recent_job{"W07-000123", "burst_pipe", sla::urgency::urgent, "5", "301"}));
  // An entry of layout 4 holds the whole id.
  auto general = parse_near_member(
      "W07-000124\x1f"
      "door_lock\x1fg\x1f\x1f",
      7);
  ASSERT_TRUE(general);
  EXPECT_EQ(*general, (sla::recent_job{"W07-000124", "door_lock", sla::urgency::general, "", ""}));
  EXPECT_FALSE(
      parse_near_member("W08-000124\x1f"
                        "door_lock\x1fg\x1f\x1f",
                        7))
      << "another shard's job";
  EXPECT_FALSE(
      parse_near_member("123\x1f"
                        "burst_pipe\x1fu\x1f"
                        "5",
                        7));
  EXPECT_FALSE(
      parse_near_member("123\x1f"
                        "burst_pipe\x1fu\x1f"
                        "5\x1f"
                        "301\x1fmore",
                        7));
  EXPECT_FALSE(
      parse_near_member("x\x1f"
                        "burst_pipe\x1fu\x1f"
                        "5\x1f"
                        "301",
                        7));
  EXPECT_FALSE(parse_near_member("", 7));
}

TEST(redis_layout, error_replies_are_unavailable_while_redis_loads_or_fails_over_and_rejected_otherwise) {
  EXPECT_EQ(error_of(err("LOADING Redis is loading the dataset in memory")), errc::unavailable);
  EXPECT_EQ(error_of(err("MASTERDOWN Link with MASTER is down")), errc::unavailable);
  EXPECT_EQ(error_of(err("READONLY You can't write against a read only replica.")), errc::unavailable);
  EXPECT_EQ(error_of(err("ERR unknown command")), errc::rejected);
  EXPECT_EQ(error_of(str("not what was asked")), errc::rejected);
  EXPECT_TRUE(ok_of(status("OK")));
  EXPECT_TRUE(ok_of(nil()));
  EXPECT_EQ(ok_of(err("LOADING")).error(), errc::unavailable);
  EXPECT_EQ(*counter_of(num(64)), 64);
  EXPECT_EQ(counter_of(str("64")).error(), errc::rejected);
}

TEST(redis_layout, the_create_script_says_whether_it_wrote_or_which_work_order_the_key_names) {
  auto wrote = created_of(arr({num(1), str("W07-000123")}));
  ASSERT_TRUE(wrote);
  EXPECT_TRUE(wrote->created);
  auto known = created_of(arr({num(0), str("W07-000009")}));
  ASSERT_TRUE(known);
  EXPECT_FALSE(known->created);
  EXPECT_EQ(known->id, "W07-000009");
  EXPECT_EQ(created_of(err("ERR id already in use")).error(), errc::rejected);
  EXPECT_EQ(created_of(err("READONLY replica")).error(), errc::unavailable);
  EXPECT_EQ(created_of(arr({num(1)})).error(), errc::rejected);
  EXPECT_EQ(created_of(str("W07-000123")).error(), errc::rejected);
}

TEST(redis_layout, the_create_script_names_the_short_code_it_gave) {
  auto wrote = created_of(arr({num(1), str("W07-000123"), str("1015")}));
  ASSERT_TRUE(wrote);
  EXPECT_EQ(wrote->short_code, "1015");
  EXPECT_EQ(code_holder_of(str("W07-000123")).value(), std::optional<std::string>("W07-000123"));
  EXPECT_FALSE(code_holder_of(nil()).value());
  EXPECT_EQ(code_holder_of(err("LOADING")).error(), errc::unavailable);
}

TEST(redis_layout, a_short_code_names_its_shard) {
  EXPECT_EQ(shard_of_code("1008"), 0);
  EXPECT_EQ(shard_of_code("1015"), 7);
  EXPECT_EQ(shard_of_code("999999"), 15);
  EXPECT_EQ(shard_of_code(std::to_string(code_first + 16 * (code_span - 1) + 15)), 15);
  EXPECT_LE(code_first + 16 * (code_span - 1) + 15, 999999);
  EXPECT_EQ(shard_of_code("1007"), -1);  // below the first code
  EXPECT_EQ(shard_of_code("0123"), -1);
  EXPECT_EQ(shard_of_code("123"), -1);
  EXPECT_EQ(shard_of_code("1234567"), -1);
  EXPECT_EQ(shard_of_code("12a4"), -1);
  keys k("hh");
  EXPECT_EQ(k.codes(7), "hh:{s07}:codes");
  EXPECT_EQ(k.code_sequence(7), "hh:{s07}:codeseq");
}

// buckets.lua names the same buckets: the store's tests write with it and read with these.
TEST(redis_layout, ids_and_short_codes_fall_into_buckets_of_128_by_their_number_in_the_shard) {
  keys k("hh");
  EXPECT_EQ(k.steps_bucket(7, 0), "hh:{s07}:steps:0");
  EXPECT_EQ(number_of_id("W07-000127") / bucket_size, 0);
  EXPECT_EQ(number_of_id("W07-000128") / bucket_size, 1);
  EXPECT_EQ(number_of_id("W03-1234567"), 1234567);
  EXPECT_EQ(number_of_id("W99-000001"), -1);
  EXPECT_EQ(k.code_bucket(7, "1015"), "hh:{s07}:codes:0");  // the shard's first code
  EXPECT_EQ(k.code_bucket(7, std::to_string(code_first + 16 * 127 + 7)), "hh:{s07}:codes:0");
  EXPECT_EQ(k.code_bucket(7, std::to_string(code_first + 16 * 128 + 7)), "hh:{s07}:codes:1");
  EXPECT_EQ(k.code_bucket(15, "999999"), fmt::format("hh:{{s15}}:codes:{}", (code_span - 1) / bucket_size));
  EXPECT_EQ(k.codes_held(7), "hh:{s07}:codes:held");
}

TEST(redis_layout, an_idempotency_key_falls_into_a_bucket_of_its_own_shard_by_its_hash) {
  keys k("hh");
  // FNV-1a of "12345:1" is 0xd9911dd5: shard 0x5, bucket (0xd9911dd5 >> 4) % 1024 = 477.
  EXPECT_EQ(shard_of("12345:1"), 5);
  EXPECT_EQ(k.idempotency_bucket("12345:1"), "hh:{s05}:idem:477");
  for (const char* key : {"12345:42", "walkin:凌四:F7", ""})
    EXPECT_TRUE(k.idempotency_bucket(key).starts_with(fmt::format("hh:{{s{:02}}}:idem:", shard_of(key)))) << key;
}

TEST(redis_layout, the_apply_script_answers_a_version_a_conflict_a_stale_step_or_no_such_order) {
  EXPECT_EQ(*applied_of(arr({num(1), num(5)})), 5);
  EXPECT_EQ(applied_of(arr({num(0), num(4)})).error(), errc::conflict);
  EXPECT_EQ(applied_of(arr({num(-2), num(0)})).error(), errc::stale);
  EXPECT_EQ(applied_of(arr({num(-1), num(0)})).error(), errc::not_found);
  EXPECT_EQ(applied_of(status("OK")).error(), errc::rejected);
  EXPECT_EQ(applied_of(err("MASTERDOWN")).error(), errc::unavailable);
}

// A work order's string as the scripts write it (journal.lua).
std::string joined(long long version, const std::string& record, const std::string& journal = "") {
  return std::to_string(version) + ":" + std::to_string(record.size()) + "|" + record + journal;
}

TEST(redis_layout, a_record_and_its_journal_read_back_as_the_work_order_at_its_version_with_its_history) {
  auto wo = order("W07-000123");
  std::vector<sla::event> events{{sla::event_kind::accepted, t0}, {sla::event_kind::routed, t0}};
  std::vector<sla::notification> owed{{sla::recipient::holder, "临客嘉物业", "dispatch", "k1", "新工单", ""}};
  const auto value = str(joined(3, codec::encode_work_order(wo), codec::journal_append(events, owed)));
  auto read = order_of(value, true);
  ASSERT_TRUE(read) << read.error().message();
  wo.version = 3;
  EXPECT_EQ(read->wo, wo);
  EXPECT_EQ(read->history, events);
  ASSERT_EQ(read->notices.size(), 1u);
  EXPECT_EQ(read->notices[0].key, "k1");
  EXPECT_EQ(read->notices[0].status, "pending");
  auto bare = order_of(str(joined(3, codec::encode_work_order(wo))), true);
  ASSERT_TRUE(bare);
  EXPECT_TRUE(bare->history.empty());
  auto without = order_of(value, false);
  ASSERT_TRUE(without);
  EXPECT_EQ(without->wo, wo);
  EXPECT_TRUE(without->history.empty());
}

TEST(redis_layout, a_work_orders_string_splits_into_its_version_record_and_journal) {
  auto parts = split_order("12:3|abcdef");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->version, 12);
  EXPECT_EQ(parts->record, "abc");
  EXPECT_EQ(parts->journal, "def");
  ASSERT_TRUE(split_order("1:0|"));
  EXPECT_EQ(split_order("1:0|")->record, "");
  // The record of a layout before (no length), a length past the end, and no numbers.
  for (const char* bad : {"3|abc", "3:4|abc", "x:1|a", "3:x|a", "3:1a|a", ":1|a", "3:|a", "", "3:1"})
    EXPECT_EQ(split_order(bad).error(), errc::corrupt) << bad;
}

TEST(redis_layout, a_missing_damaged_or_refused_record_is_an_error_of_its_own) {
  const auto pb = codec::encode_work_order(order("W07-000123"));
  EXPECT_EQ(order_of(nil(), false).error(), errc::not_found);
  EXPECT_EQ(order_of(str(pb), false).error(), errc::corrupt);         // no version
  EXPECT_EQ(order_of(str("3|" + pb), false).error(), errc::corrupt);  // a layout before's
  EXPECT_EQ(order_of(str("x:1|" + pb), false).error(), errc::corrupt);
  EXPECT_FALSE(order_of(str(joined(3, "not protobuf")), false));
  EXPECT_FALSE(order_of(str(joined(3, pb, "not a journal")), true));
  EXPECT_EQ(order_of(err("LOADING"), false).error(), errc::unavailable);
  EXPECT_EQ(order_of(err("ERR wrong type"), true).error(), errc::rejected);
}

TEST(redis_layout, many_records_skip_the_ones_gone_meanwhile_but_not_a_damaged_one) {
  const auto pb = codec::encode_work_order(order("W07-000123"));
  auto two = orders_of({str(joined(1, pb)), nil(), str(joined(2, pb, "journal bytes, not read"))});
  ASSERT_TRUE(two);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].version, 2);
  EXPECT_EQ(orders_of({str(joined(1, pb)), str("damaged")}).error(), errc::corrupt);
  EXPECT_EQ(orders_of({err("ERR")}).error(), errc::rejected);

  std::vector<stored_order> out;
  const auto history = codec::journal_append({{sla::event_kind::accepted, t0}}, {});
  ASSERT_TRUE(histories_of({str(joined(1, pb, history)), nil(), str(joined(2, pb))}, out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].history.size(), 1u);
  EXPECT_TRUE(out[1].history.empty());
  EXPECT_EQ(histories_of({str(joined(1, pb)), err("READONLY")}, out).error(), errc::unavailable);
}

TEST(redis_layout, sets_from_every_shard_come_together_and_the_oldest_first_within_the_limit) {
  auto all = members_of({arr({str("W00-000001")}), arr({}), arr({str("W02-000001"), str("W02-000002")})});
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, (std::vector<std::string>{"W00-000001", "W02-000001", "W02-000002"}));
  EXPECT_EQ(members_of({arr({}), err("ERR")}).error(), errc::rejected);

  std::vector<reply> scored{arr({str("W00-000001"), str("300"), str("W00-000002"), str("500")}),
                            arr({str("W01-000001"), str("100"), str("W01-000002"), str("400")})};
  EXPECT_EQ(*oldest_of(scored, 3), (std::vector<std::string>{"W01-000001", "W00-000001", "W01-000002"}));
  EXPECT_EQ(oldest_of(scored, 10)->size(), 4u);
  EXPECT_EQ(oldest_of({nil()}, 3).error(), errc::rejected);
}

TEST(redis_layout, a_search_page_reads_newest_first_after_its_cursor_and_keeps_a_tie_read_twice_once) {
  // Shard 0's older entries, then its ties with the cursor's moment; shard 1's likewise.
  std::vector<reply> sets{arr({str("W00-000002"), str("400"), str("W00-000001"), str("300")}),
                          arr({str("W00-000009"), str("500"), str("W00-000003"), str("500")}),
                          arr({str("W01-000002"), str("300")}),
                          arr({str("W01-000009"), str("500"), str("W01-000001"), str("500")})};
  const sla::index_position below{sla::from_ms(500), "W01-000009"};  // the last page ended here
  auto page = newest_of(sets, below, 4);
  ASSERT_TRUE(page);
  std::vector<std::string> ids;
  for (const auto& p : *page) ids.push_back(p.id);
  // The cursor's own moment first, by id descending, without the cursor; then older moments.
  EXPECT_EQ(ids, (std::vector<std::string>{"W01-000001", "W00-000009", "W00-000003", "W00-000002"}));
  EXPECT_EQ((*page)[3].at, sla::from_ms(400));
  sets.push_back(arr({str("W01-000002"), str("300")}));  // read twice: kept once
  EXPECT_EQ(newest_of(sets, below, 10)->size(), 6u);
  EXPECT_EQ(newest_of({err("LOADING")}, below, 3).error(), errc::unavailable);
}

TEST(redis_layout, a_community_s_recent_jobs_skip_entries_that_do_not_read) {
  std::vector<reply> sets(8, arr({}));
  sets[7] = arr({str(near_member(order("W07-000123"))), str("W07-000124")});
  sets[3] = arr({str(near_member(order("W03-000009")))});
  auto jobs = recent_jobs_of(sets, "丹桂苑");
  ASSERT_TRUE(jobs);
  ASSERT_EQ(jobs->size(), 2u);
  EXPECT_EQ((*jobs)[0].id, "W03-000009") << "each set's entries named in its own shard";
  EXPECT_EQ((*jobs)[1].id, "W07-000123");
  EXPECT_EQ(recent_jobs_of({err("LOADING")}, "丹桂苑").error(), errc::unavailable);
}

TEST(redis_layout, an_idempotency_key_names_a_work_order_or_a_screened_message_with_its_reason) {
  EXPECT_EQ(known_of("W07-000123").id, "W07-000123");
  EXPECT_FALSE(known_of("W07-000123").screened);
  const auto screened = known_of("screened|致谢或闲聊");
  EXPECT_TRUE(screened.screened);
  EXPECT_EQ(screened.reason, "致谢或闲聊");
  EXPECT_TRUE(screened.id.empty());

  EXPECT_FALSE(*lookup_of(nil()));
  EXPECT_EQ(lookup_of(str("W07-000123"))->value().id, "W07-000123");
  EXPECT_EQ(lookup_of(err("ERR")).error(), errc::rejected);
  EXPECT_TRUE(screened_of(str("screened|x"))->screened);
  EXPECT_EQ(screened_of(nil()).error(), errc::rejected);
  EXPECT_EQ(*remembered_of(str("W07-000123")), "W07-000123");
  EXPECT_EQ(remembered_of(nil()).error(), errc::rejected);
}

TEST(redis_layout, a_lease_is_held_when_redis_said_ok_and_not_when_it_said_nothing) {
  EXPECT_TRUE(*lease_of(status("OK")));
  EXPECT_FALSE(*lease_of(nil()));
  EXPECT_EQ(lease_of(err("READONLY")).error(), errc::unavailable);
}

TEST(redis_layout, a_store_of_another_layout_is_refused_and_an_unmarked_one_is_to_be_marked) {
  std::vector<reply> fresh{nil()};
  for (int s = 0; s < shard_count; ++s) fresh.push_back(status("none"));
  EXPECT_TRUE(*unmarked_of(fresh));
  auto ours = fresh;
  ours[0] = str(std::string(version));
  EXPECT_FALSE(*unmarked_of(ours));
  for (const char* before : {"2", "3", "4", "5"}) {
    auto older = fresh;
    older[0] = str(before);
    EXPECT_TRUE(*unmarked_of(older)) << "layout " << before << " is taken over and marked anew";
  }
  auto other = fresh;
  other[0] = str("7");
  EXPECT_EQ(unmarked_of(other).error(), errc::incompatible);
  auto layout_1 = fresh;
  layout_1[5] = status("hash");
  EXPECT_EQ(unmarked_of(layout_1).error(), errc::incompatible);
  auto loading = fresh;
  loading[0] = err("LOADING");
  EXPECT_EQ(unmarked_of(loading).error(), errc::unavailable);
  EXPECT_EQ(unmarked_of({}).error(), errc::rejected);
}

reply stream_entry(std::string id, std::string key) {
  return arr({str(std::move(id)), arr({str("key"), str(std::move(key)), str("to"), str("holder"), str("org"),
                                       str("临客嘉物业"), str("kind"), str("dispatch"), str("wo"), str("W03-000001"),
                                       str("text"), str("新工单"), str("ref"), str("HL-1"), str("extra"), str("x")})});
}

TEST(redis_layout, an_outbox_entry_reads_every_field_and_its_shard_from_where_it_was_read) {
  auto e = entry_of(3, stream_entry("1-0", "k1"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->shard, 3);
  EXPECT_EQ(e->stream_id, "1-0");
  EXPECT_EQ(e->key, "k1");
  EXPECT_EQ(e->to, "holder");
  EXPECT_EQ(e->organisation, "临客嘉物业");
  EXPECT_EQ(e->kind, "dispatch");
  EXPECT_EQ(e->work_order, "W03-000001");
  EXPECT_EQ(e->text, "新工单");
  EXPECT_EQ(e->ref, "HL-1");
  EXPECT_FALSE(entry_of(3, arr({str("1-0"), nil()})));  // deleted meanwhile
  EXPECT_FALSE(entry_of(3, str("1-0")));

  std::vector<reply> read(shard_count);  // nil: nothing new
  read[3] = arr({arr({str("hh:{s03}:outbox"), arr({stream_entry("1-0", "k1"), stream_entry("2-0", "k2")})})});
  read[9] = arr({arr({str("hh:{s09}:outbox")})});  // malformed: skipped
  auto fresh = new_entries_of(read);
  ASSERT_TRUE(fresh);
  ASSERT_EQ(fresh->size(), 2u);
  EXPECT_EQ((*fresh)[1].key, "k2");
  EXPECT_EQ((*fresh)[1].shard, 3);
  read[0] = err("NOGROUP");
  EXPECT_EQ(new_entries_of(read).error(), errc::rejected);

  std::vector<reply> claimed(shard_count);
  claimed[5] = arr({str("0-0"), arr({stream_entry("4-0", "k4"), arr({str("5-0"), nil()})}), arr({})});
  claimed[6] = err("NOGROUP");  // skipped: another shard's failure does not hold these back
  auto stale = claimed_entries_of(claimed);
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0].shard, 5);
  EXPECT_EQ(stale[0].key, "k4");
}

TEST(redis_layout, consumer_groups_that_exist_already_are_no_error) {
  EXPECT_TRUE(groups_of({status("OK"), err("BUSYGROUP Consumer Group name already exists")}));
  EXPECT_EQ(groups_of({status("OK"), err("WRONGTYPE")}).error(), errc::rejected);
  EXPECT_TRUE(*posted_of(num(1)));
  EXPECT_FALSE(*posted_of(num(0)));
  EXPECT_EQ(posted_of(err("ERR")).error(), errc::rejected);
}

TEST(redis_layout, a_member_reads_back_with_its_code_and_a_damaged_one_reads_as_nobody) {
  auto m = found_member_of("13800000000", arr({str("王师傅"), str("临客嘉物业"), str("crew"), str("c0de"),
                                               str(std::to_string(sla::to_ms(t0)))}));
  ASSERT_TRUE(m);
  EXPECT_TRUE(same(m->member, {"13800000000", "王师傅", "临客嘉物业", sla::role::crew}));
  EXPECT_EQ(m->code_hash, "c0de");
  EXPECT_EQ(m->code_expires, t0);
  auto used = found_member_of("13800000000", arr({str("王"), str("站"), str("station"), nil(), str("0")}));
  ASSERT_TRUE(used);
  EXPECT_EQ(used->member.kind, sla::role::station);
  EXPECT_TRUE(used->code_hash.empty());
  EXPECT_FALSE(used->code_expires);
  EXPECT_FALSE(found_member_of("1", arr({nil(), nil(), nil(), nil(), nil()})));  // no such member
  EXPECT_FALSE(found_member_of("1", arr({str("王"), str("站"), str("king"), nil(), nil()})));
  EXPECT_FALSE(found_member_of("1", arr({str("王"), str("站"), str("crew"), nil(), str("soon")})));
  EXPECT_FALSE(found_member_of("1", arr({str("王"), str("站"), str("crew")})));
  EXPECT_FALSE(found_member_of("1", err("ERR")));
}

TEST(redis_layout, a_login_attempt_carries_both_counts_and_the_member_if_there_is_one) {
  auto a = attempt_of("13800000000",
                      arr({num(3), num(1), str("王师傅"), str("临客嘉物业"), str("manager"), str("c0de"), str("0")}));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->phone_attempts, 3);
  EXPECT_EQ(a->address_attempts, 1);
  ASSERT_TRUE(a->member);
  EXPECT_EQ(a->member->member.kind, sla::role::manager);
  EXPECT_EQ(a->member->code_hash, "c0de");
  auto nobody = attempt_of("1", arr({num(1), num(1), nil(), nil(), nil(), nil(), nil()}));
  ASSERT_TRUE(nobody);
  EXPECT_FALSE(nobody->member);
  EXPECT_EQ(attempt_of("1", arr({num(1), num(1), nil(), nil(), nil(), nil()})).error(), errc::rejected);
  EXPECT_EQ(attempt_of("1", arr({str("1"), num(1), nil(), nil(), nil(), nil(), nil()})).error(), errc::rejected);
}

TEST(redis_layout, a_session_names_its_member_and_identity_script_errors_are_all_rejections) {
  auto s = session_of(arr({str("王师傅"), str("临客嘉物业"), str("crew"), str("13800000000")}));
  ASSERT_TRUE(s);
  EXPECT_TRUE(same(*s, {"13800000000", "王师傅", "临客嘉物业", sla::role::crew}));
  EXPECT_FALSE(session_of(arr({nil(), nil(), nil(), nil()})));  // expired
  EXPECT_FALSE(session_of(arr({str("王"), str("站"), str("nobody"), str("1")})));
  EXPECT_FALSE(session_of(nil()));
  EXPECT_TRUE(written_of(num(1)));
  EXPECT_EQ(written_of(err("LOADING")).error(), errc::rejected);
}

}  // namespace
}  // namespace halfhour::redis::layout

namespace halfhour::redis::layout {
namespace {

TEST(redis_layout, a_records_bytes_go_to_the_archive_as_stored_with_their_version_apart) {
  std::vector<archived_order> out;
  const std::vector<std::string> ids{"W01-000001", "W02-000002", "W03-000003"};
  ASSERT_TRUE(raw_orders_of({str("7:5|\x0a\x03"
                                 "abcjournal"),
                             nil(), str("2:1|x")},
                            ids, out));
  ASSERT_EQ(out.size(), 2u) << "one gone meanwhile is skipped";
  EXPECT_EQ(out[0].id, "W01-000001");
  EXPECT_EQ(out[0].version, 7);
  EXPECT_EQ(out[0].order,
            "\x0a\x03"
            "abc");
  EXPECT_EQ(out[0].journal, "journal");
  EXPECT_EQ(out[1].stamp(), (sla::copy_stamp{"W03-000003", 2, 0}));
  EXPECT_EQ(raw_orders_of({str("no version here")}, ids, out).error(), errc::corrupt);
  EXPECT_EQ(raw_orders_of({err("LOADING Redis is loading")}, ids, out).error(), errc::unavailable);
}

TEST(redis_layout, a_job_retired_now_or_before_is_out_and_one_that_moved_on_stays) {
  EXPECT_TRUE(*retired_of(num(1)));
  EXPECT_TRUE(*retired_of(num(-1)));
  EXPECT_FALSE(*retired_of(num(0)));
  EXPECT_FALSE(retired_of(err("ERR boom")));
}

}  // namespace
}  // namespace halfhour::redis::layout
