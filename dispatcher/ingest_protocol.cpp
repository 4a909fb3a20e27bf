#include "dispatcher/ingest_protocol.hpp"

#include <iterator>
#include <stdexcept>

namespace halfhour {

ingest_protocol::ingest_protocol(report r, const sla::ladder& lad, const sla::limits& lim)
    : r_(std::move(r)), ladder_(&lad), limits_(&lim), may_link_(may_link(r_.where, r_.link_window)) {
  if (may_link_) lease_ = "dup:" + r_.where.community_name;
}

// Only a report placed in one community can repeat a job there: the station's are sorted by hand.
bool ingest_protocol::may_link(const sla::resolution& where, sla::duration window) {
  return window > sla::duration::zero() && where.to == sla::route::firm && !where.community_name.empty();
}

ingest_protocol::action ingest_protocol::resume(event&& e) {
  // Each state waits for the answer to the one action it asked for.
  constexpr state expects[] = {state::idle,        state::looking_up,    state::screening_out,      state::leasing,
                               state::waiting,     state::looking,       state::reading_candidates, state::linking,
                               state::remembering, state::reading_order, state::creating,           state::releasing};
  static_assert(std::size(expects) == std::variant_size_v<event>);
  if (expects[e.index()] != state_) throw std::logic_error("ingest_protocol: an event it did not ask for");
  switch (e.index()) {
    case 0: return on_start(std::get<start>(e));
    case 1: return on_looked_up(std::get<looked_up>(e));
    case 2: return on_screened_out(std::get<screened_out>(e));
    case 3: return on_leased(std::get<leased>(e));
    case 4: return on_waited(std::get<waited>(e));
    case 5: return on_looked(std::get<looked>(e));
    case 6: return on_candidates_read(std::get<candidates_read>(e));
    case 7: return on_linked(std::get<linked>(e));
    case 8: return on_remembered(std::get<remembered>(e));
    case 9: return on_order_read(std::get<order_read>(e));
    case 10: return on_created(std::get<created>(e));
    default: return on_released();
  }
}

// A report that may repeat an open job has its key looked up in the lease's round trip; a chat
// message looks its key up alone first (it may have been screened out). Any other goes straight
// to creating its job: the create script finds a known key itself and answers with its job.
ingest_protocol::action ingest_protocol::on_start(start& e) {
  if (r_.request.screen) return go(state::looking_up, next(action::kind::lookup));
  if (!may_link_) return create();
  return take_lease(e.now, true);
}

ingest_protocol::action ingest_protocol::on_looked_up(looked_up& e) {
  if (!e.known) return fail(e.known.error());
  if (*e.known) return existing(std::move(**e.known));
  if (r_.request.screen && !r_.screening.request) {
    auto a = next(action::kind::screen_out);
    const auto& in = r_.request.intake;
    message_ = {in.source, in.external_no, in.address, in.who.name, in.content, r_.screening.reason, e.now};
    a.message = &message_;
    return go(state::screening_out, std::move(a));
  }
  if (!may_link_) return create();
  return take_lease(e.now, false);
}

ingest_protocol::action ingest_protocol::on_screened_out(screened_out& e) {
  if (!e.known) return fail(e.known.error());
  if (!e.known->screened) return existing(std::move(*e.known));  // a retry raced us to a job
  return answer(ingest_outcome::kind::not_a_request, {}, std::move(e.known->reason));
}

// Redis runs one connection's commands in order, so with the lease taken the look saw every job
// created before it. Without the lease the look is dropped and both are tried again.
ingest_protocol::action ingest_protocol::on_leased(leased& e) {
  if (with_lookup_) {
    if (!e.known) throw std::logic_error("ingest_protocol: the lease's round trip came back without the lookup");
    if (!*e.known) return fail(e.known->error());
    if (**e.known) {
      auto retry = existing(std::move(***e.known));
      if (!e.held || !*e.held) return retry;
      after_release_ = state_;  // let the lease go first: the retry takes nothing
      after_release_action_ = std::move(retry);
      return release();
    }
  }
  if (!e.held) return fail(e.held.error());
  if (*e.held) {
    if (!e.recent) return fail(e.recent.error());
    held_ = true;
    return look_for_candidates(std::move(*e.recent), e.now);
  }
  auto a = next(action::kind::wait);
  a.delay = lease_wait;
  return go(state::waiting, std::move(a));
}

ingest_protocol::action ingest_protocol::on_waited(waited& e) {
  if (lease_rounds_ < lease_tries) return take_lease(e.now, false);
  // Nobody let it go: its holder died. Look without it (the engine says so in its log).
  auto a = next(action::kind::look);
  a.community = r_.where.community_name;
  a.since = e.now - r_.link_window;
  return go(state::looking, std::move(a));
}

ingest_protocol::action ingest_protocol::on_looked(looked& e) {
  if (!e.recent) return fail(e.recent.error());
  return look_for_candidates(std::move(*e.recent), e.now);
}

ingest_protocol::action ingest_protocol::on_candidates_read(candidates_read& e) {
  if (!e.open) return fail(e.open.error());
  auto match = sla::find_duplicate(r_.cls, r_.where, *e.open, r_.link_window, looked_at_);
  if (!match) return create();
  match_ = std::move(*match);
  auto a = next(action::kind::link);
  a.id = match_.id;
  return go(state::linking, std::move(a));
}

// Joined, or joined already by an earlier try: the key is pointed at the job. Anything else
// (finished meanwhile, gone): the report opens its own.
ingest_protocol::action ingest_protocol::on_linked(linked& e) {
  if (!e.outcome) return fail(e.outcome.error());
  const auto what = e.outcome->what;
  if (what != act_outcome::kind::applied && what != act_outcome::kind::duplicate) return create();
  auto a = next(action::kind::remember);
  a.id = match_.id;
  return go(state::remembering, std::move(a));
}

ingest_protocol::action ingest_protocol::on_remembered(remembered& e) {
  if (!e.points_at) return fail(e.points_at.error());
  if (*e.points_at != match_.id) return existing({std::move(*e.points_at), false, {}});  // a retry was answered first
  joined_ = true;
  auto a = next(action::kind::read_order);
  a.id = match_.id;
  a.joined = true;
  a.why = match_.why;
  return go(state::reading_order, std::move(a));
}

ingest_protocol::action ingest_protocol::on_order_read(order_read& e) {
  if (!e.order) return fail(e.order.error());
  if (joined_) return answer(ingest_outcome::kind::linked, std::move(*e.order), match_.why);
  return answer(ingest_outcome::kind::repeat, std::move(*e.order));
}

ingest_protocol::action ingest_protocol::on_created(created& e) {
  if (!e.made) return fail(e.made.error());
  const auto what = e.made->created ? ingest_outcome::kind::created : ingest_outcome::kind::repeat;
  return answer(what, std::move(e.made->order));
}

ingest_protocol::action ingest_protocol::on_released() {
  state_ = after_release_;
  return std::move(after_release_action_);
}

ingest_protocol::action ingest_protocol::take_lease(sla::instant now, bool with_lookup) {
  ++lease_rounds_;
  with_lookup_ = with_lookup;
  auto a = next(action::kind::lease_and_look);
  a.lease = lease_;
  a.token = r_.lease_token;
  a.ttl = lease_ttl;
  a.community = r_.where.community_name;
  a.since = now - r_.link_window;
  a.with_lookup = with_lookup;
  return go(state::leasing, std::move(a));
}

// Only the jobs the report could repeat are read: in a burst a community has hundreds.
ingest_protocol::action ingest_protocol::look_for_candidates(std::vector<sla::recent_job> recent, sla::instant now) {
  looked_at_ = now;
  auto a = next(action::kind::read_candidates);
  for (const auto& j : recent)
    if (sla::could_repeat(r_.cls, r_.where, j)) a.ids.push_back(j.id);
  if (a.ids.empty()) return create();
  return go(state::reading_candidates, std::move(a));
}

// A known key: a screened message is answered as such, a job with how it stands now.
ingest_protocol::action ingest_protocol::existing(known_key k) {
  if (k.screened) return answer(ingest_outcome::kind::not_a_request, {}, std::move(k.reason));
  joined_ = false;
  reading_ = std::move(k.id);
  auto a = next(action::kind::read_order);
  a.id = reading_;
  return go(state::reading_order, std::move(a));
}

ingest_protocol::action ingest_protocol::create() { return go(state::creating, next(action::kind::create)); }

ingest_protocol::action ingest_protocol::go(state s, action a) {
  state_ = s;
  return a;
}

// The end, once the lease (if this report holds it) is let go: it expires by itself otherwise,
// so letting it go is worth a round trip, not an error.
ingest_protocol::action ingest_protocol::finish(action a) {
  state_ = state::done;
  if (!held_) return a;
  held_ = false;
  after_release_ = state::done;
  after_release_action_ = std::move(a);
  return release();
}

ingest_protocol::action ingest_protocol::release() {
  auto a = next(action::kind::release);
  a.lease = lease_;
  a.token = r_.lease_token;
  return go(state::releasing, std::move(a));
}

ingest_protocol::action ingest_protocol::answer(ingest_outcome::kind what, stored_order&& order, std::string reason) {
  outcome_.what = what;
  outcome_.order = std::move(order);
  outcome_.reason = std::move(reason);
  return finish(next(action::kind::answer));
}

ingest_protocol::action ingest_protocol::fail(boost::system::error_code ec) {
  auto a = next(action::kind::fail);
  a.error = ec;
  return finish(std::move(a));
}

// An action naming the report's key, which most of them need.
ingest_protocol::action ingest_protocol::next(action::kind what) const {
  action a;
  a.what = what;
  a.key = r_.request.idempotency_key;
  return a;
}

sla::decision ingest_protocol::accept(std::string id, sla::instant now) const {
  auto d = sla::accept(r_.request.intake, std::move(id), r_.cls, r_.where, *ladder_, *limits_, now);
  d.next.key = r_.request.idempotency_key;
  return d;
}

sla::decision ingest_protocol::link_decision(const sla::work_order& wo, sla::instant now) const {
  if (wo.state == sla::wo_state::done) {  // finished meanwhile: the report needs its own job
    sla::decision d{.next = wo};
    d.refused = "工单已完工";
    return d;
  }
  return sla::link(wo, r_.request.intake, r_.request.idempotency_key, match_.why, now, r_.max_linked);
}

}  // namespace halfhour
