// The engine on a real Redis with a hand-moved clock: breaches at the deadline, recovery of
// what fell due while it was down, and each deadline firing once even with two engines.
#include "dispatcher/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "adapters/config.hpp"
#include "adapters/redis/connection.hpp"
#include "tests/integration/manual_clock.hpp"
#include "tests/integration/redis_server.hpp"
#include "tests/integration/run.hpp"

namespace halfhour {
namespace {

using namespace std::chrono_literals;
using testing::run;
namespace asio = boost::asio;

const sla::instant t0 = sla::from_ms(1'795'000'000'000);

channels::request ticket(std::string no, std::string content, std::string address) {
  channels::request t;
  t.intake.external_no = no;
  t.intake.content = std::move(content);
  t.intake.address = std::move(address);
  t.intake.who = {"王女士", "13912345678"};
  t.idempotency_key = "12345:" + no;
  return t;
}

std::size_t count(const stored_order& o, sla::event_kind k, sla::clock_kind c) {
  return static_cast<std::size_t>(std::count_if(o.history.begin(), o.history.end(),
                                                [&](const sla::event& e) { return e.kind == k && e.clock == c; }));
}

class engine_test : public ::testing::Test {
 protected:
  struct node {
    node(asio::io_context& ioc, const std::string& socket, testing::manual_clock& clk, const sla::classifier& c,
         const sla::resolver& r)
        : conn(redis::connection::create(ioc.get_executor(), {"", 0, socket}, {})),
          store(make_redis_store(conn, "hh")),
          eng(ioc.get_executor(), *store, clk, c, r, sla::limits{}) {}
    ~node() { conn->stop(); }
    std::shared_ptr<redis::connection> conn;
    std::unique_ptr<work_order_store> store;
    engine eng;
  };

  std::unique_ptr<node> start_node(std::chrono::milliseconds sweep = std::chrono::milliseconds{0}) {
    auto n = std::make_unique<node>(ioc_, server_.socket(), clock_, classifier_, resolver_);
    n->eng.sweep_every(sweep, std::chrono::seconds{2});
    run(ioc_, n->eng.recover());
    return n;
  }

  stored_order load(node& n, const std::string& id) {
    auto r = run(ioc_, n.eng.get(id));
    EXPECT_TRUE(r) << r.error().message();
    return *r;
  }

  // Every notification in every shard's outbox, as (kind, to) in order of writing per shard.
  std::vector<std::pair<std::string, std::string>> outbox(node& n, std::set<std::string>* keys = nullptr) {
    std::vector<std::pair<std::string, std::string>> out;
    for (int shard = 0; shard < 16; ++shard) {
      auto key = "hh:{s" + std::string(shard < 10 ? "0" : "") + std::to_string(shard) + "}:outbox";
      auto r = run(ioc_, n.conn->command({"XRANGE", key, "-", "+"}));
      EXPECT_TRUE(r);
      for (const auto& entry : r->elements) {
        std::map<std::string, std::string> f;
        const auto& kv = entry.elements[1].elements;
        for (std::size_t i = 0; i + 1 < kv.size(); i += 2) f[kv[i].str] = kv[i + 1].str;
        out.emplace_back(f["kind"], f["to"]);
        if (keys) keys->insert(f["key"]);
      }
    }
    return out;
  }

  testing::redis_server server_;
  asio::io_context ioc_;
  testing::manual_clock clock_{ioc_.get_executor(), t0};
  sla::classifier classifier_{config::default_rules()};
  sla::resolver resolver_{config::default_directory()};
};

TEST_F(engine_test, urgent_ticket_breaches_at_thirty_minutes_not_before) {
  auto n = start_node();
  auto r = run(ioc_, n->eng.ingest(ticket("1", "厨房水管爆了", "丹桂苑3号楼")));
  ASSERT_TRUE(r);
  const auto id = r->order.wo.id;
  EXPECT_EQ(r->order.wo.holder, "临客嘉物业");

  clock_.advance(29min + 59s);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return n->eng.stats().breaches == 1; }));  // the 10-min ack
  auto before = load(*n, id);
  EXPECT_EQ(count(before, sla::event_kind::clock_breached, sla::clock_kind::on_site), 0u);

  clock_.advance(1s);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return n->eng.stats().breaches == 2; }));
  auto after = load(*n, id);
  ASSERT_EQ(count(after, sla::event_kind::clock_breached, sla::clock_kind::on_site), 1u);
  const auto& breach = after.history.back();
  EXPECT_EQ(breach.late_ms, 0);  // the hand-moved clock stood still while the engine wrote
  EXPECT_FALSE(breach.on_recovery);
  EXPECT_EQ(breach.organisation, "临客嘉物业");
}

TEST_F(engine_test, retried_ticket_is_answered_with_the_same_order_and_arms_nothing_new) {
  auto n = start_node();
  auto a = run(ioc_, n->eng.ingest(ticket("2", "门锁坏了", "丹桂苑")));
  auto armed = n->eng.armed();
  auto b = run(ioc_, n->eng.ingest(ticket("2", "门锁坏了", "丹桂苑")));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->what, ingest_outcome::kind::created);
  EXPECT_EQ(b->what, ingest_outcome::kind::repeat);
  EXPECT_EQ(a->order.wo.id, b->order.wo.id);
  EXPECT_EQ(n->eng.armed(), armed);
}

TEST_F(engine_test, deadline_passed_while_down_fires_on_recovery_exactly_once) {
  std::string id;
  {
    auto first = start_node();
    auto r = run(ioc_, first->eng.ingest(ticket("3", "电梯困人", "金桂苑5号")));
    ASSERT_TRUE(r);
    id = r->order.wo.id;
  }  // the engine is gone; its timers with it
  clock_.advance(45min);

  auto second = start_node();
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return second->eng.stats().breaches_on_recovery == 2; }));
  // The reminder after the on-site breach is due at once too: let the second engine settle.
  testing::run_until(
      ioc_, [] { return false; }, 200ms);
  auto o = load(*second, id);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::on_site), 1u);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::acknowledge), 1u);
  auto breach = std::find_if(o.history.begin(), o.history.end(), [](const sla::event& e) {
    return e.kind == sla::event_kind::clock_breached && e.clock == sla::clock_kind::on_site;
  });
  EXPECT_TRUE(breach->on_recovery);
  EXPECT_EQ(breach->late_ms, std::chrono::milliseconds(15min).count());

  auto third = start_node();  // a second restart must not fire them again
  testing::run_until(
      ioc_, [] { return false; }, 200ms);
  EXPECT_EQ(third->eng.stats().breaches, 0u);
  auto again = load(*third, id);
  EXPECT_EQ(again.history.size(), o.history.size());
}

TEST_F(engine_test, two_engines_with_the_same_deadline_record_one_breach) {
  auto a = start_node();
  auto r = run(ioc_, a->eng.ingest(ticket("4", "楼道里有煤气味", "丹桂苑")));
  ASSERT_TRUE(r);
  auto b = start_node();  // recovers the same deadlines A armed
  EXPECT_EQ(b->eng.armed(), 4u);
  clock_.advance(31min);
  ASSERT_TRUE(testing::run_until(ioc_, [&] {
    return a->eng.stats().breaches + b->eng.stats().breaches == 2;  // ack + on-site, once each
  }));
  testing::run_until(
      ioc_, [] { return false; }, 200ms);
  EXPECT_EQ(a->eng.stats().breaches + b->eng.stats().breaches, 2u);
  auto o = load(*a, r->order.wo.id);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::on_site), 1u);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::acknowledge), 1u);
}

TEST_F(engine_test, a_survivor_fires_the_deadlines_of_an_engine_that_died) {
  auto survivor = start_node(50ms);  // started first: it never saw the ticket's deadlines
  std::string id;
  {
    auto doomed = start_node();
    auto r = run(ioc_, doomed->eng.ingest(ticket("6", "家里停电了", "丹桂苑3号楼")));
    ASSERT_TRUE(r);
    id = r->order.wo.id;
  }  // gone, with its timers
  EXPECT_EQ(survivor->eng.armed(), 0u);
  clock_.advance(31min);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return survivor->eng.stats().breaches == 2; }));
  auto o = load(*survivor, id);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::on_site), 1u);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::acknowledge), 1u);
  EXPECT_GE(survivor->eng.stats().swept, 2u);
  testing::run_until(
      ioc_, [] { return false; }, 300ms);  // more sweeps: nothing fires twice
  EXPECT_EQ(load(*survivor, id).history.size(), o.history.size());
}

TEST_F(engine_test, a_job_nobody_acknowledges_walks_the_whole_ladder_once) {
  auto a = start_node();
  auto r = run(ioc_, a->eng.ingest(ticket("5", "水管爆了，水漫到楼道", "丹桂苑3号楼")));
  ASSERT_TRUE(r);
  const auto id = r->order.wo.id;
  auto b = start_node();  // a second engine with the same deadlines: nothing may go out twice
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(outbox(*a), (std::vector<P>{{"dispatch", "holder"}}));

  clock_.advance(10min);  // not acknowledged: the station takes the urgent job
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return load(*a, id).wo.holder == "街道物业应急维修服务站"; }));
  clock_.advance(10min);  // 20 min: the warning
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return outbox(*a).size() == 5; }));
  clock_.advance(10min);  // 30 min: the breach
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return outbox(*a).size() == 9; }));
  clock_.advance(15min);  // 45 min: told again
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return outbox(*a).size() == 12; }));
  testing::run_until(
      ioc_, [] { return false; }, 200ms);

  std::set<std::string> keys;
  auto sent = outbox(*a, &keys);
  EXPECT_EQ(sent, (std::vector<P>{{"dispatch", "holder"},
                                  {"breach", "station"},
                                  {"fallback", "holder"},
                                  {"warn", "holder"},
                                  {"warn", "committee"},
                                  {"breach", "centre"},
                                  {"breach", "committee"},
                                  {"breach", "holder"},
                                  {"breach", "hotline"},
                                  {"renotify", "centre"},
                                  {"renotify", "committee"},
                                  {"renotify", "holder"}}));
  EXPECT_EQ(keys.size(), sent.size());  // every message has a key of its own

  // The station's crew arrives: the reminders stop.
  sla::member station_crew{"13900000009", "应急站", "街道物业应急维修服务站", sla::role::station};
  sla::action arrive{.kind = sla::action_kind::arrive};
  auto done = run(ioc_, a->eng.act(station_crew, id, arrive));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->what, act_outcome::kind::applied);
  clock_.advance(30min);
  testing::run_until(
      ioc_, [] { return false; }, 200ms);
  auto after = outbox(*a);
  ASSERT_EQ(after.size(), 13u);  // no more reminders; only the hotline told of the arrival
  EXPECT_EQ(after.back(), (P{"on_site", "hotline"}));
  auto o = load(*a, id);
  EXPECT_EQ(count(o, sla::event_kind::warned, sla::clock_kind::on_site), 1u);
  EXPECT_EQ(count(o, sla::event_kind::renotified, sla::clock_kind::on_site), 1u);
  EXPECT_EQ(o.wo.responsible_firm, "临客嘉物业");
}

}  // namespace
}  // namespace halfhour
