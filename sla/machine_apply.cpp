// A crew's or an operator's action on a job: acknowledge, contact, arrive, complete, hand over.
// Each later step implies the earlier ones, and 12345 hears of the progress of its tickets.
#include <vector>

#include "sla/machine.hpp"
#include "sla/machine_steps.hpp"
#include "sla/messages.hpp"

namespace halfhour::sla {

using namespace detail;

namespace {

// Retries and refusals that do not depend on the action: a known request id, a finished job,
// a colleague's job (the refusal names nobody: the crew sees the job, not who holds it).
bool settled_before(decision& d, const work_order& wo, const action& act, bool mine) {
  if (known_request(wo, act.request_id)) {
    d.duplicate = true;
    return true;
  }
  if (wo.state == wo_state::done) {
    d.refused = messages::job_done;
    return true;
  }
  if (act.actor_role == role::crew && !wo.assignee.empty() && !mine) {
    d.refused = act.kind == action_kind::acknowledge ? messages::taken_by_another : messages::held_by_colleague;
    return true;
  }
  return false;
}

// A step already taken: the same crew pressing again is a retry, anyone else is refused.
bool already_taken(decision& d, bool mine, std::string_view refusal) {
  if (mine) d.duplicate = true;
  else d.refused = refusal;
  return false;
}

event action_event(event_kind kind, const action& act, instant now) {
  event e{.kind = kind,
          .at = now,
          .actor = act.actor,
          .actor_id = act.actor_id,
          .organisation = act.organisation,
          .note = act.note};
  e.method = act.method;
  e.device_time = act.device_time;
  e.where = act.where;
  return e;
}

// The crew doing the work takes the job, unless someone already holds it.
void take(work_order& next, const action& act) {
  if (next.assignee.empty()) next.assignee = act.actor_id;
}

bool acknowledge(decision& d, const work_order& wo, const action& act, bool mine, instant now) {
  const auto* ack = wo.find(clock_kind::acknowledge);
  // A job sent back to be done again (重办) is taken anew, its first acknowledgement long past.
  const bool again = wo.state == wo_state::reopened;
  if (!again && ((ack && ack->stopped) || !before(wo.state, wo_state::acknowledged)))
    return already_taken(d, mine, messages::taken_by_another);
  d.events.push_back(action_event(event_kind::acknowledged, act, now));
  stop_clock(d, clock_kind::acknowledge, now, "");
  d.next.assignee = act.actor_id;
  advance(d.next, wo_state::acknowledged);
  return true;
}

bool contact(decision& d, const action& act, instant now) {
  d.events.push_back(action_event(event_kind::contacted, act, now));
  stop_clock(d, clock_kind::acknowledge, now, messages::contact_implies_ack);
  stop_clock(d, clock_kind::contact, now, "");
  stop_clock(d, clock_kind::first_contact, now, "");
  take(d.next, act);
  advance(d.next, wo_state::contacted);
  return true;
}

bool arrive(decision& d, const work_order& wo, const action& act, bool mine, instant now) {
  if (wo.state == wo_state::on_site) return already_taken(d, mine, messages::already_on_site);
  d.events.push_back(action_event(event_kind::arrived, act, now));
  stop_clock(d, clock_kind::acknowledge, now, messages::arrival_implies_ack);
  stop_clock(d, clock_kind::contact, now, messages::arrival_implies_contact);
  stop_clock(d, clock_kind::first_contact, now, messages::arrival_implies_contact);
  stop_clock(d, clock_kind::on_site, now, "");
  take(d.next, act);
  advance(d.next, wo_state::on_site);
  return true;
}

bool complete(decision& d, const action& act, instant now) {
  d.events.push_back(action_event(event_kind::completed, act, now));
  for (auto k : {clock_kind::acknowledge, clock_kind::contact, clock_kind::on_site, clock_kind::first_contact})
    stop_clock(d, k, now, messages::ends_with_completion);
  stop_clock(d, clock_kind::completion, now, "");
  stop_clock(d, clock_kind::resolution, now, "");
  stop_clock(d, clock_kind::redo, now, "");
  take(d.next, act);
  d.next.state = wo_state::done;
  return true;
}

// The holder gives the job up to the station; its clocks run on.
bool hand_over(decision& d, const work_order& wo, const action& act, std::string_view station, instant now) {
  if (wo.holder == station) {
    d.refused = messages::already_at_station;
    return false;
  }
  auto e = action_event(event_kind::handed_over, act, now);
  e.note = messages::handed_over_note(station, act.note);
  d.events.push_back(e);
  d.next.holder = std::string(station);
  d.next.assignee.clear();
  d.next.state = wo_state::triage;
  return true;
}

// False when the action does not apply: `d` says whether it was a retry or why it was refused.
bool take_action(decision& d, const work_order& wo, const action& act, std::string_view station, bool mine,
                 instant now) {
  switch (act.kind) {
    case action_kind::acknowledge: return acknowledge(d, wo, act, mine, now);
    case action_kind::contact: return contact(d, act, now);
    case action_kind::arrive: return arrive(d, wo, act, mine, now);
    case action_kind::complete: return complete(d, act, now);
    case action_kind::hand_over: return hand_over(d, wo, act, station, now);
  }
  return false;
}

// A 12345 ticket's progress goes back to the hotline: 签收, 先行联系, 到场, 办结, each once,
// for the job's own ticket and for every 12345 ticket linked to it as the same incident.
void tell_hotline(decision& d, const work_order& wo, const action& act) {
  const char* status = hotline_status_of(act.kind);
  if (!status) return;
  // A second 已联系 is a fact for the history, not news for the hotline.
  if (act.kind == action_kind::contact && !before(wo.state, wo_state::contacted)) return;
  const deadline progress{clock_kind::completion, wo.accepted_at};
  const auto& holder = d.next.holder;
  if (wo.source == channel::hotline_12345) {
    tell(d, recipient::hotline, "12345", status, progress,
         messages::hotline_progress_text(act.kind, wo.external_no, holder, act.actor));
    d.notify.back().ref = wo.external_no;
    d.notify.back().key = wo.id + ":hotline:" + status;  // once per status, whatever retries come
  }
  std::vector<std::string> tickets;  // every 12345 ticket linked to the job, whole or counted
  for (const auto& l : wo.linked)
    if (l.source == channel::hotline_12345) tickets.push_back(l.external_no);
  tickets.insert(tickets.end(), wo.linked_more_tickets.begin(), wo.linked_more_tickets.end());
  for (const auto& t : tickets) {
    tell(d, recipient::hotline, "12345", status, progress,
         messages::hotline_linked_progress_text(act.kind, t, wo.id, holder, act.actor));
    d.notify.back().ref = t;
    d.notify.back().key = wo.id + ":hotline:" + t + ":" + status;
  }
}

}  // namespace

decision apply(const work_order& wo, const action& act, std::string_view station, instant now) {
  decision d{.next = wo};
  const bool mine = !act.actor_id.empty() && wo.assignee == act.actor_id;
  if (settled_before(d, wo, act, mine) || !take_action(d, wo, act, station, mine, now)) return d;
  remember_request(d.next, act.request_id);
  tell_hotline(d, wo, act);
  if (act.kind == action_kind::complete) invite_ratings(d, wo, now);  // after 12345 hears 办结
  return d;
}

}  // namespace halfhour::sla
