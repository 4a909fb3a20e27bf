// A step of the escalation ladder came due: a warning before the deadline, the deadline itself
// (the breach), or a reminder while the breach lasts.
#include "sla/machine.hpp"
#include "sla/machine_steps.hpp"
#include "sla/messages.hpp"

namespace halfhour::sla {

using namespace detail;

namespace {

// Whether `now` falls in the ladder's quiet hours (Shanghai time) for this job: only general
// jobs wait for the morning.
bool quiet(const ladder& lad, const work_order& wo, instant now) {
  if (wo.cls.level != urgency::general || lad.quiet_from < 0 || lad.quiet_to < 0 || lad.quiet_from == lad.quiet_to)
    return false;
  const long long hour = ((to_ms(now) / 3'600'000) + shanghai_offset.count()) % 24;
  return lad.quiet_from < lad.quiet_to ? (hour >= lad.quiet_from && hour < lad.quiet_to)
                                       : (hour >= lad.quiet_from || hour < lad.quiet_to);
}

// The next reminder on the cadence that began at `from`, and after `now`: a breach or reminder
// noticed late (the engine was down an hour) sends one message, not the four it missed at once.
instant next_reminder(instant from, instant now, duration every) {
  auto next = from + every;
  if (next <= now) next += ((now - next) / every + 1) * every;
  return next;
}

// Quiet hours: the step is recorded, the messages are not sent.
void hush(decision& d, const ladder& lad, const work_order& wo, instant now) {
  if (!quiet(lad, wo, now) || d.notify.empty()) return;
  d.notify.clear();
  d.events.back().note += messages::held_for_quiet_hours;
}

// The firm a breach is held against: the one responsible, even after the job moved on.
std::string breach_holder(const work_order& wo) {
  return wo.responsible_firm.empty() ? wo.holder : wo.responsible_firm;
}

// A pre-breach warning to the holder and the committee, unless the clock stopped or breached.
decision on_warning(const work_order& wo, const deadline& due, instant now, const ladder& lad) {
  decision d{.next = wo};
  const auto* c = d.next.find(due.kind);
  d.cancel.push_back({due.kind, {}, step::warn, due.index});
  if (!c->running() || c->breached || now >= c->deadline) return d;  // stopped, or the breach says it all
  event e = clock_event(event_kind::warned, *c, now, messages::warned_note(due.kind, c->deadline - now));
  e.organisation = wo.holder;
  d.events.push_back(e);
  const auto text = messages::warning_text(wo, due.kind, c->deadline - now);
  tell(d, recipient::holder, wo.holder, "warn", due, text);
  tell(d, recipient::committee, wo.where.committee, "warn", due, text);
  hush(d, lad, wo, now);
  return d;
}

// A breach still open: the centre, the committee and the holder told again, the next reminder
// armed.
decision on_reminder(const work_order& wo, const deadline& due, instant now, const ladder& lad) {
  decision d{.next = wo};
  const auto* c = d.next.find(due.kind);
  d.cancel.push_back({due.kind, {}, step::renotify});
  if (!c->running() || !c->breached) return d;
  const auto holder = breach_holder(wo);
  event e = clock_event(event_kind::renotified, *c, now, messages::renotified_note(due.kind, now - c->deadline));
  e.organisation = holder;
  d.events.push_back(e);
  const auto text = messages::renotify_text(wo, due.kind, now - c->deadline, holder);
  tell(d, recipient::centre, lad.centre, "renotify", due, text);
  tell(d, recipient::committee, wo.where.committee, "renotify", due, text);
  tell(d, recipient::holder, wo.holder, "renotify", due, text);
  hush(d, lad, wo, now);
  // Reminders switched off since this one was armed: it was the last.
  if (lad.renotify.count() > 0) d.arm.push_back({due.kind, next_reminder(due.at, now, lad.renotify), step::renotify});
  return d;
}

// Not acknowledged in time: the station hears of it; an urgent job moves to the station (the
// firm keeps the breach), a general one stays and its holder is told.
void escalate_unacknowledged(decision& d, const work_order& wo, const deadline& due, instant now, const ladder& lad,
                             const std::string& breach) {
  const auto holder = breach_holder(wo);
  tell(d, recipient::station, lad.station, "breach", due, messages::breach_station_text(breach));
  const bool take = lad.urgent_fallback && wo.cls.level == urgency::urgent && !lad.station.empty() &&
                    wo.holder != lad.station && wo.state != wo_state::done;
  if (!take) {
    tell(d, recipient::holder, wo.holder, "breach", due, breach);
    return;
  }
  event moved{.kind = event_kind::handed_over, .at = now, .organisation = lad.station};
  moved.note = messages::fallback_note(holder, wo.find(due.kind)->limit, lad.station);
  d.events.push_back(moved);
  d.next.holder = lad.station;
  d.next.assignee.clear();
  d.next.state = wo_state::triage;
  tell(d, recipient::holder, wo.holder, "fallback", due, messages::fallback_text(wo, moved.note));
}

// A response or completion clock breached: the centre, the committee and the holder told, 12345
// too for its own ticket's response clock, and the first reminder armed.
void escalate_breach(decision& d, const work_order& wo, const deadline& due, instant now, const ladder& lad,
                     const std::string& breach) {
  tell(d, recipient::centre, lad.centre, "breach", due, breach);
  tell(d, recipient::committee, wo.where.committee, "breach", due, breach);
  tell(d, recipient::holder, wo.holder, "breach", due, breach);
  if (wo.source == channel::hotline_12345 && is_response(due.kind)) {
    tell(d, recipient::hotline, "12345", "breach", due, messages::breach_hotline_text(breach, wo.external_no));
    d.notify.back().ref = wo.external_no;
  }
  // A clock of working days is told once: reminders every quarter of an hour suit a flooded
  // kitchen, not a complaint already a day late.
  if (is_response(due.kind) && lad.renotify.count() > 0 && wo.find(due.kind)->working_days == 0)
    d.arm.push_back({due.kind, next_reminder(due.at, now, lad.renotify), step::renotify});
}

// The deadline itself: the clock breached, with how late the engine noticed, and the ladder's
// escalation. A deadline the clock moved away from, or one of a stopped clock, does nothing.
decision on_due(const work_order& wo, const deadline& due, instant now, bool on_recovery, const ladder& lad) {
  decision d{.next = wo};
  auto* c = d.next.find(due.kind);
  if (c->deadline != due.at) return d;  // the clock moved: a newer deadline is armed
  if (!c->running() || c->breached) {
    d.cancel.push_back({due.kind});  // a leftover deadline of a stopped clock: clean it up
    return d;
  }
  c->breached = now;
  const auto holder = breach_holder(wo);
  auto e = clock_event(event_kind::clock_breached, *c, now, messages::breached_note(*c));
  e.late_ms = std::chrono::duration_cast<duration>(now - due.at).count();
  e.on_recovery = on_recovery;
  e.organisation = holder;
  d.events.push_back(std::move(e));
  d.cancel.push_back({due.kind});
  for (int i = 0; i < c->warnings; ++i) d.cancel.push_back({due.kind, {}, step::warn, i});

  const auto breach = messages::breach_text(wo, *c, holder);
  if (due.kind == clock_kind::acknowledge) escalate_unacknowledged(d, wo, due, now, lad, breach);
  else escalate_breach(d, wo, due, now, lad, breach);
  return d;
}

}  // namespace

decision on_deadline(const work_order& wo, clock_kind kind, instant due, instant now, bool on_recovery) {
  return on_deadline(wo, deadline{kind, due}, now, on_recovery, ladder{});
}

decision on_deadline(const work_order& wo, const deadline& due, instant now, bool on_recovery, const ladder& lad) {
  if (!wo.find(due.kind) || now < due.at) return decision{.next = wo};  // unknown or early: nothing to do
  switch (due.s) {
    case step::warn: return on_warning(wo, due, now, lad);
    case step::renotify: return on_reminder(wo, due, now, lad);
    case step::due: break;
  }
  return on_due(wo, due, now, on_recovery, lad);
}

}  // namespace halfhour::sla
