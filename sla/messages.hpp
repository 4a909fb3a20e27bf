// Every sentence the state machine writes for people, in Chinese: notes in a job's history,
// messages to the parties on the ladder and to 12345, and refusals. One home, so the wording
// can be read, reviewed and changed in one place, and the transitions read as logic.
#pragma once

#include <string>
#include <string_view>

#include "sla/access.hpp"
#include "sla/work_order.hpp"

namespace halfhour::sla {

struct intake;

namespace messages {

// Refusals: why an action no longer applies. They name nobody: a crew sees the job, not who
// holds it.
inline constexpr std::string_view job_done = "工单已完工";
inline constexpr std::string_view taken_by_another = "工单已被他人接单";
inline constexpr std::string_view held_by_colleague = "工单已由其他维修人员负责";
inline constexpr std::string_view already_on_site = "已有人到场";
inline constexpr std::string_view already_at_station = "工单已在应急维修服务站";
inline constexpr std::string_view reroute_needs_firm = "须指定一个有物业的小区";
inline constexpr std::string_view done_no_reclassify = "工单已完工，不能改判";
inline constexpr std::string_view not_linked_here = "该报修未并入本工单";
std::string crew_not_of(std::string_view holder);  // assigning another organisation's crew

// Why a clock stopped although its own event did not happen: a later step implies it.
inline constexpr std::string_view contact_implies_ack = "已联系报修人即视为接单";
inline constexpr std::string_view arrival_implies_ack = "到场即视为接单";
inline constexpr std::string_view arrival_implies_contact = "到场即视为已联系";
inline constexpr std::string_view ends_with_completion = "随完工一并结束";
inline constexpr std::string_view assignment_implies_ack = "派单即视为接单";

// Tails of a clock-started note.
inline constexpr std::string_view from_acceptance = "，自受理时起算";
// Appended to a step's note when quiet hours held its messages back.
inline constexpr std::string_view held_for_quiet_hours = "（夜间免打扰，未发送通知）";

// A length as people say it: "2小时", "30分钟", "90秒".
std::string duration_text(duration d);
// A clock's length as people say it: "30分钟", or "1个工作日" for a clock counted in working days.
std::string limit_text(const clock& c);

// The job in a message: "工单W01-000001（急修·水管爆裂水漫，丹桂苑3号502室）".
std::string subject(const work_order& wo);

// An urgency with its category: "急修（水管爆裂水漫）".
std::string call_text(const classification& c);

// Acceptance.
std::string accepted_note(const std::string& external_no);
std::string classified_note(const classification& c);
std::string dispatch_text(const work_order& wo, duration ack_limit);
// A complaint to its firm: first contact and resolution, each by a day and time.
std::string complaint_dispatch_text(const work_order& wo, const clock& first_contact, const clock& resolution);

// Clocks: started ("到场时限30分钟" and a tail), stopped on time or late (with why, when a
// later step stopped it), warned, breached, still breached, retired and resumed.
std::string clock_started_note(const clock& c, std::string_view tail);
std::string clock_stopped_note(clock_kind k, instant deadline, instant now, std::string_view why);
std::string warned_note(clock_kind k, duration left);
std::string warning_text(const work_order& wo, clock_kind k, duration left);
std::string breached_note(const clock& c);
std::string breach_text(const work_order& wo, const clock& c, const std::string& holder);
std::string breach_station_text(const std::string& breach);
std::string breach_hotline_text(const std::string& breach, const std::string& ticket);
std::string renotified_note(clock_kind k, duration late);
std::string renotify_text(const work_order& wo, clock_kind k, duration late, const std::string& holder);
std::string retired_note(clock_kind k, bool breached);
std::string resumed_note(clock_kind k);
std::string completion_moved_note(duration limit);

// An urgent job no one acknowledged in time goes to the station; the firm keeps the breach.
std::string fallback_note(const std::string& firm, duration ack_limit, const std::string& station);
std::string fallback_text(const work_order& wo, const std::string& note);

// Crew and operator actions.
std::string handed_over_note(std::string_view station, const std::string& why);
std::string assigned_note(const std::string& crew);
std::string rerouted_note(const resolution& where);

// What 12345 is told of a crew's progress on its ticket, or on a ticket linked to the job:
// "12345工单X：已签收（临客嘉物业，王师傅）". Only for an action with a hotline status
// (hotline_status_of).
std::string hotline_progress_text(action_kind k, const std::string& ticket, const std::string& holder,
                                  const std::string& actor);
std::string hotline_linked_progress_text(action_kind k, const std::string& ticket, const std::string& job_id,
                                         const std::string& holder, const std::string& actor);

// Re-classification, asked for by a crew on site or made by an operator.
std::string reclassify_requested_note(const classification& from, const classification& to, const std::string& reason);
std::string reclassify_request_text(const work_order& wo, const member& by, const std::string& note);
std::string reclassified_note(const classification& from, const classification& to, const std::string& reason);
std::string reclassified_text(const work_order& wo, const member& by, const std::string& note);

// One incident, several reports: why they match, the link and the split in the history, and
// what 12345 hears of a ticket that joined a job.
std::string same_incident_why(const resolution& where, const work_order& job, bool same_category);
std::string linked_note(const intake& in, const std::string& why);
std::string linked_hotline_text(const std::string& ticket, const work_order& job);
std::string unlinked_note(const linked_request& req);
std::string split_prefix(std::string_view from);  // split_from() looks for it
std::string split_note(std::string_view from);

// Call-backs (回访): the answer as the history keeps it ("回访：不满意（12-05 10:00，12345）"),
// and the re-do and the centre's case it may bring.
std::string rated_note(rating r, instant called_at, const std::string& by, const std::string& note, bool counts);
std::string reopened_note(const clock& redo);
std::string reopen_text(const work_order& wo, const clock& redo);
inline constexpr std::string_view supervised_note = "重办后回访仍不满意，转建管中心督办";
std::string supervise_text(const work_order& wo);
inline constexpr std::string_view not_done_yet = "工单尚未完工，还不能回访";
// 完工, to a reporter's phone; the sender adds the link to rate it.
std::string rate_invite_text(const work_order& wo);
inline constexpr std::string_view link_unknown = "评价链接无效";
inline constexpr std::string_view link_rated = "您已评价过本次维修";
inline constexpr std::string_view link_expired = "评价链接已过期";

}  // namespace messages

}  // namespace halfhour::sla
