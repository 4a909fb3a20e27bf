// Working days around the holidays that matter most to a 5-working-day clock: 国庆, 春节 and
// the weekend days worked in exchange. Expectations are written in Shanghai time and checked
// against the 2026 notice (国务院办公厅, 2025-11-04), typed here by hand, apart from the file.
#include "sla/workdays.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "tests/unit/sla/shanghai_days.hpp"

namespace halfhour::sla {
namespace {

using testing::on;
using testing::sh;

using namespace std::chrono_literals;
namespace ch = std::chrono;

holiday_year notice_2026() {
  holiday_year y;
  y.year = 2026;
  y.holidays = {{"元旦", on(2026, 1, 1), on(2026, 1, 3)},     {"春节", on(2026, 2, 15), on(2026, 2, 23)},
                {"清明节", on(2026, 4, 4), on(2026, 4, 6)},   {"劳动节", on(2026, 5, 1), on(2026, 5, 5)},
                {"端午节", on(2026, 6, 19), on(2026, 6, 21)}, {"中秋节", on(2026, 9, 25), on(2026, 9, 27)},
                {"国庆节", on(2026, 10, 1), on(2026, 10, 7)}};
  y.workdays = {on(2026, 1, 4), on(2026, 2, 14), on(2026, 2, 28), on(2026, 5, 9), on(2026, 9, 20), on(2026, 10, 10)};
  return y;
}

const working_calendar& cal() {
  static const working_calendar c({notice_2026()});
  return c;
}

TEST(workdays, the_day_a_clock_starts_does_not_count_and_the_deadline_is_the_end_of_the_office_day) {
  // Tuesday 2026-11-03, morning or night: one working day is Wednesday 17:30.
  EXPECT_EQ(cal().due(sh(2026, 11, 3, 9, 0), 1), sh(2026, 11, 4, 17, 30));
  EXPECT_EQ(cal().due(sh(2026, 11, 3, 23, 59), 1), sh(2026, 11, 4, 17, 30));
  // Five working days from a Tuesday cross one weekend.
  EXPECT_EQ(cal().due(sh(2026, 11, 3, 9, 0), 5), sh(2026, 11, 10, 17, 30));
}

TEST(workdays, a_job_taken_at_the_weekend_owes_its_first_working_day_by_monday_evening) {
  EXPECT_EQ(cal().due(sh(2026, 11, 7, 10, 0), 1), sh(2026, 11, 9, 17, 30));  // Saturday
  EXPECT_EQ(cal().due(sh(2026, 11, 8, 22, 0), 1), sh(2026, 11, 9, 17, 30));  // Sunday night
}

TEST(workdays, the_national_day_week_is_not_counted_and_its_saturday_is) {
  // Wednesday 30 September: 1–7 October are off, the 8th and 9th worked, Saturday the 10th too.
  EXPECT_EQ(cal().due(sh(2026, 9, 30, 15, 0), 1), sh(2026, 10, 8, 17, 30));
  EXPECT_EQ(cal().due(sh(2026, 9, 30, 15, 0), 3), sh(2026, 10, 10, 17, 30));
  EXPECT_EQ(cal().due(sh(2026, 9, 30, 15, 0), 5), sh(2026, 10, 13, 17, 30));
  EXPECT_TRUE(cal().is_working_day(on(2026, 10, 10)));
  EXPECT_FALSE(cal().is_working_day(on(2026, 10, 5)));  // a Monday, but 国庆
  EXPECT_EQ(cal().holiday_on(on(2026, 10, 5)), "国庆节");
  EXPECT_EQ(cal().holiday_on(on(2026, 10, 10)), "");
}

TEST(workdays, a_sunday_worked_in_exchange_counts_as_a_working_day) {
  // Saturday 19 September, before 中秋: Sunday the 20th is worked.
  EXPECT_EQ(cal().due(sh(2026, 9, 19, 11, 0), 1), sh(2026, 9, 20, 17, 30));
  // Thursday 24th: 中秋 takes Friday to Sunday, so one working day is Monday the 28th.
  EXPECT_EQ(cal().due(sh(2026, 9, 24, 11, 0), 1), sh(2026, 9, 28, 17, 30));
}

TEST(workdays, the_spring_festival_holds_a_clock_for_nine_days) {
  // Friday 13 February: Saturday the 14th is worked, then 15–23 are off.
  EXPECT_EQ(cal().due(sh(2026, 2, 13, 16, 0), 1), sh(2026, 2, 14, 17, 30));
  EXPECT_EQ(cal().due(sh(2026, 2, 13, 16, 0), 2), sh(2026, 2, 24, 17, 30));
  // A job taken on 除夕 (the 16th) owes its five days from the 24th: 24, 25, 26, 27, 28 (a Saturday worked).
  EXPECT_EQ(cal().due(sh(2026, 2, 16, 20, 0), 5), sh(2026, 2, 28, 17, 30));
}

TEST(workdays, zero_working_days_means_the_end_of_today_when_today_is_worked_and_not_over) {
  EXPECT_EQ(cal().due(sh(2026, 11, 3, 9, 0), 0), sh(2026, 11, 3, 17, 30));
  EXPECT_EQ(cal().due(sh(2026, 11, 3, 18, 0), 0), sh(2026, 11, 4, 17, 30));
  EXPECT_EQ(cal().due(sh(2026, 10, 2, 9, 0), 0), sh(2026, 10, 8, 17, 30));
}

TEST(workdays, the_end_of_the_office_day_is_configurable) {
  const working_calendar c({notice_2026()}, ch::hours{17});
  EXPECT_EQ(c.due(sh(2026, 11, 3, 9, 0), 1), sh(2026, 11, 4, 17, 0));
  EXPECT_THROW(working_calendar({notice_2026()}, ch::hours{25}), std::invalid_argument);
}

TEST(workdays, a_year_without_a_notice_counts_monday_to_friday_and_is_reported) {
  // 2027: New Year's Day is a Friday and would be off, but no notice says so.
  EXPECT_TRUE(cal().is_working_day(on(2027, 1, 1)));
  EXPECT_EQ(cal().due(sh(2026, 12, 31, 10, 0), 1), sh(2027, 1, 1, 17, 30));
  EXPECT_EQ(cal().unknown_years(sh(2026, 11, 1), sh(2026, 12, 31)), std::vector<int>{});
  EXPECT_EQ(cal().unknown_years(sh(2026, 12, 1), sh(2027, 3, 1)), std::vector<int>{2027});
  // The year is Shanghai's: 31 December 20:00 UTC is already 1 January there.
  EXPECT_EQ(cal().unknown_years(sh(2026, 12, 31, 20), sh(2026, 12, 31, 23)), std::vector<int>{});
  EXPECT_EQ(cal().unknown_years(sh(2027, 1, 1, 0), sh(2027, 1, 1, 1)), std::vector<int>{2027});
  EXPECT_TRUE(cal().knows(2026));
  EXPECT_FALSE(cal().knows(2027));
}

TEST(workdays, a_notice_written_wrong_is_refused_and_the_reason_names_the_day) {
  auto weekday_worked = notice_2026();
  weekday_worked.workdays.push_back(on(2026, 3, 4));  // a Wednesday
  ASSERT_EQ(problems(weekday_worked).size(), 1u);
  EXPECT_EQ(problems(weekday_worked)[0], "workday 2026-03-04 is not a Saturday or Sunday");
  EXPECT_THROW(working_calendar({weekday_worked}), std::invalid_argument);

  auto backwards = notice_2026();
  backwards.holidays[1].last = on(2026, 2, 5);
  EXPECT_NE(problems(backwards).at(0).find("ends before it starts"), std::string::npos);

  auto other_year = notice_2026();
  other_year.holidays.push_back({"国庆节", on(2028, 10, 1), on(2028, 10, 7)});
  EXPECT_NE(problems(other_year).at(0).find("is not in 2026"), std::string::npos);

  auto worked_holiday = notice_2026();
  worked_holiday.workdays.push_back(on(2026, 10, 3));  // a Saturday inside 国庆
  EXPECT_EQ(problems(worked_holiday).at(0), "workday 2026-10-03 is also a holiday");

  auto month_long = notice_2026();
  month_long.holidays[0].last = on(2026, 1, 30);
  EXPECT_NE(problems(month_long).at(0).find("longer than"), std::string::npos);

  EXPECT_TRUE(problems(notice_2026()).empty());
  EXPECT_THROW(working_calendar({notice_2026(), notice_2026()}), std::invalid_argument);
}

TEST(workdays, dates_are_read_only_in_the_iso_form) {
  EXPECT_EQ(parse_day("2026-10-01"), on(2026, 10, 1));
  EXPECT_EQ(day_label(on(2026, 2, 14)), "2026-02-14");
  EXPECT_FALSE(parse_day("2026-02-30"));
  EXPECT_FALSE(parse_day("2026-1-01"));
  EXPECT_FALSE(parse_day("2026/10/01"));
  EXPECT_FALSE(parse_day(""));
}

}  // namespace
}  // namespace halfhour::sla
