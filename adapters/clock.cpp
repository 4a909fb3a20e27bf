#include "adapters/clock.hpp"

#include <boost/asio/steady_timer.hpp>

namespace halfhour {

namespace {

class system_clock final : public clock {
 public:
  explicit system_clock(boost::asio::any_io_executor ex) : timer_(ex) {}

  sla::instant now() const override {
    return std::chrono::time_point_cast<sla::duration>(std::chrono::system_clock::now());
  }

  // Waits on the steady clock for the wall-clock distance, so a clock step while waiting
  // cannot make it fire hours late; the engine re-checks `now()` when it wakes. The distance is
  // taken from the clock itself, not from now(): cut to the millisecond, that would wake every
  // deadline half a millisecond late on average.
  void wake_at(sla::instant at, std::function<void()> fn) override {
    const auto delay =
        std::chrono::time_point_cast<std::chrono::system_clock::duration>(at) - std::chrono::system_clock::now();
    timer_.expires_after(delay.count() > 0 ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(delay)
                                           : std::chrono::steady_clock::duration::zero());
    timer_.async_wait([fn = std::move(fn)](boost::system::error_code ec) {
      if (!ec) fn();
    });
  }

 private:
  boost::asio::steady_timer timer_;
};

}  // namespace

std::unique_ptr<clock> make_system_clock(boost::asio::any_io_executor ex) { return std::make_unique<system_clock>(ex); }

}  // namespace halfhour
