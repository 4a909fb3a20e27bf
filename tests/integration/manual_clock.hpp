// A clock the test moves by hand: thirty minutes pass in one call.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <optional>

#include "adapters/clock.hpp"

namespace halfhour::testing {

class manual_clock final : public halfhour::clock {
 public:
  manual_clock(boost::asio::any_io_executor ex, sla::instant start) : ex_(ex), now_(start) {}

  sla::instant now() const override { return now_; }

  void wake_at(sla::instant at, std::function<void()> fn) override {
    wake_ = {at, std::move(fn)};
    fire_if_due();
  }

  void advance(sla::duration d) {
    now_ += d;
    fire_if_due();
  }

 private:
  void fire_if_due() {
    if (wake_ && wake_->first <= now_) {
      auto fn = std::move(wake_->second);
      wake_.reset();
      boost::asio::post(ex_, std::move(fn));
    }
  }

  boost::asio::any_io_executor ex_;
  sla::instant now_;
  std::optional<std::pair<sla::instant, std::function<void()>>> wake_;
};

}  // namespace halfhour::testing
