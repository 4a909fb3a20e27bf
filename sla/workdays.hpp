// Working days in mainland China: Monday to Friday, less the public holidays the State Council
// announces each year, plus the weekend days it makes working days in exchange (调休). The
// 12345 rules count in working days ("1个工作日内先行联系", "5个工作日内办结"), and a deadline
// counted so lands at the end of the office day, not at midnight.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sla/time.hpp"

namespace halfhour::sla {

using day = std::chrono::sys_days;  // a Shanghai calendar day

// "2026-10-01"; nullopt for anything else.
std::optional<day> parse_day(std::string_view text);
std::string day_label(day d);  // "2026-10-01"
day shanghai_day(instant t);

// One holiday of a notice: its name and first and last days off, both included.
struct holiday {
  std::string name;
  day first{};
  day last{};
};

// One year's notice (国务院办公厅关于某年部分节假日安排的通知).
struct holiday_year {
  int year = 0;
  std::string source;             // the notice, for whoever checks the file
  std::vector<holiday> holidays;  // days off, weekends among them included
  std::vector<day> workdays;      // weekend days worked (调休)
};

// What is wrong with a year as written ("a workday that is not a weekend day", days of another
// year …), one line each; empty when nothing is.
std::vector<std::string> problems(const holiday_year& y);

class working_calendar {
 public:
  static constexpr std::chrono::minutes default_day_end{17 * 60 + 30};

  // No year known: every year counts Monday to Friday.
  working_calendar() = default;
  // The years must be free of problems() and each given once; throws std::invalid_argument.
  working_calendar(const std::vector<holiday_year>& years, std::chrono::minutes day_end = default_day_end);

  bool knows(int year) const { return years_.contains(year); }
  const std::set<int>& years() const { return years_; }
  std::chrono::minutes day_end() const { return day_end_; }

  bool is_working_day(day d) const;
  // The name of the holiday d falls in, or empty.
  std::string holiday_on(day d) const;

  // The end of the n-th working day after t's day: the day a clock starts never counts, so a job
  // taken at 09:00 or at 23:00 on a Monday owes "1 working day" by Tuesday 17:30, and one taken
  // on a Saturday by Monday 17:30. n = 0: the end of t's own day if it is a working day and t is
  // before its end, else of the next working day.
  instant due(instant t, int n) const;

  // Years touched by [from, to) for which no notice is known: those count Monday to Friday, and
  // whoever runs the engine should be told.
  std::vector<int> unknown_years(instant from, instant to) const;

 private:
  std::set<int> years_;
  std::set<day> off_;
  std::set<day> worked_;
  std::vector<holiday> holidays_;
  std::chrono::minutes day_end_ = default_day_end;
};

}  // namespace halfhour::sla
