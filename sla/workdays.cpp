#include "sla/workdays.hpp"

#include <cstdio>
#include <stdexcept>

namespace halfhour::sla {

namespace ch = std::chrono;

namespace {

bool is_weekend(day d) {
  const ch::weekday w{d};
  return w == ch::Saturday || w == ch::Sunday;
}

int year_of(day d) { return static_cast<int>(ch::year_month_day{d}.year()); }

// A notice's days lie in its own year, except a 元旦 that starts in the last days of December
// (2024's began on 2023-12-30) and the 调休 around it: a month either side is allowed.
bool near_year(day d, int year) {
  const day from{ch::year{year - 1} / ch::December / 1};
  const day to{ch::year{year + 1} / ch::January / 31};
  return d >= from && d <= to;
}

// The longest holiday announced so far is 春节's 9 days; a typo in a month spans weeks.
constexpr int longest_holiday_days = 15;

}  // namespace

std::optional<day> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p)
    for (int i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (text[i] - '0');
    }
  const ch::year_month_day ymd{ch::year{parts[0]}, ch::month{static_cast<unsigned>(parts[1])},
                               ch::day{static_cast<unsigned>(parts[2])}};
  if (!ymd.ok()) return std::nullopt;
  return day{ymd};
}

std::string day_label(day d) {
  const ch::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

day shanghai_day(instant t) { return ch::floor<ch::days>(t + shanghai_offset); }

std::vector<std::string> problems(const holiday_year& y) {
  std::vector<std::string> out;
  if (y.year < 2000 || y.year > 2999) out.push_back("year " + std::to_string(y.year) + " is not a year of this era");
  std::set<day> off;
  for (const auto& h : y.holidays) {
    const std::string what = "holiday \"" + h.name + "\" (" + day_label(h.first) + " to " + day_label(h.last) + ")";
    if (h.name.empty()) out.push_back(what + " has no name");
    if (h.last < h.first) out.push_back(what + " ends before it starts");
    else if ((h.last - h.first).count() >= longest_holiday_days)
      out.push_back(what + " is longer than " + std::to_string(longest_holiday_days) + " days");
    if (!near_year(h.first, y.year) || !near_year(h.last, y.year))
      out.push_back(what + " is not in " + std::to_string(y.year));
    for (day d = h.first; d <= h.last && (d - h.first).count() < longest_holiday_days; d += ch::days{1})
      if (!off.insert(d).second) out.push_back(what + " overlaps another holiday on " + day_label(d));
  }
  std::set<day> worked;
  for (const day d : y.workdays) {
    if (!is_weekend(d)) out.push_back("workday " + day_label(d) + " is not a Saturday or Sunday");
    if (!near_year(d, y.year)) out.push_back("workday " + day_label(d) + " is not in " + std::to_string(y.year));
    if (off.contains(d)) out.push_back("workday " + day_label(d) + " is also a holiday");
    if (!worked.insert(d).second) out.push_back("workday " + day_label(d) + " is given twice");
  }
  return out;
}

working_calendar::working_calendar(const std::vector<holiday_year>& years, ch::minutes day_end) : day_end_(day_end) {
  if (day_end <= ch::minutes{0} || day_end > ch::hours{24})
    throw std::invalid_argument("the working day must end within the day");
  for (const auto& y : years) {
    if (const auto wrong = problems(y); !wrong.empty())
      throw std::invalid_argument(std::to_string(y.year) + ": " + wrong.front());
    if (!years_.insert(y.year).second) throw std::invalid_argument(std::to_string(y.year) + " is given twice");
    for (const auto& h : y.holidays) {
      holidays_.push_back(h);
      for (day d = h.first; d <= h.last; d += ch::days{1}) off_.insert(d);
    }
    worked_.insert(y.workdays.begin(), y.workdays.end());
  }
}

bool working_calendar::is_working_day(day d) const {
  if (worked_.contains(d)) return true;
  if (off_.contains(d)) return false;
  return !is_weekend(d);
}

std::string working_calendar::holiday_on(day d) const {
  for (const auto& h : holidays_)
    if (d >= h.first && d <= h.last) return h.name;
  return {};
}

instant working_calendar::due(instant t, int n) const {
  day d = shanghai_day(t);
  const auto end_of = [&](day x) {
    return instant{ch::duration_cast<duration>(x.time_since_epoch() + day_end_)} - shanghai_offset;
  };
  if (n <= 0) {
    if (is_working_day(d) && t < end_of(d)) return end_of(d);
    n = 1;
  }
  // Every year has working days, so this ends; the bound only guards a calendar built wrong.
  for (int counted = 0, steps = 0; counted < n && steps < 3700; ++steps) {
    d += ch::days{1};
    if (is_working_day(d)) ++counted;
  }
  return end_of(d);
}

std::vector<int> working_calendar::unknown_years(instant from, instant to) const {
  std::vector<int> out;
  if (to <= from) return out;
  const int first = year_of(shanghai_day(from));
  const int last = year_of(shanghai_day(to - duration{1}));
  for (int y = first; y <= last; ++y)
    if (!knows(y)) out.push_back(y);
  return out;
}

}  // namespace halfhour::sla
