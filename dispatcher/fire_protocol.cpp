#include "dispatcher/fire_protocol.hpp"

#include <stdexcept>

#include "adapters/errors.hpp"

namespace halfhour {

fire_protocol::fire_protocol(timer_entry e, const sla::ladder& lad) : entry_(std::move(e)), ladder_(&lad) {}

fire_protocol::action fire_protocol::resume(event&& e) {
  if (std::holds_alternative<start>(e) && state_ == state::idle) return load();
  if (auto* l = std::get_if<loaded>(&e); l && state_ == state::loading) return on_loaded(*l);
  if (auto* w = std::get_if<written>(&e); w && state_ == state::writing) return on_written(*w);
  if (std::holds_alternative<waited>(e) && state_ == state::waiting) {
    state_ = state::done;
    action a;
    a.what = action::kind::requeue;
    return a;
  }
  throw std::logic_error("fire_protocol: an event it did not ask for");
}

fire_protocol::action fire_protocol::load() {
  ++reads_;
  state_ = state::loading;
  action a;
  a.what = action::kind::load;
  return a;
}

fire_protocol::action fire_protocol::on_loaded(loaded& e) {
  if (!e.order) {
    if (e.order.error() == errc::not_found) return finish(action::ending::unknown_order);
    return retry(true);
  }
  const sla::deadline due{entry_.kind, entry_.at, entry_.step, entry_.index};
  auto d = sla::on_deadline(e.order->wo, due, e.now, entry_.on_recovery, *ladder_);
  if (!d.changed() && d.cancel.empty()) return finish(action::ending::nothing);
  decided_ = std::move(d);
  before_ = std::move(e.order->wo);
  state_ = state::writing;
  action a;
  a.what = action::kind::write;
  a.firing = due;
  return a;
}

fire_protocol::action fire_protocol::on_written(written& e) {
  if (e.version) {
    decided_.next.version = *e.version;
    return finish(action::ending::fired);
  }
  if (e.version.error() == errc::stale) return finish(action::ending::stale);
  if (e.version.error() != errc::conflict) return retry(true);
  // A crew action or another engine wrote first: decide again on what they left.
  if (reads_ < max_reads) return load();
  return retry(false);
}

fire_protocol::action fire_protocol::retry(bool store_error) {
  state_ = state::waiting;
  action a;
  a.what = action::kind::wait;
  a.delay = retry_delay;
  a.store_error = store_error;
  return a;
}

fire_protocol::action fire_protocol::finish(action::ending how) {
  state_ = state::done;
  action a;
  a.what = action::kind::done;
  a.end = how;
  return a;
}

}  // namespace halfhour
