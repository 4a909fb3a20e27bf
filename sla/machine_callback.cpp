// Call-backs after 完工 (回访): the answer recorded, and 不满意 sending the job back to be done again
// (重办) or, after that, to the centre (督办).
#include "sla/calendar.hpp"
#include "sla/machine.hpp"
#include "sla/machine_steps.hpp"
#include "sla/messages.hpp"
#include "sla/search.hpp"

namespace halfhour::sla {

using namespace detail;

namespace {

// Back to its firm: the job is open again, held as before, on a re-do clock from now.
void reopen(decision& d, const limits& lim, instant now) {
  auto& wo = d.next;
  wo.state = wo_state::reopened;
  ++wo.redo_rounds;
  wo.settled.reset();     // the re-do will be rated on its own
  wo.short_code.clear();  // freed at 完工, perhaps another job's now
  start_days_clock(d, clock_kind::redo, now, lim.redo_days, lim, now, "");
  const auto& redo = *wo.find(clock_kind::redo);
  event e = clock_event(event_kind::reopened, redo, now, messages::reopened_note(redo));
  e.organisation = wo.holder;
  d.events.push_back(std::move(e));
  const deadline due{clock_kind::redo, now};
  const auto text = messages::reopen_text(wo, redo);
  tell(d, recipient::holder, wo.holder, "reopened", due, text);
  tell(d, recipient::committee, wo.where.committee, "reopened", due, text);
  if (wo.source == channel::hotline_12345 && !wo.external_no.empty()) {
    tell(d, recipient::hotline, "12345", "reopened", due, text);
    d.notify.back().ref = wo.external_no;
  }
}

// Dissatisfied after the re-do: the centre's case, no third clock.
void supervise(decision& d, const ladder& lad, instant now) {
  d.next.supervised = true;
  event e{.kind = event_kind::supervised, .at = now, .organisation = lad.centre};
  e.note = std::string(messages::supervised_note);
  d.events.push_back(std::move(e));
  tell(d, recipient::centre, lad.centre, "supervised", {clock_kind::redo, now}, messages::supervise_text(d.next));
}

bool mobile(std::string_view phone) {
  const auto digits = phone_digits(phone);
  return digits.size() == 11 && digits.front() == '1';
}

}  // namespace

namespace detail {

void invite_ratings(decision& d, const work_order& wo, instant now) {
  auto& next = d.next;
  next.invites.clear();  // an earlier completion's links asked about work since redone
  std::vector<std::string> asked;
  auto invite = [&](const std::string& key, const std::string& phone) {
    if (!mobile(phone)) return;
    auto digits = phone_digits(phone);
    if (std::ranges::find(asked, digits) != asked.end()) return;  // one person reporting twice: one SMS
    asked.push_back(std::move(digits));
    next.invites.push_back({.reporter_key = key, .round = wo.redo_rounds, .issued = now});
    notification n{.to = recipient::reporter, .organisation = key, .kind = "rate_invite"};
    n.key = wo.id + ":rate:" + std::to_string(wo.redo_rounds) + ":" + (key.empty() ? "reporter" : key);
    n.text = messages::rate_invite_text(next);
    n.ref = phone;
    d.notify.push_back(std::move(n));
  };
  invite("", wo.who.phone);
  for (const auto& l : wo.linked) invite(l.key, l.who.phone);
}

}  // namespace detail

link_state rating_link_state(const work_order& wo, std::string_view reporter_key, const limits& lim, instant now) {
  const auto* i = wo.invite_of(reporter_key);
  if (!i) return link_state::unknown;
  if (i->given) return link_state::rated;
  if (now >= i->issued + lim.rating_link) return link_state::expired;
  return link_state::open;
}

decision rate_by_link(const work_order& wo, std::string_view reporter_key, const callback& cb, const ladder& lad,
                      const limits& lim, instant now) {
  if (known_request(wo, cb.request_id)) return decision{.next = wo, .duplicate = true};
  switch (rating_link_state(wo, reporter_key, lim, now)) {
    case link_state::open: break;
    case link_state::unknown: return decision{.next = wo, .refused = std::string(messages::link_unknown)};
    case link_state::rated: return decision{.next = wo, .refused = std::string(messages::link_rated)};
    case link_state::expired: return decision{.next = wo, .refused = std::string(messages::link_expired)};
  }
  auto d = rate(wo, cb, lad, lim, now);
  if (!d.ok()) return d;
  for (auto& i : d.next.invites) {
    if (i.reporter_key != reporter_key) continue;
    i.given = cb.outcome;
    i.given_at = now;
    i.comment = cb.note;
  }
  return d;
}

decision rate(const work_order& wo, const callback& cb, const ladder& lad, const limits& lim, instant now) {
  decision d{.next = wo};
  if (known_request(wo, cb.request_id)) {
    d.duplicate = true;
    return d;
  }
  const bool ever_done = wo.state == wo_state::done || wo.redo_rounds > 0;
  if (!ever_done) {
    d.refused = std::string(messages::not_done_yet);
    return d;
  }
  // Only a job standing done takes a rating that counts: during a re-do the answer is about work
  // being redone, and is kept only.
  const bool counts = cb.outcome != rating::unreached && wo.state == wo_state::done && !wo.settled;
  event e{.kind = event_kind::rated, .at = now, .actor = cb.by};
  e.note = messages::rated_note(cb.outcome, cb.called_at, cb.by, cb.note, counts);
  e.outcome = cb.outcome;
  d.events.push_back(std::move(e));
  remember_request(d.next, cb.request_id);
  if (!counts) return d;
  d.next.settled = cb.outcome;
  if (cb.outcome != rating::dissatisfied) return d;
  if (wo.redo_rounds == 0) reopen(d, lim, now);
  else if (!wo.supervised) supervise(d, lad, now);
  return d;
}

}  // namespace halfhour::sla
