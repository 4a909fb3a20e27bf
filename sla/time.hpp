// Instants and durations of the domain: UTC milliseconds. The domain never reads a clock;
// callers pass `now`.
#pragma once

#include <chrono>

namespace halfhour::sla {

using duration = std::chrono::milliseconds;
using instant = std::chrono::sys_time<std::chrono::milliseconds>;

inline constexpr instant from_ms(long long ms) { return instant{duration{ms}}; }
inline constexpr long long to_ms(instant t) { return t.time_since_epoch().count(); }

}  // namespace halfhour::sla
