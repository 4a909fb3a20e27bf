#include "sla/calendar.hpp"

#include <chrono>
#include <cstdio>

namespace halfhour::sla {

namespace {

namespace ch = std::chrono;

struct civil {
  ch::year_month_day date;
  ch::milliseconds in_day;
};

civil local(instant t) {
  const auto shifted = t + shanghai_offset;
  const auto day = ch::floor<ch::days>(shifted);
  return {ch::year_month_day{day}, shifted - day};
}

std::string two(long long v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02lld", v);
  return buf;
}

}  // namespace

instant month::start() const {
  const ch::sys_days first{ch::year{year} / ch::month{static_cast<unsigned>(number)} / 1};
  return instant{ch::duration_cast<duration>(first.time_since_epoch())} - shanghai_offset;
}

instant month::end() const { return next().start(); }

int month::days() const { return static_cast<int>(ch::duration_cast<ch::days>(end() - start()).count()); }

month month::previous() const { return number == 1 ? month{year - 1, 12} : month{year, number - 1}; }
month month::next() const { return number == 12 ? month{year + 1, 1} : month{year, number + 1}; }

std::string month::label() const { return std::to_string(year) + "-" + two(number); }
std::string month::title() const { return std::to_string(year) + "年" + std::to_string(number) + "月"; }

std::optional<month> month::parse(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int y = 0, m = 0;
  for (int i = 0; i < 4; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    y = y * 10 + (text[i] - '0');
  }
  for (int i = 5; i < 7; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    m = m * 10 + (text[i] - '0');
  }
  if (y < 2000 || y > 2999 || m < 1 || m > 12) return std::nullopt;
  return month{y, m};
}

month month::containing(instant t) {
  const auto d = local(t).date;
  return {static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month()))};
}

instant day_start(instant t) {
  const auto day = ch::floor<ch::days>(t + shanghai_offset);
  return instant{ch::duration_cast<duration>(day.time_since_epoch())} - shanghai_offset;
}

int day_of_month(instant t) { return static_cast<int>(static_cast<unsigned>(local(t).date.day())); }

std::string shanghai_minute(instant t) {
  const auto c = local(t);
  const auto s = ch::duration_cast<ch::seconds>(c.in_day).count();
  return std::to_string(static_cast<int>(c.date.year())) + "-" + two(static_cast<unsigned>(c.date.month())) + "-" +
         two(static_cast<unsigned>(c.date.day())) + " " + two(s / 3600) + ":" + two(s / 60 % 60);
}

std::string shanghai_iso(instant t) {
  static_assert(shanghai_offset == ch::hours{8}, "the suffix below spells the offset");
  const auto c = local(t);
  const auto s = ch::duration_cast<ch::seconds>(c.in_day).count();
  return std::to_string(static_cast<int>(c.date.year())) + "-" + two(static_cast<unsigned>(c.date.month())) + "-" +
         two(static_cast<unsigned>(c.date.day())) + "T" + two(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60) +
         "+08:00";
}

}  // namespace halfhour::sla
