#include "sla/messages.hpp"

#include "sla/calendar.hpp"
#include "sla/machine.hpp"
#include "sla/text.hpp"

namespace halfhour::sla::messages {

namespace {

// The door a report came through, with its own number when it has one: "12345热线（A123）".
std::string source_text(channel c, const std::string& external_no) {
  return std::string(name_of(c)) + (external_no.empty() ? "" : "（" + external_no + "）");
}

// Who answered the hotline's ticket: "（临客嘉物业，王师傅）".
std::string by_text(const std::string& holder, const std::string& actor) {
  return "（" + holder + (actor.empty() ? "" : "，" + actor) + "）";
}

const char* hotline_words(action_kind k) {
  switch (k) {
    case action_kind::acknowledge: return "已签收";
    case action_kind::contact: return "已先行联系报修人";
    case action_kind::arrive: return "维修人员已到场";
    case action_kind::complete: return "已办结";
    case action_kind::hand_over: return "";
  }
  return "";
}

}  // namespace

std::string crew_not_of(std::string_view holder) { return "该维修人员不属于" + std::string(holder); }

std::string duration_text(duration d) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s >= 3600 && s % 3600 == 0) return std::to_string(s / 3600) + "小时";
  if (s % 60 == 0) return std::to_string(s / 60) + "分钟";
  return std::to_string(s) + "秒";
}

std::string limit_text(const clock& c) {
  return c.working_days > 0 ? std::to_string(c.working_days) + "个工作日" : duration_text(c.limit);
}

std::string subject(const work_order& wo) {
  std::string place = wo.where.community_name.empty() ? wo.address : wo.where.community_name;
  if (!wo.where.building.empty()) place += wo.where.building + "号";
  if (!wo.where.room.empty()) place += wo.where.room + "室";
  return "工单" + wo.id + "（" + name_of(wo.cls) + "·" + wo.cls.category_name + (place.empty() ? "" : "，" + place) +
         "）";
}

std::string call_text(const classification& c) { return std::string(name_of(c)) + "（" + c.category_name + "）"; }

std::string accepted_note(const std::string& external_no) {
  return external_no.empty() ? "受理" : "受理，来源单号" + external_no;
}

std::string classified_note(const classification& c) { return std::string(name_of(c)) + "：" + c.category_name; }

std::string dispatch_text(const work_order& wo, duration ack_limit) {
  return "【新工单】" + subject(wo) + "，请在" + duration_text(ack_limit) + "内接单";
}

std::string complaint_dispatch_text(const work_order& wo, const clock& first_contact, const clock& resolution) {
  return "【物业投诉】" + subject(wo) + "，请在" + limit_text(first_contact) + "内（" +
         shanghai_minute(first_contact.deadline) + "前）先行联系投诉人，" + limit_text(resolution) + "内（" +
         shanghai_minute(resolution.deadline) + "前）办结";
}

std::string clock_started_note(const clock& c, std::string_view tail) {
  std::string note = std::string(name_of(c.kind)) + "时限" + limit_text(c);
  if (c.working_days > 0) note += "（至" + shanghai_minute(c.deadline) + "）";
  return note + std::string(tail);
}

std::string clock_stopped_note(clock_kind k, instant deadline, instant now, std::string_view why) {
  std::string note = std::string(name_of(k)) + (now <= deadline ? "按时完成" : "超时完成");
  if (now > deadline) note += "，晚" + duration_text(now - deadline);
  if (!why.empty()) note += "（" + std::string(why) + "）";
  return note;
}

std::string warned_note(clock_kind k, duration left) {
  return std::string(name_of(k)) + "时限还剩" + duration_text(left);
}

std::string warning_text(const work_order& wo, clock_kind k, duration left) {
  return "【预警】" + subject(wo) + warned_note(k, left) + "，责任单位：" + wo.holder;
}

std::string breached_note(const clock& c) { return std::string(name_of(c.kind)) + "超时（时限" + limit_text(c) + "）"; }

std::string breach_text(const work_order& wo, const clock& c, const std::string& holder) {
  return "【超时】" + subject(wo) + breached_note(c) + "，责任单位：" + holder;
}

std::string breach_station_text(const std::string& breach) { return breach + "，请应急维修服务站关注"; }

std::string breach_hotline_text(const std::string& breach, const std::string& ticket) {
  return breach + "，12345工单号" + ticket;
}

std::string renotified_note(clock_kind k, duration late) {
  return std::string(name_of(k)) + "已超时" + duration_text(late) + "，仍未完成";
}

std::string renotify_text(const work_order& wo, clock_kind k, duration late, const std::string& holder) {
  return "【持续超时】" + subject(wo) + name_of(k) + "已超时" + duration_text(late) + "仍未完成，责任单位：" + holder;
}

std::string retired_note(clock_kind k, bool breached) {
  return std::string(name_of(k)) + "时限不再适用" + (breached ? "，已记录的超时保留" : "");
}

std::string resumed_note(clock_kind k) { return std::string(name_of(k)) + "时限恢复，自受理时起算"; }

std::string completion_moved_note(duration limit) {
  return "完工时限改为" + duration_text(limit) + std::string(from_acceptance);
}

std::string fallback_note(const std::string& firm, duration ack_limit, const std::string& station) {
  return firm + duration_text(ack_limit) + "内未接单，急修工单转" + station + "（超时仍记在" + firm + "）";
}

std::string fallback_text(const work_order& wo, const std::string& note) { return "【转应急站】" + subject(wo) + note; }

std::string handed_over_note(std::string_view station, const std::string& why) {
  return "转" + std::string(station) + (why.empty() ? "" : "：" + why);
}

std::string assigned_note(const std::string& crew) { return "派给" + crew; }

std::string rerouted_note(const resolution& where) {
  return "应急站分拣：" + where.community_name + "，由" + where.firm + "负责（时限不重新计算）";
}

std::string hotline_progress_text(action_kind k, const std::string& ticket, const std::string& holder,
                                  const std::string& actor) {
  return "12345工单" + ticket + "：" + hotline_words(k) + by_text(holder, actor);
}

std::string hotline_linked_progress_text(action_kind k, const std::string& ticket, const std::string& job_id,
                                         const std::string& holder, const std::string& actor) {
  return "12345工单" + ticket + "（与工单" + job_id + "为同一事件）：" + hotline_words(k) + by_text(holder, actor);
}

std::string reclassify_requested_note(const classification& from, const classification& to, const std::string& reason) {
  return "现场申请由" + call_text(from) + "改为" + call_text(to) + "：" + reason;
}

std::string reclassify_request_text(const work_order& wo, const member& by, const std::string& note) {
  return subject(wo) + "：" + by.organisation + by.name + note + "，请应急维修服务站确认后改判";
}

std::string reclassified_note(const classification& from, const classification& to, const std::string& reason) {
  return call_text(from) + "改为" + call_text(to) + (reason.empty() ? "" : "：" + reason);
}

std::string reclassified_text(const work_order& wo, const member& by, const std::string& note) {
  return subject(wo) + "由" + by.organisation + by.name + note + "。时限自受理时起算，不重新计时。";
}

std::string same_incident_why(const resolution& where, const work_order& job, bool same_category) {
  if (!same_category) return "同一户（" + where.community_name + where.building + "号" + where.room + "室）";
  std::string why = "同一小区（" + where.community_name + "）、同一类别（" + job.cls.category_name + "）";
  if (!where.building.empty() && !job.where.building.empty()) why += "、同一楼栋（" + where.building + "号）";
  return why;
}

std::string linked_note(const intake& in, const std::string& why) {
  std::string note = source_text(in.source, in.external_no) + "再次反映同一事件，已并入本工单：" + why;
  if (in.who.name.empty() && in.who.phone.empty()) return note;
  note += "；报修人" + in.who.name;
  if (!in.who.phone.empty()) note += ' ' + mask_phone(in.who.phone);  // masked: the history is widely read
  return note;
}

std::string linked_hotline_text(const std::string& ticket, const work_order& job) {
  return "12345工单" + ticket + "：与工单" + job.id + "为同一事件，已合并处理。当前状态：" + name_of(job.state) + "（" +
         job.holder + "）";
}

std::string unlinked_note(const linked_request& req) {
  return source_text(req.source, req.external_no) + "的报修与本工单不是同一事件，已拆出单独立单";
}

std::string split_prefix(std::string_view from) { return "从工单" + std::string(from) + "拆出"; }

std::string split_note(std::string_view from) { return split_prefix(from) + "；各时限自该报修受理时起算"; }

std::string rated_note(rating r, instant called_at, const std::string& by, const std::string& note, bool counts) {
  std::string out =
      "回访：" + std::string(name_of(r)) + "（" + shanghai_minute(called_at) + (by.empty() ? "" : "，" + by) + "）";
  if (!note.empty()) out += "；" + note;
  if (!counts && r != rating::unreached) out += "（已有回访结果，本次仅记录）";
  return out;
}

std::string reopened_note(const clock& redo) {
  return "回访不满意，重办：" + limit_text(redo) + "内（" + shanghai_minute(redo.deadline) + "前）办结";
}

std::string reopen_text(const work_order& wo, const clock& redo) {
  std::string text = "【重办】" + subject(wo) + "回访不满意，请在" + limit_text(redo) + "内（" +
                     shanghai_minute(redo.deadline) + "前）重新处理";
  if (wo.source == channel::hotline_12345 && !wo.external_no.empty()) text += "，12345工单号" + wo.external_no;
  return text;
}

std::string rate_invite_text(const work_order& wo) {
  std::string place = wo.where.community_name;
  if (!place.empty() && !wo.where.building.empty()) place += wo.where.building + "号";
  const char* verb = wo.cls.kind == request_kind::complaint ? "反映的" : "报修的";
  return "您" + (place.empty() ? std::string() : "在" + place) + verb + wo.cls.category_name + "（工单" + wo.id +
         "）已完工。";
}

std::string supervise_text(const work_order& wo) {
  std::string text = "【督办】" + subject(wo) + "重办后回访仍不满意，责任单位：" +
                     (wo.responsible_firm.empty() ? wo.holder : wo.responsible_firm);
  if (wo.source == channel::hotline_12345 && !wo.external_no.empty()) text += "，12345工单号" + wo.external_no;
  return text;
}

}  // namespace halfhour::sla::messages
