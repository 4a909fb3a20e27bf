// Instants and durations of the domain: UTC milliseconds, and the one offset to Shanghai time.
// The domain never reads a clock; callers pass `now`.
#pragma once

#include <chrono>

namespace halfhour::sla {

using duration = std::chrono::milliseconds;
using instant = std::chrono::sys_time<std::chrono::milliseconds>;

inline constexpr instant from_ms(long long ms) { return instant{duration{ms}}; }
inline constexpr long long to_ms(instant t) { return t.time_since_epoch().count(); }

// Asia/Shanghai is UTC+8 all year (no daylight saving since 1991), so a fixed offset is the
// whole time zone: no tz database, and the same answer on every machine.
inline constexpr std::chrono::hours shanghai_offset{8};

}  // namespace halfhour::sla
