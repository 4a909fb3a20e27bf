#include "sla/machine.hpp"

#include <algorithm>

namespace halfhour::sla {

namespace {

std::string minutes_text(duration d) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s >= 3600 && s % 3600 == 0) return std::to_string(s / 3600) + "小时";
  if (s % 60 == 0) return std::to_string(s / 60) + "分钟";
  return std::to_string(s) + "秒";
}

duration response_limit(urgency u, const limits& lim) { return u == urgency::urgent ? lim.on_site : lim.contact; }
clock_kind response_clock(urgency u) { return u == urgency::urgent ? clock_kind::on_site : clock_kind::contact; }
duration ack_limit(urgency u, const limits& lim) { return u == urgency::urgent ? lim.ack_urgent : lim.ack_general; }
duration completion_limit(urgency u, const limits& lim) {
  return u == urgency::urgent ? lim.completion_urgent : lim.completion_general;
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

bool is_response(clock_kind k) { return k == clock_kind::on_site || k == clock_kind::contact; }

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

void start_clock(decision& d, clock_kind kind, instant started, duration limit, instant now, std::string note,
                 const ladder* lad = nullptr) {
  clock c;
  c.kind = kind;
  c.started = started;
  c.limit = limit;
  c.deadline = started + limit;
  d.events.push_back(clock_event(event_kind::clock_started, c, now,
                                 std::string(name_of(kind)) + "时限" + minutes_text(limit) + note));
  d.arm.push_back({kind, c.deadline});
  arm_warnings(d, c, lad, now);
  d.next.clocks.push_back(c);
}

// Every step still armed for a clock: its deadline (unless it fired), its warnings, its reminder.
void cancel_steps(decision& d, const clock& c) {
  if (!c.breached) d.cancel.push_back({c.kind});
  for (int i = 0; i < c.warnings; ++i) d.cancel.push_back({c.kind, {}, step::warn, i});
  if (c.breached) d.cancel.push_back({c.kind, {}, step::renotify});
}

// Stops a running clock and says whether it was met. A breached clock can still be stopped:
// the breach stays, the stop time says how late the crew was.
void stop_clock(decision& d, clock_kind kind, instant now, std::string_view why) {
  auto* c = d.next.find(kind);
  if (!c || !c->running()) return;
  c->stopped = now;
  std::string note = std::string(name_of(kind)) + (now <= c->deadline ? "按时完成" : "超时完成");
  if (now > c->deadline) note += "，晚" + minutes_text(std::chrono::duration_cast<std::chrono::seconds>(now - c->deadline));
  if (!why.empty()) note += std::string("（") + std::string(why) + "）";
  d.events.push_back(clock_event(event_kind::clock_stopped, *c, now, std::move(note)));
  cancel_steps(d, *c);
}

std::string subject(const work_order& wo) {
  std::string place = wo.where.community_name.empty() ? wo.address : wo.where.community_name;
  if (!wo.where.building.empty()) place += wo.where.building + "号";
  if (!wo.where.room.empty()) place += wo.where.room + "室";
  return "工单" + wo.id + "（" + name_of(wo.cls.level) + "·" + wo.cls.category_name +
         (place.empty() ? "" : "，" + place) + "）";
}

// One message to one party for one step; nobody named (no committee known) means nobody told.
void tell(decision& d, recipient to, const std::string& organisation, std::string kind, const deadline& due,
          std::string text) {
  if (organisation.empty()) return;
  notification n{to, organisation, std::move(kind), {}, std::move(text)};
  n.key = d.next.id + ":" + code_of(due.kind) + ":" + code_of(due.s) + std::to_string(due.index) + ":" + code_of(to) +
          ":" + std::to_string(to_ms(due.at));
  d.notify.push_back(std::move(n));
}

bool before(wo_state a, wo_state b) { return static_cast<int>(a) < static_cast<int>(b); }

void advance(work_order& wo, wo_state to) {
  // Triage and dispatched are both "not yet taken"; later states only move forward.
  if (wo.state == wo_state::triage || wo.state == wo_state::dispatched || before(wo.state, to)) wo.state = to;
}

}  // namespace

const clock* work_order::find(clock_kind k) const {
  auto it = std::find_if(clocks.begin(), clocks.end(), [k](const clock& c) { return c.kind == k; });
  return it == clocks.end() ? nullptr : &*it;
}

clock* work_order::find(clock_kind k) {
  auto it = std::find_if(clocks.begin(), clocks.end(), [k](const clock& c) { return c.kind == k; });
  return it == clocks.end() ? nullptr : &*it;
}

const clock* racing_clock(const work_order& wo) {
  const clock* best = nullptr;
  for (const auto& c : wo.clocks) {
    if (!c.running() || c.kind == clock_kind::completion) continue;
    if (!best || c.deadline < best->deadline) best = &c;
  }
  if (!best)
    if (const auto* done = wo.find(clock_kind::completion); done && done->running()) best = done;
  return best;
}

const clock* promised_clock(const work_order& wo) {
  for (auto k : {clock_kind::on_site, clock_kind::contact, clock_kind::completion})
    if (const auto* c = wo.find(k); c && c->running()) return c;
  return nullptr;
}

decision accept(const intake& in, std::string id, classification cls, resolution where, const ladder& lad,
                const limits& lim, instant now) {
  const std::string_view station = lad.station;
  decision d;
  auto& wo = d.next;
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

  event accepted{.kind = event_kind::accepted, .at = now};
  accepted.note = wo.external_no.empty() ? "受理" : "受理，来源单号" + wo.external_no;
  d.events.push_back(accepted);
  event classified{.kind = event_kind::classified, .at = now};
  classified.note = std::string(name_of(wo.cls.level)) + "：" + wo.cls.category_name;
  d.events.push_back(classified);
  event routed{.kind = event_kind::routed, .at = now};
  routed.organisation = wo.holder;
  routed.note = wo.where.reason;
  d.events.push_back(routed);

  const auto u = wo.cls.level;
  start_clock(d, clock_kind::acknowledge, now, ack_limit(u, lim), now, "");
  start_clock(d, response_clock(u), now, response_limit(u, lim), now, "", &lad);
  start_clock(d, clock_kind::completion, now, completion_limit(u, lim), now, "");
  tell(d, recipient::holder, wo.holder, "dispatch", {clock_kind::acknowledge, now},
       "【新工单】" + subject(wo) + "，请在" + minutes_text(ack_limit(u, lim)) + "内接单");
  return d;
}

decision accept(const intake& in, std::string id, classification cls, resolution where, std::string_view station,
                const limits& lim, instant now) {
  ladder lad;
  lad.station = std::string(station);
  return accept(in, std::move(id), std::move(cls), std::move(where), lad, lim, now);
}



decision on_deadline(const work_order& wo, clock_kind kind, instant due, instant now, bool on_recovery) {
  return on_deadline(wo, deadline{kind, due}, now, on_recovery, ladder{});
}

namespace {

bool quiet(const ladder& lad, const work_order& wo, instant now) {
  if (wo.cls.level != urgency::general || lad.quiet_from < 0 || lad.quiet_to < 0 || lad.quiet_from == lad.quiet_to)
    return false;
  const long long hour = ((to_ms(now) / 3'600'000) + shanghai_offset.count()) % 24;
  return lad.quiet_from < lad.quiet_to ? (hour >= lad.quiet_from && hour < lad.quiet_to)
                                       : (hour >= lad.quiet_from || hour < lad.quiet_to);
}

// Quiet hours: the step is recorded, the messages are not sent.
void hush(decision& d, const ladder& lad, const work_order& wo, instant now) {
  if (!quiet(lad, wo, now) || d.notify.empty()) return;
  d.notify.clear();
  d.events.back().note += "（夜间免打扰，未发送通知）";
}

}  // namespace

decision on_deadline(const work_order& wo, const deadline& due, instant now, bool on_recovery, const ladder& lad) {
  decision d{.next = wo};
  auto* c = d.next.find(due.kind);
  if (!c || now < due.at) return d;  // unknown or early: nothing to do
  const std::string late = minutes_text(std::chrono::duration_cast<std::chrono::seconds>(now - c->deadline));
  const std::string holder = wo.responsible_firm.empty() ? wo.holder : wo.responsible_firm;

  if (due.s == step::warn) {
    d.cancel.push_back({due.kind, {}, step::warn, due.index});
    if (!c->running() || c->breached || now >= c->deadline) return d;  // stopped, or the breach says it all
    event e = clock_event(event_kind::warned, *c, now,
                          std::string(name_of(due.kind)) + "时限还剩" +
                              minutes_text(std::chrono::duration_cast<std::chrono::seconds>(c->deadline - now)));
    e.organisation = wo.holder;
    d.events.push_back(e);
    const auto text = "【预警】" + subject(wo) + std::string(name_of(due.kind)) + "时限还剩" +
                      minutes_text(std::chrono::duration_cast<std::chrono::seconds>(c->deadline - now)) + "，责任单位：" +
                      wo.holder;
    tell(d, recipient::holder, wo.holder, "warn", due, text);
    tell(d, recipient::committee, wo.where.committee, "warn", due, text);
    hush(d, lad, wo, now);
    return d;
  }

  if (due.s == step::renotify) {
    d.cancel.push_back({due.kind, {}, step::renotify});
    if (!c->running() || !c->breached) return d;
    event e = clock_event(event_kind::renotified, *c, now, std::string(name_of(due.kind)) + "已超时" + late + "，仍未完成");
    e.organisation = holder;
    d.events.push_back(e);
    const auto text = "【持续超时】" + subject(wo) + std::string(name_of(due.kind)) + "已超时" + late +
                      "仍未完成，责任单位：" + holder;
    tell(d, recipient::centre, lad.centre, "renotify", due, text);
    tell(d, recipient::committee, wo.where.committee, "renotify", due, text);
    tell(d, recipient::holder, wo.holder, "renotify", due, text);
    hush(d, lad, wo, now);
    d.arm.push_back({due.kind, due.at + lad.renotify, step::renotify});
    return d;
  }

  if (c->deadline != due.at) return d;  // the clock moved: a newer deadline is armed
  if (!c->running() || c->breached) {
    d.cancel.push_back({due.kind});  // a leftover deadline of a stopped clock: clean it up
    return d;
  }
  c->breached = now;
  auto e = clock_event(event_kind::clock_breached, *c, now,
                       std::string(name_of(due.kind)) + "超时（时限" + minutes_text(c->limit) + "）");
  e.late_ms = std::chrono::duration_cast<duration>(now - due.at).count();
  e.on_recovery = on_recovery;
  e.organisation = holder;
  d.events.push_back(std::move(e));
  d.cancel.push_back({due.kind});
  for (int i = 0; i < c->warnings; ++i) d.cancel.push_back({due.kind, {}, step::warn, i});

  const std::string what = "【超时】" + subject(wo) + std::string(name_of(due.kind)) + "超时（时限" + minutes_text(c->limit) +
                           "），责任单位：" + holder;
  if (due.kind == clock_kind::acknowledge) {
    tell(d, recipient::station, lad.station, "breach", due, what + "，请应急维修服务站关注");
    bool take = lad.urgent_fallback && wo.cls.level == urgency::urgent && !lad.station.empty() &&
                wo.holder != lad.station && wo.state != wo_state::done;
    if (take) {
      event moved{.kind = event_kind::handed_over, .at = now, .organisation = lad.station};
      moved.note = holder + minutes_text(c->limit) + "内未接单，急修工单转" + lad.station + "（超时仍记在" + holder + "）";
      d.events.push_back(moved);
      d.next.holder = lad.station;
      d.next.assignee.clear();
      d.next.state = wo_state::triage;
      tell(d, recipient::holder, wo.holder, "fallback", due, "【转应急站】" + subject(wo) + moved.note);
    } else {
      tell(d, recipient::holder, wo.holder, "breach", due, what);
    }
    return d;
  }
  tell(d, recipient::centre, lad.centre, "breach", due, what);
  tell(d, recipient::committee, wo.where.committee, "breach", due, what);
  tell(d, recipient::holder, wo.holder, "breach", due, what);
  if (wo.source == channel::hotline_12345 && is_response(due.kind)) {
    tell(d, recipient::hotline, "12345", "breach", due, what + "，12345工单号" + wo.external_no);
    d.notify.back().ref = wo.external_no;
  }
  if (is_response(due.kind) && lad.renotify.count() > 0)
    d.arm.push_back({due.kind, due.at + lad.renotify, step::renotify});
  return d;
}

decision apply(const work_order& wo, const action& act, std::string_view station, instant now) {
  decision d{.next = wo};
  auto& next = d.next;
  if (!act.request_id.empty() &&
      std::find(wo.recent_requests.begin(), wo.recent_requests.end(), act.request_id) != wo.recent_requests.end()) {
    d.duplicate = true;
    return d;
  }
  const bool mine = !act.actor_id.empty() && wo.assignee == act.actor_id;
  if (wo.state == wo_state::done) {
    d.refused = "工单已完工";
    return d;
  }
  // A colleague's job: the refusal names nobody (the crew sees the job, not who holds it).
  if (act.actor_role == role::crew && !wo.assignee.empty() && !mine) {
    d.refused = act.kind == action_kind::acknowledge ? "工单已被他人接单" : "工单已由其他维修人员负责";
    return d;
  }
  event e{.at = now, .actor = act.actor, .actor_id = act.actor_id, .organisation = act.organisation, .note = act.note};
  e.method = act.method;
  e.device_time = act.device_time;
  e.where = act.where;
  auto take = [&] {
    if (next.assignee.empty()) next.assignee = act.actor_id;
  };
  switch (act.kind) {
    case action_kind::acknowledge: {
      const auto* ack = wo.find(clock_kind::acknowledge);
      if ((ack && ack->stopped) || !before(wo.state, wo_state::acknowledged)) {
        if (mine) {
          d.duplicate = true;
          return d;
        }
        d.refused = "工单已被他人接单";
        return d;
      }
      e.kind = event_kind::acknowledged;
      d.events.push_back(e);
      stop_clock(d, clock_kind::acknowledge, now, "");
      next.assignee = act.actor_id;
      advance(next, wo_state::acknowledged);
      break;
    }
    case action_kind::contact:
      e.kind = event_kind::contacted;
      d.events.push_back(e);
      stop_clock(d, clock_kind::acknowledge, now, "已联系报修人即视为接单");
      stop_clock(d, clock_kind::contact, now, "");
      take();
      advance(next, wo_state::contacted);
      break;
    case action_kind::arrive:
      if (wo.state == wo_state::on_site) {
        if (mine) {
          d.duplicate = true;
          return d;
        }
        d.refused = "已有人到场";
        return d;
      }
      e.kind = event_kind::arrived;
      d.events.push_back(e);
      stop_clock(d, clock_kind::acknowledge, now, "到场即视为接单");
      stop_clock(d, clock_kind::contact, now, "到场即视为已联系");
      stop_clock(d, clock_kind::on_site, now, "");
      take();
      advance(next, wo_state::on_site);
      break;
    case action_kind::complete:
      e.kind = event_kind::completed;
      d.events.push_back(e);
      for (auto k : {clock_kind::acknowledge, clock_kind::contact, clock_kind::on_site})
        stop_clock(d, k, now, "随完工一并结束");
      stop_clock(d, clock_kind::completion, now, "");
      take();
      next.state = wo_state::done;
      break;
    case action_kind::hand_over:
      if (wo.holder == station) {
        d.refused = "工单已在应急维修服务站";
        return d;
      }
      e.kind = event_kind::handed_over;
      e.note = "转" + std::string(station) + (act.note.empty() ? "" : "：" + act.note);
      d.events.push_back(e);
      next.holder = std::string(station);
      next.assignee.clear();
      next.state = wo_state::triage;
      break;
  }
  if (!act.request_id.empty()) {
    next.recent_requests.push_back(act.request_id);
    if (next.recent_requests.size() > remembered_requests) next.recent_requests.erase(next.recent_requests.begin());
  }
  // A 12345 ticket's progress goes back to the hotline: 签收, 先行联系, 到场, 办结, each once,
  // for the job's own ticket and for every 12345 ticket linked to it as the same incident.
  if (!d.events.empty()) {
    const char* status = nullptr;
    const char* words = nullptr;
    switch (act.kind) {
      case action_kind::acknowledge: status = "acknowledged", words = "已签收"; break;
      case action_kind::contact: status = "contacted", words = "已先行联系报修人"; break;
      case action_kind::arrive: status = "on_site", words = "维修人员已到场"; break;
      case action_kind::complete: status = "done", words = "已办结"; break;
      case action_kind::hand_over: break;
    }
    // A second 已联系 is a fact for the history, not news for the hotline.
    bool first = status && (act.kind != action_kind::contact || before(wo.state, wo_state::contacted));
    const std::string by = "（" + next.holder + (act.actor.empty() ? "" : "，" + act.actor) + "）";
    if (first && wo.source == channel::hotline_12345) {
      tell(d, recipient::hotline, "12345", status, {clock_kind::completion, wo.accepted_at},
           "12345工单" + wo.external_no + "：" + words + by);
      d.notify.back().ref = wo.external_no;
      d.notify.back().key = wo.id + ":hotline:" + status;  // once per status, whatever retries come
    }
    std::vector<std::string> tickets;  // every 12345 ticket linked to the job, whole or counted
    for (const auto& l : wo.linked)
      if (l.source == channel::hotline_12345) tickets.push_back(l.external_no);
    tickets.insert(tickets.end(), wo.linked_more_tickets.begin(), wo.linked_more_tickets.end());
    for (const auto& t : first ? tickets : std::vector<std::string>{}) {
      tell(d, recipient::hotline, "12345", status, {clock_kind::completion, wo.accepted_at},
           "12345工单" + t + "（与工单" + wo.id + "为同一事件）：" + words + by);
      d.notify.back().ref = t;
      d.notify.back().key = wo.id + ":hotline:" + t + ":" + status;
    }
  }
  return d;
}

decision assign(const work_order& wo, const member& by, const member& to, instant now) {
  decision d{.next = wo};
  if (wo.state == wo_state::done) {
    d.refused = "工单已完工";
    return d;
  }
  if (to.organisation != wo.holder) {
    d.refused = "该维修人员不属于" + wo.holder;
    return d;
  }
  if (wo.assignee == to.id) {
    d.duplicate = true;
    return d;
  }
  event e{.kind = event_kind::assigned, .at = now, .actor = by.name, .actor_id = by.id, .organisation = by.organisation};
  e.note = "派给" + to.name;
  d.events.push_back(e);
  // The holder's own dispatcher handing the job to a crew is the holder taking it: 接单.
  stop_clock(d, clock_kind::acknowledge, now, "派单即视为接单");
  d.next.assignee = to.id;
  advance(d.next, wo_state::acknowledged);
  return d;
}

decision reroute(const work_order& wo, resolution where, const member& by, instant now) {
  decision d{.next = wo};
  if (wo.state == wo_state::done) {
    d.refused = "工单已完工";
    return d;
  }
  if (where.to != route::firm || where.firm.empty()) {
    d.refused = "须指定一个有物业的小区";
    return d;
  }
  event e{.kind = event_kind::routed, .at = now, .actor = by.name, .actor_id = by.id, .organisation = where.firm};
  e.note = "应急站分拣：" + where.community_name + "，由" + where.firm + "负责（时限不重新计算）";
  d.events.push_back(e);
  d.next.where = std::move(where);
  d.next.holder = d.next.where.firm;
  d.next.responsible_firm = d.next.where.firm;
  d.next.assignee.clear();
  d.next.state = wo_state::dispatched;
  return d;
}

namespace {

std::string call_text(const classification& c) {
  return std::string(name_of(c.level)) + "（" + c.category_name + "）";
}

// Refusals and retries shared by a correction and a request for one.
bool settled_before(decision& d, const work_order& wo, const std::string& request_id) {
  if (!request_id.empty() &&
      std::find(wo.recent_requests.begin(), wo.recent_requests.end(), request_id) != wo.recent_requests.end()) {
    d.duplicate = true;
    return true;
  }
  if (wo.state == wo_state::done) {
    d.refused = "工单已完工，不能改判";
    return true;
  }
  return false;
}

void remember_request(work_order& wo, const std::string& request_id) {
  if (request_id.empty()) return;
  wo.recent_requests.push_back(request_id);
  if (wo.recent_requests.size() > remembered_requests) wo.recent_requests.erase(wo.recent_requests.begin());
}

}  // namespace

decision request_reclassify(const work_order& wo, reclassification r, const member& by,
                            std::string_view station, instant now) {
  decision d{.next = wo};
  if (settled_before(d, wo, r.request_id)) return d;
  if (r.cls.category.empty()) r.cls.category_name = wo.cls.category_name;
  event e{.kind = event_kind::reclassify_requested, .at = now, .actor = by.name, .actor_id = by.id,
          .organisation = by.organisation};
  e.note = "现场申请由" + call_text(wo.cls) + "改为" + call_text(r.cls) + "：" + r.reason;
  d.events.push_back(e);
  remember_request(d.next, r.request_id);
  tell(d, recipient::station, std::string(station), "reclassify_request", {clock_kind::completion, now},
       subject(wo) + "：" + by.organisation + by.name + e.note + "，请应急维修服务站确认后改判");
  return d;
}

decision reclassify(const work_order& wo, reclassification r, const member& by, const limits& lim, instant now) {
  decision d{.next = wo};
  if (settled_before(d, wo, r.request_id)) return d;
  if (r.cls.category.empty()) {  // only the urgency changes
    r.cls.category = wo.cls.category;
    r.cls.category_name = wo.cls.category_name;
    r.cls.advice = wo.cls.advice;
  }
  auto& next = d.next;
  const auto from = wo.cls.level;
  const auto to = r.cls.level;
  event e{.kind = event_kind::reclassified, .at = now, .actor = by.name, .actor_id = by.id,
          .organisation = by.organisation};
  e.note = call_text(wo.cls) + "改为" + call_text(r.cls) + (r.reason.empty() ? "" : "：" + r.reason);
  const std::string told = subject(wo) + "由" + by.organisation + by.name + e.note + "。时限自受理时起算，不重新计时。";
  next.cls = std::move(r.cls);
  next.cls.overridden = true;
  d.events.push_back(e);
  remember_request(next, r.request_id);
  tell(d, recipient::holder, wo.holder, "reclassified", {clock_kind::completion, now}, told);
  if (from == to) return d;

  auto old_kind = response_clock(from);
  if (auto* old = next.find(old_kind); old && old->running()) {
    old->retired = true;
    d.events.push_back(clock_event(event_kind::clock_retired, *old, now,
                                   std::string(name_of(old_kind)) + "时限不再适用" +
                                       (old->breached ? "，已记录的超时保留" : "")));
    cancel_steps(d, *old);
  }
  auto new_kind = response_clock(to);
  if (auto* existing = next.find(new_kind)) {
    // Back to an urgency it had before: its clock resumes from acceptance, as if never retired.
    if (existing->retired && !existing->stopped) {
      existing->retired = false;
      d.events.push_back(clock_event(event_kind::clock_started, *existing, now,
                                     std::string(name_of(new_kind)) + "时限恢复，自受理时起算"));
      if (!existing->breached) d.arm.push_back({new_kind, existing->deadline});
    }
  } else {
    start_clock(d, new_kind, wo.accepted_at, response_limit(to, lim), now, "，自受理时起算");
  }
  if (auto* done = next.find(clock_kind::completion); done && done->running() && !done->breached) {
    done->limit = completion_limit(to, lim);
    done->deadline = done->started + done->limit;
    d.events.push_back(clock_event(event_kind::clock_started, *done, now,
                                   "完工时限改为" + minutes_text(done->limit) + "，自受理时起算"));
    d.arm.push_back({clock_kind::completion, done->deadline});
  }
  return d;
}

}  // namespace halfhour::sla
