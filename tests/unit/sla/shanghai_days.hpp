// Days and instants written as people in Shanghai read them, for the tests of clocks counted in
// working days.
#pragma once

#include <chrono>

#include "sla/time.hpp"
#include "sla/workdays.hpp"

namespace halfhour::sla::testing {

inline day on(int y, unsigned m, unsigned d) {
  return day{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

// An instant written in Shanghai time.
inline instant sh(int y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
  return instant{std::chrono::duration_cast<duration>(on(y, m, d).time_since_epoch())} + std::chrono::hours{hh} +
         std::chrono::minutes{mm} - shanghai_offset;
}

}  // namespace halfhour::sla::testing
