// The engine's clock port: wall-clock `now` and a single wake-up. Injectable so a test or a
// simulation can pass thirty minutes in microseconds.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "sla/time.hpp"

namespace halfhour {

class clock {
 public:
  virtual ~clock() = default;
  virtual sla::instant now() const = 0;
  // Calls `fn` once, on the engine's executor, at or after `at`; a new call replaces the last.
  virtual void wake_at(sla::instant at, std::function<void()> fn) = 0;
};

std::unique_ptr<clock> make_system_clock(boost::asio::any_io_executor ex);

// The process's monotonic clock, for measuring how long something took (timeouts, rate limits,
// a command's run time): never stepped, unrelated to the wall clock deadlines run on.
using monotonic = std::chrono::steady_clock;
inline monotonic::time_point monotonic_now() { return monotonic::now(); }

}  // namespace halfhour
