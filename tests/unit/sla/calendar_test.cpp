// The Shanghai calendar: months and days begin at midnight UTC+8, which is 16:00 UTC the day
// before, so every edge is tested from both sides of it, at month and year ends.
#include "sla/calendar.hpp"

#include <gtest/gtest.h>

namespace halfhour::sla {
namespace {

using namespace std::chrono_literals;
namespace ch = std::chrono;

// An instant written in UTC, so the eight hours are visible in every expectation.
instant utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0, int ms = 0) {
  const ch::sys_days day{ch::year{y} / ch::month{m} / ch::day{d}};
  return instant{ch::duration_cast<duration>(day.time_since_epoch())} + ch::hours{hh} + ch::minutes{mm} +
         ch::seconds{ss} + ch::milliseconds{ms};
}

TEST(calendar, a_month_starts_at_midnight_in_shanghai_which_is_four_in_the_afternoon_utc) {
  const month october{2026, 10};
  EXPECT_EQ(october.start(), utc(2026, 9, 30, 16));
  EXPECT_EQ(october.end(), utc(2026, 10, 31, 16));
  EXPECT_EQ(october.end(), october.next().start());
  EXPECT_EQ(october.days(), 31);
}

TEST(calendar, month_lengths_follow_the_gregorian_calendar) {
  EXPECT_EQ((month{2026, 2}.days()), 28);
  EXPECT_EQ((month{2028, 2}.days()), 29);
  EXPECT_EQ((month{2100, 2}.days()), 28);
  EXPECT_EQ((month{2000, 2}.days()), 29);
  EXPECT_EQ((month{2026, 4}.days()), 30);
  EXPECT_EQ((month{2026, 12}.days()), 31);
}

TEST(calendar, previous_and_next_cross_the_year_end) {
  EXPECT_EQ((month{2026, 12}.next()), (month{2027, 1}));
  EXPECT_EQ((month{2027, 1}.previous()), (month{2026, 12}));
  EXPECT_EQ((month{2026, 12}.end()), utc(2026, 12, 31, 16));
  EXPECT_EQ((month{2027, 1}.start()), utc(2026, 12, 31, 16));
}

TEST(calendar, the_month_containing_an_instant_changes_at_shanghai_midnight_not_utc_midnight) {
  EXPECT_EQ(month::containing(utc(2026, 10, 31, 15, 59, 59, 999)), (month{2026, 10}));
  EXPECT_EQ(month::containing(utc(2026, 10, 31, 16)), (month{2026, 11}));
  EXPECT_EQ(month::containing(utc(2026, 11, 1, 0)), (month{2026, 11}));  // UTC midnight: already 08:00
  EXPECT_EQ(month::containing(utc(2026, 12, 31, 16)), (month{2027, 1}));
  EXPECT_EQ(month::containing(utc(2026, 12, 31, 15, 59, 59, 999)), (month{2026, 12}));
}

TEST(calendar, labels_and_titles_read_as_people_write_them) {
  EXPECT_EQ((month{2026, 1}.label()), "2026-01");
  EXPECT_EQ((month{2026, 10}.label()), "2026-10");
  EXPECT_EQ((month{2026, 1}.title()), "2026年1月");
  EXPECT_EQ((month{2026, 12}.title()), "2026年12月");
}

TEST(calendar, parse_takes_only_year_dash_two_digit_month) {
  EXPECT_EQ(month::parse("2026-10"), (month{2026, 10}));
  EXPECT_EQ(month::parse("2026-01"), (month{2026, 1}));
  EXPECT_EQ(month::parse(month{2027, 3}.label()), (month{2027, 3}));
  for (const char* bad : {"2026-1", "2026-13", "2026-00", "2026/10", "26-10", "1999-12", "3000-01", "２０２６-10",
                          "2026-10-01", "", "abcd-ef"})
    EXPECT_EQ(month::parse(bad), std::nullopt) << bad;
}

TEST(calendar, day_start_is_shanghai_midnight_on_either_side_of_it) {
  EXPECT_EQ(day_start(utc(2026, 10, 5, 6, 3, 9)), utc(2026, 10, 4, 16));
  EXPECT_EQ(day_start(utc(2026, 10, 5, 15, 59, 59, 999)), utc(2026, 10, 4, 16));  // 23:59:59.999 in Shanghai
  EXPECT_EQ(day_start(utc(2026, 10, 5, 16)), utc(2026, 10, 5, 16));               // midnight itself
  EXPECT_EQ(day_start(utc(2026, 10, 5, 0)), utc(2026, 10, 4, 16));                // UTC midnight is 08:00
  EXPECT_EQ(day_start(utc(2026, 12, 31, 17)), utc(2026, 12, 31, 16));             // New Year's Day
}

TEST(calendar, day_of_month_turns_over_at_shanghai_midnight_at_the_month_end) {
  EXPECT_EQ(day_of_month(utc(2026, 10, 31, 15, 59, 59, 999)), 31);
  EXPECT_EQ(day_of_month(utc(2026, 10, 31, 16)), 1);
  EXPECT_EQ(day_of_month(utc(2028, 2, 28, 16)), 29);
  EXPECT_EQ(day_of_month(utc(2028, 2, 29, 16)), 1);
  EXPECT_EQ(day_of_month(month{2026, 10}.start()), 1);
  EXPECT_EQ(day_of_month(month{2026, 10}.end() - 1ms), 31);
}

TEST(calendar, shanghai_iso_is_rfc_3339_with_the_offset_spelled_out) {
  EXPECT_EQ(shanghai_iso(utc(2026, 10, 5, 6, 3, 9)), "2026-10-05T14:03:09+08:00");
  EXPECT_EQ(shanghai_iso(utc(2026, 10, 5, 6, 3, 9, 999)), "2026-10-05T14:03:09+08:00") << "milliseconds dropped";
  EXPECT_EQ(shanghai_iso(utc(2026, 1, 2, 1, 2, 3)), "2026-01-02T09:02:03+08:00") << "two digits everywhere";
}

TEST(calendar, shanghai_iso_at_midnight_and_the_year_end) {
  EXPECT_EQ(shanghai_iso(utc(2026, 12, 31, 15, 59, 59, 999)), "2026-12-31T23:59:59+08:00");
  EXPECT_EQ(shanghai_iso(utc(2026, 12, 31, 16)), "2027-01-01T00:00:00+08:00");
  EXPECT_EQ(shanghai_iso(utc(2026, 10, 31, 16)), "2026-11-01T00:00:00+08:00");
  EXPECT_EQ(shanghai_iso(utc(2028, 2, 28, 16)), "2028-02-29T00:00:00+08:00");
}

TEST(calendar, shanghai_minute_is_the_local_date_and_time_to_the_minute) {
  EXPECT_EQ(shanghai_minute(utc(2026, 10, 5, 6, 3, 59)), "2026-10-05 14:03");
  EXPECT_EQ(shanghai_minute(utc(2026, 10, 31, 16)), "2026-11-01 00:00");
  EXPECT_EQ(shanghai_minute(utc(2026, 10, 31, 15, 59, 59, 999)), "2026-10-31 23:59");
  EXPECT_EQ(shanghai_minute(month{2027, 1}.start()), "2027-01-01 00:00");
}

}  // namespace
}  // namespace halfhour::sla
