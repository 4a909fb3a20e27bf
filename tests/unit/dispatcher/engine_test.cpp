// The engine on the in-memory store with a hand-moved clock: a ticket accepted and its retry,
// the breach at thirty minutes and not before, each deadline firing once with two engines, a
// second report of one incident joining the open job, and recovery of what fell due while down.
// No redis-server: each test runs in milliseconds, most of them on no real time at all.
#include "dispatcher/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "adapters/config.hpp"
#include "tests/integration/manual_clock.hpp"
#include "tests/integration/run.hpp"
#include "tests/unit/dispatcher/fixtures.hpp"
#include "tests/unit/dispatcher/memory_store.hpp"

namespace halfhour {
namespace {

using namespace std::chrono_literals;
using testing::run;
namespace asio = boost::asio;

std::size_t count(const stored_order& o, sla::event_kind k, sla::clock_kind c) {
  return static_cast<std::size_t>(std::count_if(o.history.begin(), o.history.end(),
                                                [&](const sla::event& e) { return e.kind == k && e.clock == c; }));
}

class engine_unit : public ::testing::Test {
 protected:
  std::unique_ptr<engine> start_engine() {
    auto e = std::make_unique<engine>(ioc_.get_executor(), store_, clock_, classifier_, resolver_, sla::limits{});
    e->sweep_every(0ms, 2s);  // the sweep ticks on real time: the tests move the clock by hand
    run(ioc_, e->recover());
    return e;
  }

  ingest_outcome ingest(engine& e, std::string no, std::string content, std::string address) {
    auto t = testing::ticket(std::move(no), std::move(content));
    t.intake.address = std::move(address);
    auto r = run(ioc_, e.ingest(std::move(t)));
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : ingest_outcome{};
  }

  stored_order load(const std::string& id) {
    auto o = run(ioc_, store_.load(id, true));
    EXPECT_TRUE(o);
    return o ? *o : stored_order{};
  }

  // Lets every handler that is ready run, without waiting on real time.
  void settle() { ioc_.poll(); }

  asio::io_context ioc_;
  // Nothing here keeps the context busy between runs (in Redis's tests the connection does): it
  // must not stop when a run leaves it idle.
  asio::executor_work_guard<asio::io_context::executor_type> busy_ = asio::make_work_guard(ioc_);
  testing::manual_clock clock_{ioc_.get_executor(), testing::t0};
  testing::memory_store store_{clock_};
  sla::classifier classifier_{config::default_rules()};
  sla::resolver resolver_{config::default_directory()};
};

TEST_F(engine_unit, a_ticket_is_accepted_once_stored_with_its_deadlines_armed_here_and_in_the_store) {
  auto e = start_engine();
  auto r = ingest(*e, "1", "厨房水管爆了", "丹桂苑3号楼");
  ASSERT_EQ(r.what, ingest_outcome::kind::created);
  EXPECT_EQ(r.order.wo.holder, testing::firm);
  EXPECT_EQ(r.order.wo.accepted_at, testing::t0);
  EXPECT_EQ(load(r.order.wo.id).wo.version, 1);
  EXPECT_EQ(e->armed(), 4u);
  EXPECT_EQ(store_.armed(), 4u);
  EXPECT_EQ(e->stats().accepted, 1u);
  ASSERT_EQ(store_.outbox().size(), 1u);
  EXPECT_EQ(store_.outbox()[0].second.kind, "dispatch");
  EXPECT_FALSE(store_.lease_holder("dup:丹桂苑"));  // let go before the answer
}

TEST_F(engine_unit, a_retried_ticket_is_answered_with_the_same_order_and_arms_nothing_new) {
  auto e = start_engine();
  auto a = ingest(*e, "2", "门锁坏了", "丹桂苑");
  const auto armed = e->armed();
  auto b = ingest(*e, "2", "门锁坏了", "丹桂苑");
  EXPECT_EQ(a.what, ingest_outcome::kind::created);
  EXPECT_EQ(b.what, ingest_outcome::kind::repeat);
  EXPECT_EQ(a.order.wo.id, b.order.wo.id);
  EXPECT_EQ(e->armed(), armed);
  EXPECT_EQ(e->stats().duplicates, 1u);
  EXPECT_EQ(store_.outbox().size(), 1u);
}

TEST_F(engine_unit, an_urgent_ticket_breaches_at_thirty_minutes_not_before) {
  auto e = start_engine();
  const auto id = ingest(*e, "3", "厨房水管爆了", "丹桂苑3号楼").order.wo.id;
  clock_.advance(29min + 59s);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return e->stats().breaches == 1; }));  // the 10-minute acknowledgement
  settle();
  EXPECT_EQ(count(load(id), sla::event_kind::clock_breached, sla::clock_kind::on_site), 0u);

  clock_.advance(1s);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return e->stats().breaches == 2; }));
  auto after = load(id);
  ASSERT_EQ(count(after, sla::event_kind::clock_breached, sla::clock_kind::on_site), 1u);
  EXPECT_EQ(after.history.back().late_ms, 0);
  EXPECT_FALSE(after.history.back().on_recovery);
  EXPECT_FALSE(store_.armed_for(id, {sla::clock_kind::on_site, testing::t0 + 30min}));
}

TEST_F(engine_unit, two_engines_with_the_same_deadlines_record_each_breach_once) {
  auto a = start_engine();
  const auto id = ingest(*a, "4", "楼道里有煤气味", "丹桂苑").order.wo.id;
  auto b = start_engine();  // recovers the deadlines A armed
  EXPECT_EQ(b->armed(), 4u);
  clock_.advance(31min);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return a->stats().breaches + b->stats().breaches == 2; }));
  settle();
  EXPECT_EQ(a->stats().breaches + b->stats().breaches, 2u);  // acknowledgement and on site, once each
  auto o = load(id);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::on_site), 1u);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::acknowledge), 1u);
}

TEST_F(engine_unit, a_neighbours_report_of_the_same_incident_joins_the_open_job) {
  auto e = start_engine();
  const auto first = ingest(*e, "5", "3号楼楼道水管爆裂，水一直往下流", "丹桂苑3号楼");
  clock_.advance(4min);
  const auto armed = e->armed();
  const auto second = ingest(*e, "6", "3号楼水管爆了，楼道全是水", "丹桂苑3号楼");
  ASSERT_EQ(second.what, ingest_outcome::kind::linked);
  EXPECT_EQ(second.order.wo.id, first.order.wo.id);
  EXPECT_FALSE(second.reason.empty());
  ASSERT_EQ(second.order.wo.linked.size(), 1u);
  EXPECT_EQ(second.order.wo.linked[0].key, "12345:6");
  EXPECT_EQ(e->stats().linked, 1u);
  EXPECT_EQ(e->stats().accepted, 1u);
  EXPECT_EQ(e->armed(), armed);  // one job, one set of clocks
  auto known = run(ioc_, store_.lookup("12345:6"));
  ASSERT_TRUE(known && *known);
  EXPECT_EQ((*known)->id, first.order.wo.id);
  // The retry of the linked report is answered with the job it joined.
  EXPECT_EQ(ingest(*e, "6", "3号楼水管爆了，楼道全是水", "丹桂苑3号楼").what, ingest_outcome::kind::repeat);
  EXPECT_FALSE(store_.lease_holder("dup:丹桂苑"));
}

TEST_F(engine_unit, a_deadline_passed_while_down_fires_on_recovery_exactly_once) {
  std::string id;
  {
    auto first = start_engine();
    id = ingest(*first, "7", "电梯困人", "金桂苑5号").order.wo.id;
  }
  clock_.advance(45min);
  auto second = start_engine();
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return second->stats().breaches_on_recovery == 2; }));
  settle();
  auto o = load(id);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::on_site), 1u);
  auto breach = std::find_if(o.history.begin(), o.history.end(), [](const sla::event& ev) {
    return ev.kind == sla::event_kind::clock_breached && ev.clock == sla::clock_kind::on_site;
  });
  EXPECT_EQ(breach->late_ms, std::chrono::milliseconds(15min).count());
  auto third = start_engine();  // a second restart fires nothing again
  settle();
  EXPECT_EQ(third->stats().breaches, 0u);
  EXPECT_EQ(load(id).history.size(), o.history.size());
}

// These two wait on real timers (40 x 5 ms, then 500 ms): the protocols' waits, carried out.
TEST_F(engine_unit, a_report_waits_out_a_lease_nobody_lets_go_and_looks_for_duplicates_without_it) {
  auto e = start_engine();
  ASSERT_TRUE(*run(ioc_, store_.lease("dup:丹桂苑", "a dead engine's", 60s)));
  const auto first = ingest(*e, "8", "3号楼楼道水管爆裂，水一直往下流", "丹桂苑3号楼");
  EXPECT_EQ(first.what, ingest_outcome::kind::created);
  const auto second = ingest(*e, "9", "3号楼水管爆了，楼道全是水", "丹桂苑3号楼");
  EXPECT_EQ(second.what, ingest_outcome::kind::linked);  // the look without the lease still finds it
  EXPECT_EQ(store_.lease_holder("dup:丹桂苑"), "a dead engine's");
}

TEST_F(engine_unit, a_deadline_the_store_cannot_take_is_tried_again_half_a_second_later) {
  auto e = start_engine();
  const auto id = ingest(*e, "10", "厨房水管爆了", "丹桂苑3号楼").order.wo.id;
  store_.set_available(false);
  clock_.advance(10min);  // the acknowledgement deadline
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return e->stats().fire_retries == 1; }));
  EXPECT_EQ(e->stats().store_errors, 1u);
  EXPECT_EQ(e->stats().breaches, 0u);
  store_.set_available(true);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return e->stats().breaches == 1; }));
  EXPECT_EQ(count(load(id), sla::event_kind::clock_breached, sla::clock_kind::acknowledge), 1u);
}

}  // namespace
}  // namespace halfhour
