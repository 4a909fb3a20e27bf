// The Asia/Shanghai calendar (UTC+8 all year, no daylight saving): months for reports, and
// times written the way people there read them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sla/time.hpp"

namespace halfhour::sla {

// A calendar month in Shanghai.
struct month {
  int year = 1970;
  int number = 1;  // 1..12

  instant start() const;  // 00:00 on the 1st, Shanghai time
  instant end() const;    // the next month's start
  int days() const;
  month previous() const;
  month next() const;
  std::string label() const;  // "2026-10"
  std::string title() const;  // "2026年10月"

  static std::optional<month> parse(std::string_view text);  // "2026-10"
  static month containing(instant t);
  bool operator==(const month&) const = default;
};

int day_of_month(instant t);   // 1..31, Shanghai
instant day_start(instant t);  // 00:00 Shanghai of t's day

// "2026-10-05T14:03:09+08:00"
std::string shanghai_iso(instant t);
// "2026-10-05 14:03"
std::string shanghai_minute(instant t);

}  // namespace halfhour::sla
