#include "sla/machine_steps.hpp"

#include <algorithm>

#include "sla/messages.hpp"

namespace halfhour::sla::detail {

namespace {

// The warnings of a response clock, at fractions of its limit; those already past are skipped
// (a clock started back at acceptance by a re-classification warns only about what is ahead).
void arm_warnings(decision& d, clock& c, const ladder* lad, instant now) {
  if (!lad || !is_response(c.kind)) return;
  c.warnings = static_cast<int>(lad->warn_at.size());
  for (std::size_t i = 0; i < lad->warn_at.size(); ++i) {
    auto f = lad->warn_at[i];
    if (f <= 0 || f >= 1) continue;
    auto at = c.started + std::chrono::duration_cast<duration>(c.limit * f);
    if (at > now) d.arm.push_back({c.kind, at, step::warn, static_cast<int>(i)});
  }
}

}  // namespace

duration response_limit(urgency u, const limits& lim) { return u == urgency::urgent ? lim.on_site : lim.contact; }
clock_kind response_clock(urgency u) { return u == urgency::urgent ? clock_kind::on_site : clock_kind::contact; }
duration ack_limit(urgency u, const limits& lim) { return u == urgency::urgent ? lim.ack_urgent : lim.ack_general; }
duration completion_limit(urgency u, const limits& lim) {
  return u == urgency::urgent ? lim.completion_urgent : lim.completion_general;
}
bool is_response(clock_kind k) {
  return k == clock_kind::on_site || k == clock_kind::contact || k == clock_kind::first_contact;
}

event clock_event(event_kind kind, const clock& c, instant at, std::string note) {
  event e;
  e.kind = kind;
  e.at = at;
  e.clock = c.kind;
  e.deadline = c.deadline;
  e.note = std::move(note);
  return e;
}

void start_clock(decision& d, clock_kind kind, instant started, duration limit, instant now, std::string_view tail,
                 const ladder* lad) {
  clock c;
  c.kind = kind;
  c.started = started;
  c.limit = limit;
  c.deadline = started + limit;
  d.events.push_back(clock_event(event_kind::clock_started, c, now, messages::clock_started_note(c, tail)));
  d.arm.push_back({kind, c.deadline});
  arm_warnings(d, c, lad, now);
  d.next.clocks.push_back(c);
}

void start_days_clock(decision& d, clock_kind kind, instant started, int days, const limits& lim, instant now,
                      std::string_view tail) {
  clock c;
  c.kind = kind;
  c.started = started;
  c.working_days = days;
  c.deadline = lim.days().due(started, days);
  c.limit = c.deadline - started;
  d.events.push_back(clock_event(event_kind::clock_started, c, now, messages::clock_started_note(c, tail)));
  d.arm.push_back({kind, c.deadline});
  d.next.clocks.push_back(c);
}

std::vector<clock_kind> clocks_for(const classification& cls) {
  if (cls.kind == request_kind::complaint) return {clock_kind::first_contact, clock_kind::resolution};
  return {clock_kind::acknowledge, response_clock(cls.level), clock_kind::completion};
}

void start_owed_clock(decision& d, clock_kind k, const classification& cls, instant started, const limits& lim,
                      instant now, std::string_view tail, const ladder* lad) {
  const auto u = cls.level;
  switch (k) {
    case clock_kind::first_contact: start_days_clock(d, k, started, lim.first_contact_days, lim, now, tail); break;
    case clock_kind::redo: start_days_clock(d, k, started, lim.redo_days, lim, now, tail); break;
    case clock_kind::resolution: start_days_clock(d, k, started, lim.resolution_days, lim, now, tail); break;
    case clock_kind::acknowledge: start_clock(d, k, started, ack_limit(u, lim), now, tail); break;
    case clock_kind::completion: start_clock(d, k, started, completion_limit(u, lim), now, tail); break;
    case clock_kind::on_site:
    case clock_kind::contact: start_clock(d, k, started, response_limit(u, lim), now, tail, lad); break;
  }
}

void start_clocks(decision& d, const classification& cls, instant started, const limits& lim, instant now,
                  std::string_view tail, const ladder* lad) {
  for (const auto k : clocks_for(cls)) start_owed_clock(d, k, cls, started, lim, now, tail, lad);
}

void cancel_steps(decision& d, const clock& c) {
  if (!c.breached) d.cancel.push_back({c.kind});
  for (int i = 0; i < c.warnings; ++i) d.cancel.push_back({c.kind, {}, step::warn, i});
  if (c.breached) d.cancel.push_back({c.kind, {}, step::renotify});
}

// A breached clock can still be stopped: the breach stays, the stop time says how late the
// crew was.
void stop_clock(decision& d, clock_kind kind, instant now, std::string_view why) {
  auto* c = d.next.find(kind);
  if (!c || !c->running()) return;
  c->stopped = now;
  d.events.push_back(
      clock_event(event_kind::clock_stopped, *c, now, messages::clock_stopped_note(kind, c->deadline, now, why)));
  cancel_steps(d, *c);
}

void tell(decision& d, recipient to, const std::string& organisation, std::string kind, const deadline& due,
          std::string text) {
  if (organisation.empty()) return;
  notification n{to, organisation, std::move(kind), {}, std::move(text)};
  n.key = d.next.id + ":" + code_of(due.kind) + ":" + code_of(due.s) + std::to_string(due.index) + ":" + code_of(to) +
          ":" + std::to_string(to_ms(due.at));
  d.notify.push_back(std::move(n));
}

namespace {
// How far a job has come: reopened starts over, as not yet taken.
int progress(wo_state s) {
  switch (s) {
    case wo_state::dispatched:
    case wo_state::triage:
    case wo_state::reopened: return 0;
    case wo_state::acknowledged: return 1;
    case wo_state::contacted: return 2;
    case wo_state::on_site: return 3;
    case wo_state::done: return 4;
  }
  return 0;
}
}  // namespace

bool before(wo_state a, wo_state b) { return progress(a) < progress(b); }

void advance(work_order& wo, wo_state to) {
  // Triage, dispatched and reopened are all "not yet taken"; later states only move forward.
  if (progress(wo.state) == 0 || before(wo.state, to)) wo.state = to;
}

bool known_request(const work_order& wo, const std::string& request_id) {
  return !request_id.empty() &&
         std::find(wo.recent_requests.begin(), wo.recent_requests.end(), request_id) != wo.recent_requests.end();
}

void remember_request(work_order& wo, const std::string& request_id) {
  if (request_id.empty()) return;
  wo.recent_requests.push_back(request_id);
  if (wo.recent_requests.size() > remembered_requests) wo.recent_requests.erase(wo.recent_requests.begin());
}

}  // namespace halfhour::sla::detail
