// The in-memory store keeps the Redis store's promises the engine relies on: versions and
// conflicts, a firing fenced by its step, idempotency keys, the open-jobs index and the lease.
#include "tests/unit/dispatcher/memory_store.hpp"

#include <gtest/gtest.h>

#include "adapters/errors.hpp"
#include "tests/integration/manual_clock.hpp"
#include "tests/integration/run.hpp"
#include "tests/unit/dispatcher/fixtures.hpp"

namespace halfhour::testing {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

class memory_store_test : public ::testing::Test {
 protected:
  created_order create(std::string key) {
    std::function<sla::decision(std::string)> build = [this](std::string id) {
      return sla::accept(intake(), std::move(id), burst(), placed(), ladder(), sla::limits{}, clock_.now());
    };
    auto c = run(ioc_, store_.create(std::move(key), std::move(build)));
    EXPECT_TRUE(c);
    return *c;
  }

  asio::io_context ioc_;
  // Nothing here keeps the context busy between runs (in Redis's tests the connection does): it
  // must not stop when a run leaves it idle.
  asio::executor_work_guard<asio::io_context::executor_type> busy_ = asio::make_work_guard(ioc_);
  manual_clock clock_{ioc_.get_executor(), t0};
  memory_store store_{clock_};
};

TEST_F(memory_store_test, a_known_key_creates_nothing_and_answers_with_its_order) {
  auto a = create("12345:1");
  auto b = create("12345:1");
  EXPECT_TRUE(a.created);
  EXPECT_FALSE(b.created);
  EXPECT_EQ(a.order.wo.id, b.order.wo.id);
  EXPECT_EQ(a.order.wo.version, 1);
  EXPECT_EQ(store_.armed(), a.order.wo.clocks.size() + 1);  // each clock's deadline, the on-site warning
}

TEST_F(memory_store_test, a_write_on_a_version_that_moved_on_is_a_conflict) {
  auto wo = create("12345:1").order.wo;
  sla::decision d{.next = wo};
  d.events.push_back({});
  EXPECT_EQ(*run(ioc_, store_.apply(d, wo, std::nullopt)), 2);
  auto again = run(ioc_, store_.apply(d, wo, std::nullopt));
  EXPECT_EQ(again.error(), make_error_code(errc::conflict));
}

TEST_F(memory_store_test, a_step_fires_only_while_armed_for_that_very_moment) {
  auto wo = create("12345:1").order.wo;
  const sla::deadline on_site{sla::clock_kind::on_site, t0 + 30min};
  auto d = sla::on_deadline(wo, on_site, t0 + 30min, false, ladder());
  auto moved = run(ioc_, store_.apply(d, wo, sla::deadline{sla::clock_kind::on_site, t0 + 31min}));
  EXPECT_EQ(moved.error(), make_error_code(errc::stale));
  EXPECT_TRUE(run(ioc_, store_.apply(d, wo, on_site)));
  wo.version = 2;
  auto twice = run(ioc_, store_.apply(d, wo, on_site));
  EXPECT_EQ(twice.error(), make_error_code(errc::stale));
}

TEST_F(memory_store_test, the_open_jobs_index_follows_the_holder) {
  auto wo = create("12345:1").order.wo;
  EXPECT_EQ(*run(ioc_, store_.open_orders(firm)), std::vector<std::string>{wo.id});
  sla::decision d{.next = wo};
  d.next.holder = station;
  run(ioc_, store_.apply(d, wo, std::nullopt));
  EXPECT_TRUE(run(ioc_, store_.open_orders(firm))->empty());
  EXPECT_EQ(*run(ioc_, store_.open_orders(station)), std::vector<std::string>{wo.id});
}

TEST_F(memory_store_test, a_key_remembered_keeps_what_it_points_at_unless_replaced) {
  EXPECT_EQ(*run(ioc_, store_.remember("k", "W01-000001", false)), "W01-000001");
  EXPECT_EQ(*run(ioc_, store_.remember("k", "W02-000002", false)), "W01-000001");
  EXPECT_EQ(*run(ioc_, store_.remember("k", "W02-000002", true)), "W02-000002");
}

constexpr auto brief = work_order_store::lease_kind::brief;

TEST_F(memory_store_test, a_lease_is_held_until_let_go_by_its_holder_or_run_out) {
  EXPECT_TRUE(*run(ioc_, store_.lease("dup:丹桂苑", "a", 3000ms, brief)));
  EXPECT_FALSE(*run(ioc_, store_.lease("dup:丹桂苑", "b", 3000ms, brief)));
  run(ioc_, store_.release("dup:丹桂苑", "b", brief));  // not b's to let go
  EXPECT_EQ(store_.lease_holder("dup:丹桂苑"), "a");
  clock_.advance(3s);
  EXPECT_TRUE(*run(ioc_, store_.lease("dup:丹桂苑", "b", 3000ms, brief)));
}

TEST_F(memory_store_test, a_store_away_answers_unavailable) {
  store_.set_available(false);
  EXPECT_EQ(run(ioc_, store_.lookup("k")).error(), make_error_code(errc::unavailable));
  EXPECT_EQ(run(ioc_, store_.lease("n", "t", 1ms, brief)).error(), make_error_code(errc::unavailable));
}

}  // namespace
}  // namespace halfhour::testing
