// The engine's clock port: wall-clock `now` and a single wake-up. Injectable so a test or a
// simulation can pass thirty minutes in microseconds.
#pragma once

#include <boost/asio/any_io_executor.hpp>
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

}  // namespace halfhour
