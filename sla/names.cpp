#include "sla/names.hpp"

#include "sla/access.hpp"
#include "sla/machine.hpp"
#include "sla/work_order.hpp"

namespace halfhour::sla {

const char* name_of(urgency u) { return u == urgency::urgent ? "急修" : "一般性维修"; }

const char* name_of(rating r) {
  switch (r) {
    case rating::satisfied: return "满意";
    case rating::basically_satisfied: return "基本满意";
    case rating::dissatisfied: return "不满意";
    case rating::unreached: return "未接通";
  }
  return "";
}

const char* code_of(rating r) {
  switch (r) {
    case rating::satisfied: return "SATISFIED";
    case rating::basically_satisfied: return "BASICALLY_SATISFIED";
    case rating::dissatisfied: return "DISSATISFIED";
    case rating::unreached: return "UNREACHED";
  }
  return "";
}

std::optional<rating> rating_from_code(std::string_view code) {
  for (auto r : {rating::satisfied, rating::basically_satisfied, rating::dissatisfied, rating::unreached})
    if (code == code_of(r)) return r;
  return std::nullopt;
}

const char* name_of(request_kind k) { return k == request_kind::complaint ? "物业投诉" : "维修"; }
const char* name_of(const classification& c) {
  return c.kind == request_kind::complaint ? name_of(c.kind) : name_of(c.level);
}

const char* name_of(clock_kind k) {
  switch (k) {
    case clock_kind::acknowledge: return "接单";
    case clock_kind::on_site: return "到场";
    case clock_kind::contact: return "联系报修人";
    case clock_kind::completion: return "完工";
    case clock_kind::first_contact: return "先行联系";
    case clock_kind::resolution: return "办结";
    case clock_kind::redo: return "重办";
  }
  return "";
}

const char* name_of(wo_state s) {
  switch (s) {
    case wo_state::dispatched: return "已派单，待接单";
    case wo_state::triage: return "应急维修服务站分拣中";
    case wo_state::acknowledged: return "已接单";
    case wo_state::contacted: return "已联系报修人";
    case wo_state::on_site: return "维修人员已到场";
    case wo_state::done: return "已完工";
    case wo_state::reopened: return "回访不满意，重办中";
  }
  return "";
}

const char* name_of(channel c) {
  switch (c) {
    case channel::hotline_12345: return "12345热线";
    case channel::community_cloud: return "社区云";
    case channel::wechat: return "居民微信群";
    case channel::walk_in: return "居委来访";
    case channel::suggestion_box: return "意见征集箱";
    case channel::open311: return "Open311";
  }
  return "";
}

const char* code_of(clock_kind k) {
  switch (k) {
    case clock_kind::acknowledge: return "ack";
    case clock_kind::on_site: return "onsite";
    case clock_kind::contact: return "contact";
    case clock_kind::completion: return "done";
    case clock_kind::first_contact: return "first";
    case clock_kind::resolution: return "resolve";
    case clock_kind::redo: return "redo";
  }
  return "";
}

const char* code_of(step s) {
  switch (s) {
    case step::due: return "due";
    case step::warn: return "warn";
    case step::renotify: return "renotify";
  }
  return "";
}

const char* code_of(recipient r) {
  switch (r) {
    case recipient::holder: return "holder";
    case recipient::committee: return "committee";
    case recipient::centre: return "centre";
    case recipient::station: return "station";
    case recipient::hotline: return "hotline";
    case recipient::reporter: return "reporter";
  }
  return "";
}

const char* code_of(event_kind k) {
  switch (k) {
    case event_kind::accepted: return "accepted";
    case event_kind::classified: return "classified";
    case event_kind::routed: return "routed";
    case event_kind::clock_started: return "clock_started";
    case event_kind::clock_stopped: return "clock_stopped";
    case event_kind::clock_breached: return "clock_breached";
    case event_kind::clock_retired: return "clock_retired";
    case event_kind::acknowledged: return "acknowledged";
    case event_kind::contacted: return "contacted";
    case event_kind::arrived: return "arrived";
    case event_kind::completed: return "completed";
    case event_kind::reclassified: return "reclassified";
    case event_kind::handed_over: return "handed_over";
    case event_kind::assigned: return "assigned";
    case event_kind::warned: return "warned";
    case event_kind::renotified: return "renotified";
    case event_kind::linked: return "linked";
    case event_kind::unlinked: return "unlinked";
    case event_kind::reclassify_requested: return "reclassify_requested";
    case event_kind::reply_refused: return "reply_refused";
    case event_kind::rated: return "rated";
    case event_kind::reopened: return "reopened";
    case event_kind::supervised: return "supervised";
  }
  return "";
}

const char* code_of(role r) {
  switch (r) {
    case role::crew: return "crew";
    case role::manager: return "manager";
    case role::station: return "station";
    case role::supervisor: return "supervisor";
    case role::committee: return "committee";
  }
  return "";
}

std::optional<clock_kind> clock_from_code(std::string_view code) {
  for (auto k : {clock_kind::acknowledge, clock_kind::on_site, clock_kind::contact, clock_kind::completion,
                 clock_kind::first_contact, clock_kind::resolution, clock_kind::redo})
    if (code == code_of(k)) return k;
  return std::nullopt;
}

bool role_from_code(std::string_view code, role& out) {
  for (auto r : {role::crew, role::manager, role::station, role::supervisor, role::committee}) {
    if (code == code_of(r)) {
      out = r;
      return true;
    }
  }
  return false;
}

const char* hotline_status_of(action_kind k) {
  switch (k) {
    case action_kind::acknowledge: return "acknowledged";
    case action_kind::contact: return "contacted";
    case action_kind::arrive: return "on_site";
    case action_kind::complete: return "done";
    case action_kind::hand_over: return nullptr;
  }
  return nullptr;
}

}  // namespace halfhour::sla
