#include "dispatcher/transition_protocol.hpp"

#include <stdexcept>

#include "adapters/errors.hpp"

namespace halfhour {

transition_protocol::transition_protocol(std::string id, std::optional<sla::member> who, decide_fn decide,
                                         access_fn check)
    : id_(std::move(id)), who_(std::move(who)), decide_(std::move(decide)), check_(std::move(check)) {}

transition_protocol::action transition_protocol::resume(event&& e) {
  if (std::holds_alternative<start>(e) && state_ == state::idle) return load();
  if (auto* l = std::get_if<loaded>(&e); l && state_ == state::loading) return on_loaded(*l);
  if (auto* w = std::get_if<written>(&e); w && state_ == state::writing) return on_written(*w);
  if (auto* c = std::get_if<confirmed>(&e); c && state_ == state::confirming) return on_confirmed(*c);
  throw std::logic_error("transition_protocol: an event it did not ask for");
}

transition_protocol::action transition_protocol::load() {
  ++reads_;
  state_ = state::loading;
  action a;
  a.what = action::kind::load;
  a.id = id_;
  return a;
}

transition_protocol::action transition_protocol::on_loaded(loaded& e) {
  if (!e.order) {
    if (e.order.error() == errc::not_found) return answer(act_outcome::kind::not_found);
    return fail(e.order.error());
  }
  auto& o = *e.order;
  const auto right = !who_ ? sla::access::allowed : check_ ? check_(o.wo, *who_) : sla::may_act(o.wo, *who_);
  switch (right) {
    case sla::access::forbidden: return answer(act_outcome::kind::forbidden);
    case sla::access::moved: {
      auto why = "工单已转由" + o.wo.holder + "处理";
      return answer(act_outcome::kind::moved, std::move(o), std::move(why));
    }
    case sla::access::allowed: break;
  }
  auto d = decide_(o.wo, e.now);
  if (d.duplicate) {
    // The first try may have been answered 503 after its write (its replicas short): the retry
    // is told "done" only once what it finds is as durable as a write it made would be.
    outcome_ = {act_outcome::kind::duplicate, std::move(o), {}};
    state_ = state::confirming;
    action a;
    a.what = action::kind::confirm;
    a.id = id_;
    return a;
  }
  if (!d.ok()) return answer(act_outcome::kind::refused, std::move(o), std::move(d.refused));
  decided_ = std::move(d);
  before_ = std::move(o.wo);
  state_ = state::writing;
  action a;
  a.what = action::kind::write;
  a.id = id_;
  return a;
}

transition_protocol::action transition_protocol::on_written(written& e) {
  if (!e.version) {
    if (e.version.error() != errc::conflict) return fail(e.version.error());
    // Someone wrote first: decide again on what they left, a bounded number of times.
    if (reads_ < max_reads) return load();
    return fail(make_error_code(errc::conflict));
  }
  decided_.next.version = *e.version;
  // The record and its events go to the answer; what it armed and owes stays in decision().
  return answer(act_outcome::kind::applied, {std::move(decided_.next), std::move(decided_.events), {}});
}

transition_protocol::action transition_protocol::on_confirmed(confirmed& e) {
  if (!e.durable) return fail(e.durable.error());
  return answer(act_outcome::kind::duplicate, std::move(outcome_.order));
}

transition_protocol::action transition_protocol::answer(act_outcome::kind what, stored_order order,
                                                        std::string reason) {
  state_ = state::done;
  action a;
  a.what = action::kind::answer;
  a.id = id_;
  outcome_ = {what, std::move(order), std::move(reason)};
  return a;
}

transition_protocol::action transition_protocol::fail(boost::system::error_code ec) {
  state_ = state::done;
  action a;
  a.what = action::kind::fail;
  a.id = id_;
  a.error = ec;
  return a;
}

}  // namespace halfhour
