#include "sla/retention.hpp"

#include <gtest/gtest.h>

namespace halfhour::sla {
namespace {

using namespace std::chrono_literals;

TEST(retention, thirteen_months_keep_last_years_same_month_at_hand) {
  const auto now = month{2026, 12}.start() + 24h * 4;
  EXPECT_EQ(first_kept(now, 13), (month{2025, 11}));
  EXPECT_EQ(first_kept(now, 2), (month{2026, 10}));
  EXPECT_EQ(first_kept(month{2026, 1}.start(), 1), (month{2025, 12})) << "the first instant of a month is in it";
}

TEST(retention, only_a_done_job_with_no_clock_running_may_leave) {
  work_order wo;
  wo.state = wo_state::done;
  clock stopped;
  stopped.stopped = instant{} + 1min;
  wo.clocks.push_back(stopped);
  EXPECT_TRUE(archivable(wo));
  wo.clocks.push_back(clock{.kind = clock_kind::redo});
  EXPECT_FALSE(archivable(wo)) << "a clock still running";
  wo.clocks.back().retired = true;
  EXPECT_TRUE(archivable(wo));
  wo.state = wo_state::reopened;
  EXPECT_FALSE(archivable(wo));
}

TEST(retention, a_pass_writes_what_no_part_holds_as_it_stands_and_removes_every_finished_job) {
  const std::vector<live_copy> live{{{"W00-000001", 5, 100}, true},   // not archived yet
                                    {{"W00-000002", 4, 80}, true},    // archived by a pass that died
                                    {{"W00-000003", 7, 120}, true},   // archived, then changed
                                    {{"W00-000004", 3, 60}, false}};  // still open
  const std::vector<copy_stamp> archived{{"W00-000002", 4, 80}, {"W00-000003", 7, 90}};
  const auto plan = plan_month(live, archived);
  EXPECT_EQ(plan.write, (std::vector<std::string>{"W00-000001", "W00-000003"}));
  EXPECT_EQ(plan.remove, (std::vector<copy_stamp>{live[0].stamp, live[1].stamp, live[2].stamp}));
  EXPECT_EQ(plan.kept, 1u);
}

TEST(retention, of_two_copies_the_later_version_or_the_longer_journal_wins) {
  EXPECT_TRUE(later({"a", 3, 10}, {"a", 2, 50}));
  EXPECT_TRUE(later({"a", 3, 60}, {"a", 3, 50}));
  EXPECT_FALSE(later({"a", 3, 50}, {"a", 3, 50}));
}

}  // namespace
}  // namespace halfhour::sla
