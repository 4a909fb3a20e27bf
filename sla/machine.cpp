// Transitions that give a job its holder: acceptance, a manager's assignment, the station's
// rerouting. Deadlines are in machine_deadline.cpp, crew actions in machine_apply.cpp,
// re-classification in machine_reclassify.cpp.
#include "sla/machine.hpp"

#include "sla/machine_steps.hpp"
#include "sla/messages.hpp"

namespace halfhour::sla {

using namespace detail;

namespace {

// The job as the report describes it, held by its community's firm, or by the station to sort
// out an address no firm could be found for.
work_order open_job(const intake& in, std::string id, classification cls, resolution where, std::string_view station,
                    instant now) {
  work_order wo;
  wo.id = std::move(id);
  wo.source = in.source;
  wo.external_no = in.external_no;
  wo.who = in.who;
  wo.content = in.content;
  wo.address = in.address;
  wo.reported_at = in.reported_at;
  wo.photos = in.photos;
  wo.reported_position = in.reported_position;
  wo.accepted_at = now;
  wo.cls = std::move(cls);
  wo.where = std::move(where);
  if (wo.where.to == route::firm) {
    wo.state = wo_state::dispatched;
    wo.holder = wo.where.firm;
    wo.responsible_firm = wo.where.firm;
  } else {
    wo.state = wo_state::triage;
    wo.holder = std::string(station);
  }
  return wo;
}

// Accepted, classified, routed: the three facts every job's history opens with.
void record_intake(decision& d, instant now) {
  const auto& wo = d.next;
  d.events.push_back({.kind = event_kind::accepted, .at = now, .note = messages::accepted_note(wo.external_no)});
  d.events.push_back({.kind = event_kind::classified, .at = now, .note = messages::classified_note(wo.cls)});
  d.events.push_back({.kind = event_kind::routed, .at = now, .organisation = wo.holder, .note = wo.where.reason});
}

}  // namespace

decision accept(const intake& in, std::string id, classification cls, resolution where, const ladder& lad,
                const limits& lim, instant now) {
  decision d{.next = open_job(in, std::move(id), std::move(cls), std::move(where), lad.station, now)};
  record_intake(d, now);
  start_clocks(d, d.next.cls, now, lim, now, "", &lad);
  if (d.next.cls.kind == request_kind::complaint) {
    tell(d, recipient::holder, d.next.holder, "dispatch", {clock_kind::first_contact, now},
         messages::complaint_dispatch_text(d.next, *d.next.find(clock_kind::first_contact),
                                           *d.next.find(clock_kind::resolution)));
    return d;
  }
  tell(d, recipient::holder, d.next.holder, "dispatch", {clock_kind::acknowledge, now},
       messages::dispatch_text(d.next, ack_limit(d.next.cls.level, lim)));
  return d;
}

decision accept(const intake& in, std::string id, classification cls, resolution where, std::string_view station,
                const limits& lim, instant now) {
  ladder lad;
  lad.station = std::string(station);
  return accept(in, std::move(id), std::move(cls), std::move(where), lad, lim, now);
}

decision assign(const work_order& wo, const member& by, const member& to, instant now) {
  decision d{.next = wo};
  if (wo.state == wo_state::done) {
    d.refused = messages::job_done;
    return d;
  }
  if (to.organisation != wo.holder) {
    d.refused = messages::crew_not_of(wo.holder);
    return d;
  }
  if (wo.assignee == to.id) {
    d.duplicate = true;
    return d;
  }
  d.events.push_back({.kind = event_kind::assigned,
                      .at = now,
                      .actor = by.name,
                      .actor_id = by.id,
                      .organisation = by.organisation,
                      .note = messages::assigned_note(to.name)});
  // The holder's own dispatcher handing the job to a crew is the holder taking it: 接单.
  stop_clock(d, clock_kind::acknowledge, now, messages::assignment_implies_ack);
  d.next.assignee = to.id;
  advance(d.next, wo_state::acknowledged);
  return d;
}

decision reroute(const work_order& wo, resolution where, const member& by, instant now) {
  decision d{.next = wo};
  if (wo.state == wo_state::done) {
    d.refused = messages::job_done;
    return d;
  }
  if (where.to != route::firm || where.firm.empty()) {
    d.refused = messages::reroute_needs_firm;
    return d;
  }
  d.events.push_back({.kind = event_kind::routed,
                      .at = now,
                      .actor = by.name,
                      .actor_id = by.id,
                      .organisation = where.firm,
                      .note = messages::rerouted_note(where)});
  d.next.where = std::move(where);
  d.next.holder = d.next.where.firm;
  d.next.responsible_firm = d.next.where.firm;
  d.next.assignee.clear();
  d.next.state = wo_state::dispatched;
  return d;
}

}  // namespace halfhour::sla
