// The firms' monthly grade, on constructed month figures with scores worked out by hand.
#include "sla/scorecard.hpp"

#include <gtest/gtest.h>

namespace halfhour::sla {
namespace {

constexpr const char* station = "街道物业应急维修服务站";

group_stats firm(std::string name) {
  group_stats g;
  g.name = std::move(name);
  g.received = 20;
  return g;
}

report month_of(std::vector<group_stats> firms) {
  report r;
  r.firms = std::move(firms);
  return r;
}

scorecard_rules rules() {
  scorecard_rules r;
  r.on_time = 35;
  r.first_contact = 20;
  r.satisfaction = 20;
  r.breaches = 15;
  r.redo = 10;
  r.urgent_weight = 3;
  return r;
}

TEST(scorecard, each_part_is_weighed_and_an_urgent_jobs_breach_counts_three_times) {
  auto a = firm("甲物业");
  a.on_site = {4, 1};        // urgent, on site: 4 met, 1 breached
  a.contact = {10, 0};       // general, contact: 10 met
  a.acknowledge = {15, 0};   // 15 acknowledged in time (5 urgent, 10 general)
  a.urgent_clocks = {9, 1};  // the urgent jobs' on-site and acknowledge clocks
  a.rated = 10;
  a.satisfied = 8;
  a.basically_satisfied = 1;
  a.dissatisfied = 1;
  a.reopened = 1;
  const auto s = score_firms(month_of({a}), report{}, rules(), station);
  ASSERT_EQ(s.size(), 1u);
  // on time 14/15; first contact (on site + contact) 14/15; satisfaction 8/10;
  // breaches: 1 urgent of 10 urgent clocks and 0 of 20 others -> 1 - 3/(30 + 20) = 0.94; redo 1 - 1/10.
  EXPECT_DOUBLE_EQ(*s[0].parts.on_time, 14.0 / 15);
  EXPECT_DOUBLE_EQ(*s[0].parts.satisfaction, 0.8);
  EXPECT_DOUBLE_EQ(*s[0].parts.breaches, 0.94);
  EXPECT_DOUBLE_EQ(*s[0].parts.redo, 0.9);
  const double expected = (35 * 14.0 / 15 + 20 * 14.0 / 15 + 20 * 0.8 + 15 * 0.94 + 10 * 0.9);  // of 100
  EXPECT_NEAR(s[0].score, expected, 1e-9);                                                      // 90.43…
  EXPECT_EQ(s[0].g, grade::green);
}

TEST(scorecard, a_part_without_figures_leaves_its_weight_out_rather_than_counting_as_zero) {
  auto b = firm("乙物业");
  b.contact = {3, 1};  // general only; nobody called back
  const auto s = score_firms(month_of({b}), report{}, rules(), station);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_FALSE(s[0].parts.satisfaction);
  EXPECT_FALSE(s[0].parts.redo);
  // on time 3/4, first contact 3/4, breaches 1 - 1/4: (35 + 20 + 15) * 0.75 / 70 = 75 -> 橙.
  EXPECT_NEAR(s[0].score, 75.0, 1e-9);
  EXPECT_EQ(s[0].g, grade::orange);
}

TEST(scorecard, grades_fall_at_the_thresholds_and_the_worst_come_first_with_last_month_beside) {
  auto green = firm("丙物业");
  green.contact = {9, 1};  // 90 exactly
  auto yellow = firm("丁物业");
  yellow.contact = {8, 2};  // 80
  auto red = firm("戊物业");
  red.contact = {6, 4};  // 60
  auto stn = firm(station);
  stn.contact = {0, 5};
  auto idle = firm("己物业");  // nothing to judge this month
  auto before = firm("丁物业");
  before.contact = {10, 0};
  const auto s = score_firms(month_of({green, yellow, red, stn, idle}), month_of({before}), rules(), station);
  ASSERT_EQ(s.size(), 3u) << "the station is not graded, nor a firm with nothing to judge";
  EXPECT_EQ(s[0].firm, "戊物业");
  EXPECT_EQ(s[0].g, grade::red);
  EXPECT_EQ(s[1].firm, "丁物业");
  EXPECT_EQ(s[1].g, grade::yellow);
  EXPECT_EQ(s[2].g, grade::green);
  EXPECT_NEAR(*s[1].previous_score, 100.0, 1e-9);
  EXPECT_EQ(s[1].previous_grade, grade::green);
  EXPECT_FALSE(s[0].previous_score);
  EXPECT_EQ(level_of(grade::green), 4);
  EXPECT_EQ(level_of(grade::red), 1);
  EXPECT_STREQ(name_of(grade::orange), "橙");
}

TEST(scorecard, rules_with_a_negative_weight_no_weight_or_thresholds_out_of_order_are_refused) {
  EXPECT_TRUE(rules().problems().empty());
  auto r = rules();
  r.redo = -1;
  EXPECT_FALSE(r.problems().empty());
  r = rules();
  r.on_time = r.first_contact = r.satisfaction = r.breaches = r.redo = 0;
  EXPECT_FALSE(r.problems().empty());
  r = rules();
  r.yellow = 95;
  EXPECT_FALSE(r.problems().empty());
}

}  // namespace
}  // namespace halfhour::sla
