// The in-memory image of the deadline set: a decision's cancels and arms, and the fencing rule
// that a step fires only while it is armed for the very moment it came due for.
#include "sla/armed_steps.hpp"

#include <gtest/gtest.h>

namespace halfhour::sla {
namespace {

using namespace std::chrono_literals;

const instant t0 = from_ms(1'795'000'000'000);

deadline due(clock_kind k, instant at) { return {k, at, step::due, 0}; }
deadline warning(clock_kind k, instant at, int i) { return {k, at, step::warn, i}; }

TEST(armed_steps, a_step_is_armed_for_the_moment_it_was_armed_for_and_no_other) {
  armed_steps a;
  a.apply({}, {due(clock_kind::on_site, t0 + 30min)});
  EXPECT_TRUE(a.armed_for(due(clock_kind::on_site, t0 + 30min)));
  EXPECT_FALSE(a.armed_for(due(clock_kind::on_site, t0 + 31min)));
  EXPECT_FALSE(a.armed_for(due(clock_kind::contact, t0 + 30min)));
  EXPECT_FALSE(a.armed_for(warning(clock_kind::on_site, t0 + 30min, 0)));
}

TEST(armed_steps, arming_an_armed_step_moves_it) {
  armed_steps a;
  a.apply({}, {due(clock_kind::on_site, t0 + 30min)});
  a.apply({}, {due(clock_kind::on_site, t0 + 40min)});
  EXPECT_FALSE(a.armed_for(due(clock_kind::on_site, t0 + 30min)));
  EXPECT_TRUE(a.armed_for(due(clock_kind::on_site, t0 + 40min)));
  EXPECT_EQ(a.size(), 1u);
}

TEST(armed_steps, a_cancel_names_the_step_whatever_its_moment_and_goes_before_the_arms) {
  armed_steps a;
  a.apply({}, {warning(clock_kind::on_site, t0 + 20min, 0), warning(clock_kind::on_site, t0 + 25min, 1)});
  decision d;
  d.cancel = {warning(clock_kind::on_site, {}, 0), {clock_kind::on_site, {}, step::renotify, 0}};
  d.arm = {{clock_kind::on_site, t0 + 45min, step::renotify, 0}};
  a.apply(d);
  EXPECT_FALSE(a.armed_for(warning(clock_kind::on_site, t0 + 20min, 0)));
  EXPECT_TRUE(a.armed_for(warning(clock_kind::on_site, t0 + 25min, 1)));
  EXPECT_TRUE(a.armed_for({clock_kind::on_site, t0 + 45min, step::renotify, 0}));
}

TEST(armed_steps, every_armed_step_is_listed_with_its_moment) {
  armed_steps a;
  EXPECT_TRUE(a.empty());
  a.apply({}, {due(clock_kind::on_site, t0 + 30min), due(clock_kind::acknowledge, t0 + 10min)});
  EXPECT_EQ(a.all(),
            (std::vector<deadline>{due(clock_kind::acknowledge, t0 + 10min), due(clock_kind::on_site, t0 + 30min)}));
}

// The decision on a firing cancels the step that fired, so it cannot fire twice.
TEST(armed_steps, a_breach_decision_disarms_the_step_that_fired) {
  intake in{channel::hotline_12345, "1", {"王女士", "13912345678"}, "厨房水管爆了", "丹桂苑3号楼", std::nullopt};
  classification cls{urgency::urgent, "burst_pipe", "水管爆裂水漫", {}, "", false};
  resolution where;
  where.to = route::firm;
  where.community_name = "丹桂苑";
  where.firm = "临客嘉物业";
  auto accepted = accept(in, "W01-000001", cls, where, "街道物业应急维修服务站", limits{}, t0);
  armed_steps a;
  a.apply(accepted);
  const deadline on_site{clock_kind::on_site, t0 + 30min};
  ASSERT_TRUE(a.armed_for(on_site));
  a.apply(on_deadline(accepted.next, on_site, t0 + 30min, false, ladder{}));
  EXPECT_FALSE(a.armed_for(on_site));
}

}  // namespace
}  // namespace halfhour::sla
