// The Redis store against a real redis-server: atomic create with idempotency, optimistic
// apply, deadlines in the sorted set, and fail-fast while Redis is away.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "adapters/codec.hpp"
#include "adapters/errors.hpp"
#include "adapters/outbox_store.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/redis/layout.hpp"
#include "adapters/store.hpp"
#include "sla/sms_reply.hpp"
#include "tests/integration/redis_server.hpp"
#include "tests/integration/run.hpp"

namespace halfhour {
namespace {

using namespace std::chrono_literals;
using testing::run;
namespace asio = boost::asio;

const sla::instant t0 = sla::from_ms(1'795'000'000'000);

// The bucket holding a job's armed steps.
std::string steps_bucket(const std::string& id) {
  return redis::layout::keys("hh").steps_bucket(redis::layout::shard_of_id(id),
                                                redis::layout::number_of_id(id) / redis::layout::bucket_size);
}

sla::decision new_order(std::string id, std::string external_no) {
  sla::intake in{sla::channel::hotline_12345, std::move(external_no), {"张", "13800000000"}, "水管爆了", "丹桂苑", {}};
  sla::classification c{sla::urgency::urgent, "burst_pipe", "水管爆裂水漫", {{"burst_pipe", {"爆"}, ""}}, "", false};
  sla::resolution r;
  r.to = sla::route::firm;
  r.community_name = "丹桂苑";
  r.firm = "临客嘉物业";
  return sla::accept(in, std::move(id), c, r, "站", sla::limits{}, t0);
}

class redis_store_test : public ::testing::Test {
 protected:
  redis_store_test() {
    conn_ = redis::connection::create(ioc_.get_executor(), {"", 0, server_.socket()}, {});
    store_ = make_redis_store(conn_, "hh");
    EXPECT_TRUE(testing::run_until(ioc_, [&] { return conn_->connected(); }));
  }
  ~redis_store_test() override { conn_->stop(); }

  asio::awaitable<boost::system::result<created_order>> create(std::string key) {
    return store_->create(key, [key](std::string id) { return new_order(std::move(id), key); });
  }

  // The job done by its holder's crew an hour in, and written.
  void finish(const sla::work_order& wo) {
    sla::action done;
    done.kind = sla::action_kind::complete;
    done.organisation = wo.holder;
    done.actor_id = "13500000000";
    auto d = sla::apply(wo, done, "站", t0 + 1h);
    ASSERT_TRUE(d.ok()) << d.refused;
    ASSERT_EQ(d.next.state, sla::wo_state::done);
    ASSERT_TRUE(run(ioc_, store_->apply(d, wo)));
  }

  testing::redis_server server_;
  asio::io_context ioc_;
  std::shared_ptr<redis::connection> conn_;
  std::unique_ptr<work_order_store> store_;
};

TEST_F(redis_store_test, creates_once_per_key_and_reads_back_what_it_wrote) {
  auto a = run(ioc_, create("12345:A"));
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_TRUE(a->created);
  EXPECT_EQ(a->order.wo.version, 1);
  auto again = run(ioc_, create("12345:A"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->order.wo.id, a->order.wo.id);
  auto loaded = run(ioc_, store_->load(a->order.wo.id, true));
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->wo, a->order.wo);
  EXPECT_EQ(loaded->history, a->order.history);
}

// The create script (Lua, buckets.lua) and the store (C++, layout.cpp) hash a key alike: every
// key, of any bytes, is found where the other put it.
TEST_F(redis_store_test, an_idempotency_key_is_in_the_bucket_both_the_scripts_and_the_store_name) {
  const redis::layout::keys k("hh");
  std::set<std::string> buckets;
  for (int i = 0; i < 300; ++i) {
    const auto key = fmt::format("{}:{}", i % 2 ? "walkin:凌四" : "12345", i * 7919);
    auto a = run(ioc_, create(key));
    ASSERT_TRUE(a);
    auto held = run(ioc_, conn_->command({"HGET", k.idempotency_bucket(key), key}));
    ASSERT_TRUE(held);
    EXPECT_EQ(held->str, a->order.wo.id) << key;
    auto known = run(ioc_, store_->lookup(key));
    ASSERT_TRUE(known);
    EXPECT_TRUE(known->has_value()) << key;
    buckets.insert(k.idempotency_bucket(key));
  }
  EXPECT_GT(buckets.size(), 250u) << "spread over the buckets";
}

TEST_F(redis_store_test, records_and_journals_are_stored_packed_in_one_value_and_a_plain_record_still_reads) {
  auto a = run(ioc_, create("12345:P"));
  ASSERT_TRUE(a) << a.error().message();
  const auto& id = a->order.wo.id;
  const redis::layout::keys k("hh");
  const auto key = k.order(id);
  auto stored = run(ioc_, conn_->command({"HGET", key, id}));
  ASSERT_TRUE(stored);
  const auto bar = stored->str.find('|');
  ASSERT_TRUE(stored->str.starts_with("1:")) << "the version, then the record's length";
  const auto size = std::stoul(stored->str.substr(2, bar - 2));
  EXPECT_TRUE(stored->str.substr(bar + 1).starts_with("\x28\xb5\x2f\xfd")) << "the record a zstd frame";
  EXPECT_FALSE(a->order.wo.short_code.empty()) << "the code the script appends after the frame";
  EXPECT_TRUE(stored->str.substr(bar + 1 + size).starts_with("\x22")) << "the journal's first part packed (field 4)";
  auto missing = run(ioc_, conn_->command({"EXISTS", k.older_order(id), k.older_journal(id)}));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->integer, 0) << "no key of its own";
  auto encoding = run(ioc_, conn_->command({"OBJECT", "ENCODING", key}));
  ASSERT_TRUE(encoding);
  EXPECT_EQ(encoding->str, "listpack") << "one field of a small hash";

  // As a store from before packing left it: the record plain protobuf.
  auto loaded = run(ioc_, store_->load(id, true));
  ASSERT_TRUE(loaded);
  const auto plain_record = codec::encode_work_order(loaded->wo);
  const auto journal = stored->str.substr(bar + 1 + size);
  ASSERT_TRUE(
      run(ioc_, conn_->command({"HSET", key, id, fmt::format("1:{}|", plain_record.size()) + plain_record + journal})));
  auto plain = run(ioc_, store_->load(id, true));
  ASSERT_TRUE(plain) << plain.error().message();
  EXPECT_EQ(plain->wo, a->order.wo);
  EXPECT_EQ(plain->history, loaded->history);
}

TEST_F(redis_store_test, concurrent_creates_of_one_key_make_one_work_order) {
  std::vector<boost::system::result<created_order>> results;
  for (int i = 0; i < 20; ++i) {
    asio::co_spawn(ioc_, create("12345:RACE"), [&](std::exception_ptr, boost::system::result<created_order> r) {
      results.push_back(std::move(r));
    });
  }
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return results.size() == 20; }));
  int created = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r);
    created += r->created;
    EXPECT_EQ(r->order.wo.id, results.front()->order.wo.id);
  }
  EXPECT_EQ(created, 1);
}

TEST_F(redis_store_test, apply_is_optimistic_and_moves_deadlines) {
  auto a = run(ioc_, create("12345:B"));
  ASSERT_TRUE(a);
  std::vector<armed_deadline> armed;
  auto scan = [&] {
    armed.clear();
    return store_->scan_deadlines(
        [&](std::vector<armed_deadline> chunk) { armed.insert(armed.end(), chunk.begin(), chunk.end()); });
  };
  ASSERT_TRUE(run(ioc_, scan()));
  EXPECT_EQ(armed.size(), 4u);  // acknowledge, on-site, its warning, completion

  auto d = sla::on_deadline(a->order.wo, sla::clock_kind::on_site, t0 + 30min, t0 + 30min, false);
  auto v = run(ioc_, store_->apply(d, a->order.wo));
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, 2);
  auto stale = run(ioc_, store_->apply(d, a->order.wo));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error(), errc::conflict);

  ASSERT_TRUE(run(ioc_, scan()));
  // The breached on-site deadline and its warning left the set; its first reminder joined it.
  EXPECT_EQ(armed.size(), 3u);
  EXPECT_TRUE(std::any_of(armed.begin(), armed.end(), [](const armed_deadline& armed_one) {
    return armed_one.due.kind == sla::clock_kind::on_site && armed_one.due.s == sla::step::renotify &&
           armed_one.due.at == t0 + 45min;
  }));
  auto loaded = run(ioc_, store_->load(a->order.wo.id, true));
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->wo.version, 2);
  EXPECT_EQ(loaded->history.back().kind, sla::event_kind::clock_breached);
}

TEST_F(redis_store_test, the_journal_keeps_events_and_notices_in_order_and_the_outbox_only_what_is_owed) {
  auto a = run(ioc_, create("12345:J"));
  ASSERT_TRUE(a);
  auto d = sla::on_deadline(a->order.wo, sla::clock_kind::on_site, t0 + 30min, t0 + 30min, false);
  ASSERT_FALSE(d.notify.empty());
  ASSERT_TRUE(run(ioc_, store_->apply(d, a->order.wo)));

  auto outbox = make_redis_outbox_store(conn_, "hh");
  ASSERT_TRUE(run(ioc_, outbox->ensure_groups()));
  auto owed = run(ioc_, outbox->read_new("t", 100));
  ASSERT_TRUE(owed);
  // The dispatch, then the breach's notices.
  ASSERT_EQ(owed->size(), new_order("x", "J").notify.size() + d.notify.size());
  ASSERT_GT(owed->size(), 2u);
  ASSERT_TRUE(run(ioc_, outbox->ack((*owed)[0], t0 + 1s)));
  ASSERT_TRUE(run(ioc_, outbox->ack((*owed)[0], t0 + 2s)));  // a retried acknowledgement: the last one holds
  ASSERT_TRUE(run(ioc_, outbox->dead((*owed)[1], "收件方不存在", t0 + 31min)));

  auto o = run(ioc_, store_->load(a->order.wo.id, true));
  ASSERT_TRUE(o);
  std::vector<sla::event> expected = a->order.history;
  expected.insert(expected.end(), d.events.begin(), d.events.end());
  EXPECT_EQ(o->history, expected);
  ASSERT_EQ(o->notices.size(), owed->size());
  EXPECT_EQ(o->notices[0].key, (*owed)[0].key);
  EXPECT_EQ(o->notices[0].status, "delivered");
  EXPECT_EQ(o->notices[0].settled_at, t0 + 2s);
  EXPECT_EQ(o->notices[1].status, "dead: 收件方不存在");
  EXPECT_EQ(o->notices.back().status, "pending");
  // Settled entries leave the outbox; what is still owed stays.
  std::size_t left = 0;
  for (int shard = 0; shard < 16; ++shard) {
    auto n = run(ioc_, conn_->command({"XLEN", fmt::format("hh:{{s{:02}}}:outbox", shard)}));
    ASSERT_TRUE(n);
    left += static_cast<std::size_t>(n->integer);
  }
  EXPECT_EQ(left, owed->size() - 2);
}

TEST_F(redis_store_test, each_open_job_has_its_own_short_code_free_again_once_it_is_done) {
  std::set<std::string> codes;
  std::vector<created_order> made;
  for (int i = 0; i < 40; ++i) {
    auto a = run(ioc_, create(fmt::format("12345:C{}", i)));
    ASSERT_TRUE(a);
    const auto& wo = a->order.wo;
    ASSERT_TRUE(sla::is_short_code(wo.short_code)) << wo.short_code;
    EXPECT_EQ(std::stoi(wo.short_code) % 16, std::stoi(wo.id.substr(1, 2)));  // the code names the shard
    EXPECT_TRUE(codes.insert(wo.short_code).second) << wo.short_code;
    auto holder = run(ioc_, store_->open_by_code(wo.short_code));
    ASSERT_TRUE(holder);
    EXPECT_EQ(*holder, std::optional<std::string>(wo.id));
    auto loaded = run(ioc_, store_->load(wo.id, false));
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->wo.short_code, wo.short_code);  // on the record, too
    made.push_back(std::move(*a));
  }
  EXPECT_FALSE(run(ioc_, store_->open_by_code("9999999")).value());
  // Done: the code is free; the job keeps it on its record.
  const auto& first = made.front().order.wo;
  ASSERT_NO_FATAL_FAILURE(finish(first));
  EXPECT_FALSE(run(ioc_, store_->open_by_code(first.short_code)).value());
  EXPECT_EQ(run(ioc_, store_->load(first.id, false))->wo.short_code, first.short_code);
  // The next code of that shard is not one an open job holds.
  auto again = run(ioc_, create("12345:C-next"));
  ASSERT_TRUE(again);
  for (std::size_t i = 1; i < made.size(); ++i) EXPECT_NE(again->order.wo.short_code, made[i].order.wo.short_code);
}

// Past the first bucket of each kind, where a slip in the arithmetic of the scripts
// (buckets.lua) or of the store (layout.cpp) would have them name different buckets.
TEST_F(redis_store_test, a_job_far_into_its_shard_is_found_by_its_id_its_code_and_its_steps) {
  const std::string key = "12345:FAR";
  const int shard = redis::layout::shard_of(key);
  const auto tag = fmt::format("hh:{{s{:02}}}", shard);
  // The shard has given out 5,000 ids and tried 1,000 codes before this job.
  ASSERT_TRUE(run(ioc_, conn_->command({"SET", tag + ":seq", "5000"})));
  ASSERT_TRUE(run(ioc_, conn_->command({"SET", tag + ":codeseq", "1000"})));
  auto a = run(ioc_, create(key));
  ASSERT_TRUE(a);
  const auto wo = a->order.wo;
  ASSERT_EQ(redis::layout::number_of_id(wo.id), 5001);
  ASSERT_EQ(wo.short_code, std::to_string(redis::layout::code_first + 16 * 1000 + shard));
  const redis::layout::keys k("hh");
  auto in = [&](const std::string& bucket, const std::string& field) {
    auto r = run(ioc_, conn_->command({"HEXISTS", bucket, field}));
    return r && r->integer == 1;
  };
  EXPECT_TRUE(in(tag + ":wo:156", wo.id)) << "5001 / 32";
  EXPECT_TRUE(in(tag + ":steps:39", wo.id)) << "5001 / 128";
  EXPECT_TRUE(in(tag + ":codes:7", wo.short_code)) << "its code the 1,000th of the shard's: 1000 / 128";
  EXPECT_TRUE(in(k.idempotency_bucket(key), key));

  EXPECT_EQ(run(ioc_, store_->open_by_code(wo.short_code)).value(), std::optional<std::string>(wo.id));
  EXPECT_EQ(run(ioc_, store_->load(wo.id, false))->wo, wo);
  EXPECT_EQ(run(ioc_, store_->lookup(key)).value()->id, wo.id);
  std::vector<armed_deadline> armed;
  ASSERT_TRUE(
      run(ioc_, store_->scan_deadlines([&](auto chunk) { armed.insert(armed.end(), chunk.begin(), chunk.end()); })));
  EXPECT_EQ(armed.size(), 4u) << "recovery reads the buckets up to the counter's";
  EXPECT_EQ(run(ioc_, store_->overdue(t0 + 20min, 256))->size(), 2u);

  ASSERT_NO_FATAL_FAILURE(finish(wo));
  EXPECT_FALSE(run(ioc_, store_->open_by_code(wo.short_code)).value());
  auto held = run(ioc_, conn_->command({"GET", tag + ":codes:held"}));
  ASSERT_TRUE(held);
  EXPECT_EQ(held->str, "0");
  EXPECT_FALSE(in(tag + ":steps:39", wo.id)) << "no step left armed";
}

TEST_F(redis_store_test, a_shard_with_every_code_held_gives_a_new_job_none_at_once) {
  const int shard = redis::layout::shard_of("12345:FULL");
  const auto held = fmt::format("hh:{{s{:02}}}:codes:held", shard);
  // As many codes held as the shard has: a shard with that many jobs open.
  ASSERT_TRUE(run(ioc_, conn_->command({"SET", held, std::to_string(redis::layout::code_span)})));
  auto full = run(ioc_, create("12345:FULL"));
  ASSERT_TRUE(full) << full.error().message();
  EXPECT_EQ(full->order.wo.short_code, "");
  auto tried = run(ioc_, conn_->command({"GET", fmt::format("hh:{{s{:02}}}:codeseq", shard)}));
  ASSERT_TRUE(tried);
  EXPECT_EQ(tried->type, redis::reply::kind::nil) << "no code was tried: " << tried->str;

  // One freed, the next job of the shard has a code again.
  ASSERT_TRUE(run(ioc_, conn_->command({"DECR", held})));
  std::string key;
  for (int i = 0; key.empty() || redis::layout::shard_of(key) != shard; ++i) key = "12345:FULL-" + std::to_string(i);
  auto next = run(ioc_, create(key));
  ASSERT_TRUE(next);
  EXPECT_TRUE(sla::is_short_code(next->order.wo.short_code)) << next->order.wo.short_code;
}

TEST_F(redis_store_test, a_store_of_another_layout_is_refused_and_an_empty_one_is_marked) {
  ASSERT_TRUE(run(ioc_, store_->claim_layout()));
  auto mark = run(ioc_, conn_->command({"GET", "hh:layout"}));
  ASSERT_TRUE(mark);
  EXPECT_EQ(mark->str, "6");
  ASSERT_TRUE(run(ioc_, create("12345:L")));
  EXPECT_TRUE(run(ioc_, store_->claim_layout()));  // its own data: fine

  ASSERT_TRUE(run(ioc_, conn_->command({"SET", "hh:layout", "7"})));
  auto newer = run(ioc_, store_->claim_layout());
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error(), errc::incompatible);

  // Layout 1 never marked its store and kept a work order in a hash.
  ASSERT_TRUE(run(ioc_, conn_->command({"DEL", "hh:layout"})));
  EXPECT_TRUE(run(ioc_, store_->claim_layout()));  // strings, not marked yet: ours
  ASSERT_TRUE(run(ioc_, conn_->command({"DEL", "hh:layout"})));
  ASSERT_TRUE(run(ioc_, conn_->command({"HSET", "hh:{s05}:wo:W05-000001", "v", "1", "pb", "x"})));
  auto older = run(ioc_, store_->claim_layout());
  ASSERT_FALSE(older);
  EXPECT_EQ(older.error(), errc::incompatible);
}

TEST_F(redis_store_test, a_job_is_one_deadline_member_at_its_earliest_step_with_its_steps_in_one_field) {
  auto a = run(ioc_, create("12345:S"));
  ASSERT_TRUE(a);
  const auto& id = a->order.wo.id;
  const auto shard = "hh:{s" + id.substr(1, 2) + "}";
  const auto bucket = steps_bucket(id);
  auto members = run(ioc_, conn_->command({"ZRANGE", shard + ":dl", "0", "-1", "WITHSCORES"}));
  ASSERT_TRUE(members);
  ASSERT_EQ(members->elements.size(), 2u);
  EXPECT_EQ(members->elements[0].str, id);
  EXPECT_EQ(members->elements[1].str, std::to_string(sla::to_ms(t0 + 10min)));  // its acknowledge deadline
  // 10, 20 and 30 minutes after t0 and a day: "mwm10f5s", "mwm1da4g", "mwm1q534", "mwng3ev4".
  auto steps = run(ioc_, conn_->command({"HGET", bucket, id}));
  ASSERT_TRUE(steps);
  EXPECT_EQ(steps->str, "ack@mwm10f5s,done@mwng3ev4,onsite.0@mwm1da4g,onsite@mwm1q534");
  auto encoding = run(ioc_, conn_->command({"OBJECT", "ENCODING", bucket}));
  ASSERT_TRUE(encoding);
  EXPECT_EQ(encoding->str, "listpack") << "a small hash, a few bytes a field";

  // Acknowledged, then done: the deadline member follows the earliest step left, and with none
  // left the job is out of both.
  auto wo = a->order.wo;
  for (auto kind : {sla::action_kind::acknowledge, sla::action_kind::complete}) {
    sla::action act;
    act.kind = kind;
    act.organisation = wo.holder;
    act.actor_id = "13500000000";
    auto d = sla::apply(wo, act, "站", t0 + 5min);
    ASSERT_TRUE(d.ok()) << d.refused;
    auto v = run(ioc_, store_->apply(d, wo));
    ASSERT_TRUE(v);
    wo = d.next;
    wo.version = *v;
    if (kind == sla::action_kind::acknowledge) {
      auto score = run(ioc_, conn_->command({"ZSCORE", shard + ":dl", id}));
      ASSERT_TRUE(score);
      EXPECT_EQ(score->str, std::to_string(sla::to_ms(t0 + 20min))) << "its on-site warning is next";
    }
  }
  auto left = run(ioc_, conn_->command({"EXISTS", shard + ":dl", bucket}));
  ASSERT_TRUE(left);
  EXPECT_EQ(left->integer, 0);
}

TEST_F(redis_store_test, only_the_steps_due_are_overdue) {
  auto a = run(ioc_, create("12345:DUE"));
  ASSERT_TRUE(a);
  auto due = run(ioc_, store_->overdue(t0 + 20min, 256));
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2u);  // the acknowledge deadline and the on-site warning, not the rest
  for (const auto& d : *due) {
    EXPECT_EQ(d.id, a->order.wo.id);
    EXPECT_LE(d.due.at, t0 + 20min);
  }
  auto none = run(ioc_, store_->overdue(t0 + 9min, 256));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(redis_store_test, a_store_of_layout_3_has_its_journals_and_armed_steps_moved_over_and_they_fire_as_before) {
  auto a = run(ioc_, create("12345:OLD"));
  ASSERT_TRUE(a);
  const auto& id = a->order.wo.id;
  const auto shard = "hh:{s" + id.substr(1, 2) + "}";
  std::vector<armed_deadline> before;
  ASSERT_TRUE(
      run(ioc_, store_->scan_deadlines([&](auto chunk) { before.insert(before.end(), chunk.begin(), chunk.end()); })));
  ASSERT_EQ(before.size(), 4u);
  // As layout 3 kept them: a member per step, scored by its moment.
  ASSERT_TRUE(run(ioc_, conn_->command({"DEL", shard + ":dl", steps_bucket(id)})));
  for (const char* m : {"|ack", "|onsite", "|onsite|warn0", "|done"})
    ASSERT_TRUE(run(ioc_, conn_->command({"ZADD", shard + ":dl", "0", id + m})));
  for (const auto& b : before) {
    const auto member =
        fmt::format("{}|{}{}", id, sla::code_of(b.due.kind), b.due.s == sla::step::warn ? "|warn0" : "");
    ASSERT_TRUE(run(ioc_, conn_->command({"ZADD", shard + ":dl", std::to_string(sla::to_ms(b.due.at)), member})));
  }
  // And its record "<version>|<record>" a string of its own, its journal another.
  const redis::layout::keys k("hh");
  const auto key = k.order(id);
  auto value = run(ioc_, conn_->command({"HGET", key, id}));
  ASSERT_TRUE(value);
  ASSERT_TRUE(run(ioc_, conn_->command({"HDEL", key, id})));
  const auto bar = value->str.find('|');
  const auto size = std::stoul(value->str.substr(2, bar - 2));
  ASSERT_TRUE(run(ioc_, conn_->command({"SET", k.older_order(id), "1|" + value->str.substr(bar + 1, size)})));
  ASSERT_TRUE(run(ioc_, conn_->command({"SET", k.older_journal(id), value->str.substr(bar + 1 + size)})));
  ASSERT_TRUE(run(ioc_, conn_->command({"SET", "hh:layout", "3"})));

  ASSERT_TRUE(run(ioc_, store_->claim_layout()));
  auto merged = run(ioc_, conn_->command({"HGET", key, id}));
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->str, value->str) << "the record and journal in one value, as layout 6 writes them";
  auto journal_key = run(ioc_, conn_->command({"EXISTS", k.older_order(id), k.older_journal(id)}));
  ASSERT_TRUE(journal_key);
  EXPECT_EQ(journal_key->integer, 0);
  auto mark = run(ioc_, conn_->command({"GET", "hh:layout"}));
  ASSERT_TRUE(mark);
  EXPECT_EQ(mark->str, "6");
  auto members = run(ioc_, conn_->command({"ZRANGE", shard + ":dl", "0", "-1"}));
  ASSERT_TRUE(members);
  EXPECT_EQ(members->elements.size(), 1u);
  std::vector<armed_deadline> after;
  ASSERT_TRUE(
      run(ioc_, store_->scan_deadlines([&](auto chunk) { after.insert(after.end(), chunk.begin(), chunk.end()); })));
  auto by_moment = [](const armed_deadline& x, const armed_deadline& y) { return x.due.at < y.due.at; };
  std::sort(before.begin(), before.end(), by_moment);
  std::sort(after.begin(), after.end(), by_moment);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i].due, before[i].due);

  // The acknowledge deadline moved over fires once, as it did in layout 3.
  const sla::deadline ack{sla::clock_kind::acknowledge, t0 + 10min};
  sla::ladder lad;
  lad.station = "站";
  auto fired = run(ioc_, store_->apply(sla::on_deadline(a->order.wo, ack, t0 + 10min, false, lad), a->order.wo, ack));
  ASSERT_TRUE(fired) << fired.error().message();
  auto reloaded = run(ioc_, store_->load(id, false));
  ASSERT_TRUE(reloaded);
  auto again = run(ioc_, store_->apply(sla::on_deadline(reloaded->wo, ack, t0 + 11min, false, lad), reloaded->wo, ack));
  EXPECT_EQ(again.error(), errc::stale);

  // An engine stopped while moving a store over left it marked so: the next one goes on.
  ASSERT_TRUE(run(ioc_, conn_->command({"SET", "hh:layout", std::string(redis::layout::moving)})));
  ASSERT_TRUE(run(ioc_, store_->claim_layout()));
  auto resumed = run(ioc_, conn_->command({"GET", "hh:layout"}));
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->str, "6");
}

TEST_F(redis_store_test,
       a_store_of_layout_4_has_its_orders_steps_codes_and_keys_moved_into_buckets_and_they_serve_as_before) {
  std::vector<created_order> made;
  for (int i = 0; i < 3; ++i) {
    auto a = run(ioc_, create(fmt::format("12345:FOUR{}", i)));
    ASSERT_TRUE(a);
    made.push_back(std::move(*a));
  }
  std::vector<armed_deadline> before;
  ASSERT_TRUE(
      run(ioc_, store_->scan_deadlines([&](auto chunk) { before.insert(before.end(), chunk.begin(), chunk.end()); })));
  ASSERT_EQ(before.size(), 12u);
  // As layout 4 kept them: each work order a string, one hash of each shard's armed steps, one of
  // its short codes, one of its idempotency keys, no count of codes held.
  // The third job's acknowledge step in the hash, its others still deadline members of layout 3:
  // a store an engine of layout 4 left half moved from layout 3.
  std::set<std::string> helds;
  for (std::size_t i = 0; i < made.size(); ++i) {
    const auto& wo = made[i].order.wo;
    const auto shard = "hh:{s" + wo.id.substr(1, 2) + "}";
    auto steps = run(ioc_, conn_->command({"HGET", steps_bucket(wo.id), wo.id}));
    ASSERT_TRUE(steps);
    const auto code_bucket = redis::layout::keys("hh").code_bucket(redis::layout::shard_of_id(wo.id), wo.short_code);
    ASSERT_TRUE(run(ioc_, conn_->command({"HDEL", steps_bucket(wo.id), wo.id})));
    ASSERT_TRUE(run(ioc_, conn_->command({"HDEL", code_bucket, wo.short_code})));
    ASSERT_TRUE(run(ioc_, conn_->command({"HSET", shard + ":codes", wo.short_code, wo.id})));
    helds.insert(shard + ":codes:held");
    const redis::layout::keys k("hh");
    auto value = run(ioc_, conn_->command({"HGET", k.order(wo.id), wo.id}));
    ASSERT_TRUE(value);
    ASSERT_TRUE(run(ioc_, conn_->command({"HDEL", k.order(wo.id), wo.id})));
    ASSERT_TRUE(run(ioc_, conn_->command({"SET", k.older_order(wo.id), value->str})));
    const auto key = fmt::format("12345:FOUR{}", i);
    const auto idem = k.idempotency_bucket(key);
    ASSERT_TRUE(run(ioc_, conn_->command({"HDEL", idem, key})));
    ASSERT_TRUE(run(ioc_, conn_->command({"HSET", idem.substr(0, idem.rfind(':')), key, wo.id})));
    if (i < 2) {
      ASSERT_TRUE(run(ioc_, conn_->command({"HSET", shard + ":steps", wo.id, steps->str})));
      continue;
    }
    ASSERT_TRUE(
        run(ioc_, conn_->command({"HSET", shard + ":steps", wo.id, steps->str.substr(0, steps->str.find(','))})));
    for (const auto& b : before) {
      if (b.id != wo.id || b.due.kind == sla::clock_kind::acknowledge) continue;
      const auto member =
          fmt::format("{}|{}{}", wo.id, sla::code_of(b.due.kind), b.due.s == sla::step::warn ? "|warn0" : "");
      ASSERT_TRUE(run(ioc_, conn_->command({"ZADD", shard + ":dl", std::to_string(sla::to_ms(b.due.at)), member})));
    }
  }
  for (const auto& h : helds) ASSERT_TRUE(run(ioc_, conn_->command({"DEL", h})));
  ASSERT_TRUE(run(ioc_, conn_->command({"SET", "hh:layout", "moving to 4"})));

  ASSERT_TRUE(run(ioc_, store_->claim_layout()));
  auto mark = run(ioc_, conn_->command({"GET", "hh:layout"}));
  ASSERT_TRUE(mark);
  EXPECT_EQ(mark->str, "6");
  std::vector<armed_deadline> after;
  ASSERT_TRUE(
      run(ioc_, store_->scan_deadlines([&](auto chunk) { after.insert(after.end(), chunk.begin(), chunk.end()); })));
  auto order = [](const armed_deadline& x, const armed_deadline& y) {
    return std::tie(x.id, x.due.at) < std::tie(y.id, y.due.at);
  };
  std::sort(before.begin(), before.end(), order);
  std::sort(after.begin(), after.end(), order);
  ASSERT_EQ(after.size(), before.size()) << "the half-moved job's steps put together, none lost";
  for (const auto& c : made) {
    const auto& id = c.order.wo.id;
    auto members = run(ioc_, conn_->command({"ZRANGE", "hh:{s" + id.substr(1, 2) + "}:dl", "0", "-1", "WITHSCORES"}));
    ASSERT_TRUE(members);
    for (std::size_t i = 0; i + 1 < members->elements.size(); i += 2) {
      EXPECT_EQ(members->elements[i].str.find('|'), std::string::npos) << members->elements[i].str;
      if (members->elements[i].str == id)
        EXPECT_EQ(members->elements[i + 1].str, std::to_string(sla::to_ms(t0 + 10min))) << "at its earliest step";
    }
  }
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i].due, before[i].due);
  std::size_t held = 0;
  for (std::size_t i = 0; i < made.size(); ++i) {
    const auto& wo = made[i].order.wo;
    const auto shard = "hh:{s" + wo.id.substr(1, 2) + "}";
    EXPECT_EQ(run(ioc_, store_->open_by_code(wo.short_code)).value(), std::optional<std::string>(wo.id));
    auto again = run(ioc_, create(fmt::format("12345:FOUR{}", i)));
    ASSERT_TRUE(again);
    EXPECT_FALSE(again->created) << "its ticket's key still known";
    EXPECT_EQ(again->order.wo.id, wo.id);
    auto whole = run(ioc_, conn_->command({"EXISTS", shard + ":steps", shard + ":codes", shard + ":idem",
                                           redis::layout::keys("hh").older_order(wo.id)}));
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole->integer, 0) << "the hashes and strings of layout 4 are gone";
    auto loaded = run(ioc_, store_->load(wo.id, true));
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->wo, wo) << "its work order in its bucket";
  }
  for (const auto& h : helds) {
    auto n = run(ioc_, conn_->command({"GET", h}));
    ASSERT_TRUE(n);
    held += std::stoul(n->str);
  }
  EXPECT_EQ(held, made.size()) << "each shard counts the codes its jobs hold";
  // Done, the first job's code is free and counted out.
  const auto& first = made.front().order.wo;
  ASSERT_NO_FATAL_FAILURE(finish(first));
  EXPECT_FALSE(run(ioc_, store_->open_by_code(first.short_code)).value());
  auto count = run(ioc_, conn_->command({"GET", "hh:{s" + first.id.substr(1, 2) + "}:codes:held"}));
  ASSERT_TRUE(count);
  std::size_t same_shard = 0;
  for (const auto& c : made) same_shard += c.order.wo.id.substr(1, 2) == first.id.substr(1, 2) ? 1 : 0;
  EXPECT_EQ(std::stoul(count->str), same_shard - 1);
}

TEST_F(redis_store_test, unknown_or_malformed_ids_are_not_found) {
  auto r = run(ioc_, store_->load("W03-999999", false));
  EXPECT_EQ(r.error(), errc::not_found);
  auto bad = run(ioc_, store_->load("../../etc/passwd", false));
  EXPECT_EQ(bad.error(), errc::not_found);
}

TEST_F(redis_store_test, redis_away_fails_fast_writes_nothing_and_reconnects) {
  server_.stop();
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return !conn_->connected(); }));
  auto t = std::chrono::steady_clock::now();
  auto r = run(ioc_, create("12345:DOWN"));
  EXPECT_LT(std::chrono::steady_clock::now() - t, 100ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::unavailable);

  server_.start();  // same dir: the AOF brings back what was there
  auto back = std::chrono::steady_clock::now();
  ASSERT_TRUE(testing::run_until(
      ioc_, [&] { return conn_->connected(); }, 3s));
  EXPECT_LT(std::chrono::steady_clock::now() - back, 1500ms);
  // A Redis that has just come back may still be loading its AOF and refuse the first command
  // (LOADING): the caller is told "unavailable" and tries again, as a 12345 retry would.
  auto after = run(ioc_, create("12345:DOWN"));
  const auto give_up = std::chrono::steady_clock::now() + 2s;
  while (!after && after.error() == errc::unavailable && std::chrono::steady_clock::now() < give_up) {
    ASSERT_TRUE(testing::run_until(
        ioc_, [&] { return conn_->connected(); }, 3s));
    after = run(ioc_, create("12345:DOWN"));
  }
  ASSERT_TRUE(after) << after.error().message();
  EXPECT_TRUE(after->created);  // the failed attempts left nothing behind
}

TEST(redis_connection, a_redis_that_stops_answering_times_out_and_is_reconnected) {
  testing::redis_server server;
  asio::io_context ioc;
  redis::options opt;
  opt.command_timeout = 200ms;
  auto conn = redis::connection::create(ioc.get_executor(), {"", 0, server.socket()}, opt);
  ASSERT_TRUE(testing::run_until(ioc, [&] { return conn->connected(); }));

  server.pause(true);
  auto t = std::chrono::steady_clock::now();
  auto r = run(ioc, conn->command({"PING"}));
  auto waited = std::chrono::steady_clock::now() - t;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::timeout);
  EXPECT_GE(waited, 200ms);
  EXPECT_LT(waited, 400ms);
  EXPECT_FALSE(conn->connected());  // the connection is dropped, not left with a stale reply queue

  server.pause(false);
  ASSERT_TRUE(testing::run_until(
      ioc, [&] { return conn->connected(); }, 3s));
  auto again = run(ioc, conn->command({"PING"}));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->str, "PONG");
  conn->stop();
}

TEST_F(redis_store_test, indexes_work_orders_by_community_and_by_acceptance) {
  auto a = run(ioc_, create("12345:IDX-A"));
  auto b = run(ioc_, create("12345:IDX-B"));
  ASSERT_TRUE(a && b);
  auto near = run(ioc_, store_->accepted_for("丹桂苑", t0 - 1min));
  ASSERT_TRUE(near);
  std::vector<std::string> ids;
  for (const auto& j : *near) {
    ids.push_back(j.id);
    // What the index keeps to pre-select candidates, as the work order was accepted.
    EXPECT_EQ(j.category, "burst_pipe");
    EXPECT_EQ(j.level, sla::urgency::urgent);
  }
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> both{a->order.wo.id, b->order.wo.id};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(ids, both);
  EXPECT_TRUE(run(ioc_, store_->accepted_for("丹桂苑", t0 + 1s))->empty());
  EXPECT_TRUE(run(ioc_, store_->accepted_for("金桂苑", t0 - 1min))->empty());
  EXPECT_EQ(run(ioc_, store_->accepted_between(t0, t0 + 1ms, 10))->size(), 2u);
  EXPECT_EQ(run(ioc_, store_->accepted_between(t0, t0 + 1ms, 1))->size(), 1u);
  EXPECT_TRUE(run(ioc_, store_->accepted_between(t0 + 1ms, t0 + 1h, 10))->empty()) << "the end is excluded";
}

TEST_F(redis_store_test, the_acceptance_index_read_newest_first_pages_through_jobs_of_one_moment_none_twice) {
  std::set<std::string> made;
  for (const char* key : {"12345:NEW-A", "12345:NEW-B", "12345:NEW-C"}) {  // all accepted at t0
    auto c = run(ioc_, create(key));
    ASSERT_TRUE(c);
    made.insert(c->order.wo.id);
  }
  std::set<std::string> read;
  sla::index_position below{t0 + 1ms, ""};
  for (int page = 0; page < 3; ++page) {
    auto p = run(ioc_, store_->accepted_newest(t0, below, 1));
    ASSERT_TRUE(p);
    ASSERT_EQ(p->size(), 1u);
    EXPECT_EQ((*p)[0].at, t0);
    EXPECT_TRUE(read.insert((*p)[0].id).second);
    below = (*p)[0];
  }
  EXPECT_EQ(read, made);
  EXPECT_TRUE(run(ioc_, store_->accepted_newest(t0, below, 10))->empty());
  EXPECT_TRUE(run(ioc_, store_->accepted_newest(t0 + 1ms, {t0 + 1h, ""}, 10))->empty()) << "before `from`";
}

TEST_F(redis_store_test, a_key_points_at_one_work_order_or_at_a_screened_message) {
  auto a = run(ioc_, create("12345:KEY-A"));
  ASSERT_TRUE(a);
  auto known = run(ioc_, store_->lookup("12345:KEY-A"));
  ASSERT_TRUE(known && *known);
  EXPECT_EQ((*known)->id, a->order.wo.id);
  EXPECT_FALSE(*run(ioc_, store_->lookup("wechat:none")));
  EXPECT_EQ(*run(ioc_, store_->remember("wechat:L1", "W01-000009", false)), "W01-000009");
  EXPECT_EQ(*run(ioc_, store_->remember("wechat:L1", "W02-000001", false)), "W01-000009") << "first one stays";
  EXPECT_EQ(*run(ioc_, store_->remember("wechat:L1", "W02-000001", true)), "W02-000001") << "a split moves it";

  screened_message m{sla::channel::wechat, "m1", "丹桂苑业主群", "老王", "谢谢", "致谢或闲聊", t0};
  auto s = run(ioc_, store_->screen_out("wechat:S1", m));
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->screened);
  EXPECT_EQ(s->reason, "致谢或闲聊");
  auto again = run(ioc_, store_->screen_out("wechat:S1", m));
  EXPECT_TRUE(again && again->screened);
  auto taken = run(ioc_, store_->screen_out("wechat:L1", m));
  ASSERT_TRUE(taken);
  EXPECT_FALSE(taken->screened) << "a key that names a job is never turned into a screened message";
  EXPECT_EQ(taken->id, "W02-000001");
}

TEST_F(redis_store_test, a_step_fires_once_however_often_it_is_fired) {
  auto a = run(ioc_, create("12345:FIRE"));
  ASSERT_TRUE(a);
  const auto& wo = a->order.wo;
  const sla::deadline warn{sla::clock_kind::on_site, t0 + 20min, sla::step::warn, 0};
  sla::ladder lad;
  lad.station = "站";
  auto d = sla::on_deadline(wo, warn, t0 + 20min, false, lad);
  ASSERT_FALSE(d.notify.empty());
  auto first = run(ioc_, store_->apply(d, wo, warn));
  ASSERT_TRUE(first) << first.error().message();
  // The same step again (a sweep, a recovery, another engine), decided on the new version.
  auto reloaded = run(ioc_, store_->load(wo.id, false));
  ASSERT_TRUE(reloaded);
  auto again = sla::on_deadline(reloaded->wo, warn, t0 + 21min, false, lad);
  auto second = run(ioc_, store_->apply(again, reloaded->wo, warn));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error(), errc::stale);
  // A step armed for another moment than the one fired is stale too.
  const sla::deadline moved{sla::clock_kind::on_site, t0 + 31min};
  auto third =
      run(ioc_, store_->apply(sla::on_deadline(reloaded->wo, moved, t0 + 31min, false, lad), reloaded->wo, moved));
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error(), errc::stale);
}

TEST_F(redis_store_test, a_lease_is_held_by_one_caller_until_released_or_expired) {
  constexpr auto brief = work_order_store::lease_kind::brief;
  EXPECT_TRUE(*run(ioc_, store_->lease("dup:丹桂苑", "t1", 5s, brief)));
  EXPECT_FALSE(*run(ioc_, store_->lease("dup:丹桂苑", "t2", 5s, brief)));
  ASSERT_TRUE(run(ioc_, store_->release("dup:丹桂苑", "t2", brief)));  // not the holder: nothing happens
  EXPECT_FALSE(*run(ioc_, store_->lease("dup:丹桂苑", "t2", 5s, brief)));
  ASSERT_TRUE(run(ioc_, store_->release("dup:丹桂苑", "t1", brief)));
  EXPECT_TRUE(*run(ioc_, store_->lease("dup:丹桂苑", "t2", 5s, brief)));
  // Whoever dies holding it, Redis lets it go by itself: it carries its time to live.
  auto ttl = run(ioc_, conn_->command({"PTTL", "hh:{lease}:dup:丹桂苑"}));
  ASSERT_TRUE(ttl);
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 5000);
}

TEST_F(redis_store_test, a_brief_lease_never_reaches_the_disk_and_a_lasting_one_does) {
  using kind = work_order_store::lease_kind;
  ASSERT_TRUE(*run(ioc_, store_->lease("dup:丹桂苑", "t1", 5s, kind::brief)));
  ASSERT_TRUE(*run(ioc_, store_->lease("archive", "t2", 5s, kind::lasting)));
  ASSERT_TRUE(run(ioc_, store_->release("dup:丹桂苑", "t1", kind::brief)));
  ASSERT_TRUE(run(ioc_, store_->release("archive", "t2", kind::lasting)));
  ASSERT_TRUE(run(ioc_, create("12345:AOF")));  // a write after both: everything before is on disk
  std::string aof;
  for (const auto& f : std::filesystem::recursive_directory_iterator(server_.dir()))
    if (f.path().filename().string().find(".aof") != std::string::npos) {
      std::ifstream in(f.path(), std::ios::binary);
      aof += std::string(std::istreambuf_iterator<char>(in), {});
    }
  EXPECT_NE(aof.find("12345:AOF"), std::string::npos) << "the append-only file is where the test looks";
  EXPECT_NE(aof.find("hh:{lease}:archive"), std::string::npos);
  EXPECT_EQ(aof.find("hh:{lease}:dup:"), std::string::npos) << "a brief lease costs no fsync";
}

}  // namespace
}  // namespace halfhour
