// Changing a job's urgent/general call or its category: an operator's correction, or a crew's
// request for one. Never restarts a clock; see machine.hpp for the rules.
#include <algorithm>

#include "sla/machine.hpp"
#include "sla/machine_steps.hpp"
#include "sla/messages.hpp"

namespace halfhour::sla {

using namespace detail;

namespace {

// Refusals and retries shared by a correction and a request for one.
bool settled_before(decision& d, const work_order& wo, const std::string& request_id) {
  if (known_request(wo, request_id)) {
    d.duplicate = true;
    return true;
  }
  if (wo.state == wo_state::done) {
    d.refused = messages::done_no_reclassify;
    return true;
  }
  return false;
}

// A clock the new call does not owe: retired, its steps cancelled; a breach already recorded on
// it stays.
void retire_clock(decision& d, clock_kind kind, instant now) {
  auto* old = d.next.find(kind);
  if (!old || !old->running()) return;
  old->retired = true;
  const bool breached = old->breached.has_value();
  d.events.push_back(clock_event(event_kind::clock_retired, *old, now, messages::retired_note(kind, breached)));
  cancel_steps(d, *old);
}

// A clock the new call owes runs from acceptance: started now with its deadline back there, or,
// when the job owed it before, resumed as if never retired.
void start_owed(decision& d, clock_kind kind, const limits& lim, instant now) {
  auto* existing = d.next.find(kind);
  if (!existing) {
    start_owed_clock(d, kind, d.next.cls, d.next.accepted_at, lim, now, messages::from_acceptance, nullptr);
    return;
  }
  if (!existing->retired || existing->stopped) return;
  existing->retired = false;
  d.events.push_back(clock_event(event_kind::clock_started, *existing, now, messages::resumed_note(kind)));
  if (!existing->breached) d.arm.push_back({kind, existing->deadline});
}

// A repair found to be a complaint, or the other way round: every clock of the old call retires
// and the new call's clocks run from acceptance, so a wrong call never buys the firm time. A
// re-do's clock is owed whatever the call.
void change_kind(decision& d, const limits& lim, instant now) {
  const auto owed = clocks_for(d.next.cls);
  for (const auto& c : std::vector<clock>(d.next.clocks))
    if (c.kind != clock_kind::redo && std::find(owed.begin(), owed.end(), c.kind) == owed.end())
      retire_clock(d, c.kind, now);
  for (const auto k : owed) start_owed(d, k, lim, now);
}

// The completion clock takes the new urgency's limit, from acceptance, unless it already ran out.
void move_completion(decision& d, urgency to, const limits& lim, instant now) {
  auto* done = d.next.find(clock_kind::completion);
  if (!done || !done->running() || done->breached) return;
  done->limit = completion_limit(to, lim);
  done->deadline = done->started + done->limit;
  d.events.push_back(clock_event(event_kind::clock_started, *done, now, messages::completion_moved_note(done->limit)));
  d.arm.push_back({clock_kind::completion, done->deadline});
}

}  // namespace

decision request_reclassify(const work_order& wo, reclassification r, const member& by, std::string_view station,
                            instant now) {
  decision d{.next = wo};
  if (settled_before(d, wo, r.request_id)) return d;
  if (r.cls.category.empty()) r.cls.category_name = wo.cls.category_name;
  event e{.kind = event_kind::reclassify_requested,
          .at = now,
          .actor = by.name,
          .actor_id = by.id,
          .organisation = by.organisation};
  e.note = messages::reclassify_requested_note(wo.cls, r.cls, r.reason);
  d.events.push_back(e);
  remember_request(d.next, r.request_id);
  tell(d, recipient::station, std::string(station), "reclassify_request", {clock_kind::completion, now},
       messages::reclassify_request_text(wo, by, e.note));
  return d;
}

decision reclassify(const work_order& wo, reclassification r, const member& by, const limits& lim, instant now) {
  decision d{.next = wo};
  if (settled_before(d, wo, r.request_id)) return d;
  if (r.cls.category.empty()) {  // only the urgency changes
    r.cls.kind = wo.cls.kind;
    r.cls.category = wo.cls.category;
    r.cls.category_name = wo.cls.category_name;
    r.cls.group = wo.cls.group;
    r.cls.advice = wo.cls.advice;
  }
  const auto from = wo.cls.level;
  const auto to = r.cls.level;
  event e{.kind = event_kind::reclassified,
          .at = now,
          .actor = by.name,
          .actor_id = by.id,
          .organisation = by.organisation};
  e.note = messages::reclassified_note(wo.cls, r.cls, r.reason);
  d.next.cls = std::move(r.cls);
  d.next.cls.overridden = true;
  // A person made this call: nothing is left for anyone to confirm (待确认 goes), and it is as
  // sure as the job's call can be.
  d.next.cls.uncertain = false;
  d.next.cls.confidence = 1.0;
  d.events.push_back(e);
  remember_request(d.next, r.request_id);
  tell(d, recipient::holder, wo.holder, "reclassified", {clock_kind::completion, now},
       messages::reclassified_text(wo, by, e.note));
  if (wo.cls.kind != d.next.cls.kind) {
    change_kind(d, lim, now);
    return d;
  }
  if (from == to || d.next.cls.kind == request_kind::complaint) return d;
  retire_clock(d, response_clock(from), now);
  start_owed(d, response_clock(to), lim, now);
  move_completion(d, to, lim, now);
  return d;
}

}  // namespace halfhour::sla
