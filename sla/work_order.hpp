// The work order as the domain sees it: who reported what, where, how urgent, who holds it,
// and its clocks. Its history is the list of events the state machine emitted.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sla/classifier.hpp"
#include "sla/names.hpp"
#include "sla/resolver.hpp"
#include "sla/time.hpp"
#include "sla/workdays.hpp"

namespace halfhour::sla {

enum class channel { hotline_12345, community_cloud, wechat, walk_in, suggestion_box, open311 };

// reopened: done once, rated 不满意 by the reporter, and back with its firm to be done again (重办);
// like dispatched, not yet taken. Last, so that the schema's numbers stay what they were.
enum class wo_state { dispatched, triage, acknowledged, contacted, on_site, done, reopened };

// The first four are the repair clocks of minutes and hours; a complaint (物业投诉) runs on two
// clocks counted in working days instead: first contact (先行联系) and resolution (办结).
// A re-do (重办) after a dissatisfied call-back runs on its own clock of working days.
enum class clock_kind { acknowledge, on_site, contact, completion, first_contact, resolution, redo };
inline constexpr std::size_t clock_kind_count = 7;  // for tables indexed by clock_kind
static_assert(static_cast<std::size_t>(clock_kind::redo) + 1 == clock_kind_count, "a clock kind without room");

// What the reporter said when asked after 完工 (回访): the hotline's four answers.
enum class rating { satisfied, basically_satisfied, dissatisfied, unreached };

// Each clock has steps on the escalation ladder: the warnings before its deadline, the
// deadline itself, and the reminders after a breach until the clock stops.
enum class step { due, warn, renotify };

enum class event_kind {
  accepted,
  classified,
  routed,
  clock_started,
  clock_stopped,
  clock_breached,
  clock_retired,
  acknowledged,
  contacted,
  arrived,
  completed,
  reclassified,
  handed_over,
  assigned,
  warned,                // a pre-breach warning went out
  renotified,            // a breach is still open: told again
  linked,                // another report of the same incident joined this job
  unlinked,              // an operator split a linked report off into a job of its own
  reclassify_requested,  // a crew on site asked for another urgency or category
  reply_refused,         // a reply by SMS not carried out (another firm's job, taken, done): who, what, why
  rated,                 // a call-back's answer (回访), the first settled one counting
  reopened,              // rated 不满意: back to its firm to be done again (重办)
  supervised,            // 不满意 again after the re-do: the centre's case (督办), no third clock
};

struct clock {
  clock_kind kind = clock_kind::acknowledge;
  instant started{};
  instant deadline{};
  std::optional<instant> stopped;
  std::optional<instant> breached;
  duration limit{};      // deadline - started, even for a clock counted in working days
  int working_days = 0;  // > 0: counted in working days, its length as people say it
  bool retired = false;
  int warnings = 0;  // pre-breach warnings armed for it, so stopping it can cancel them

  bool running() const { return !stopped && !retired; }
  bool operator==(const clock&) const = default;
};

struct position {
  double latitude = 0;
  double longitude = 0;
  double accuracy_m = 0;
  bool operator==(const position&) const = default;
};

struct reporter {
  std::string name;
  std::string phone;
  bool operator==(const reporter&) const = default;
};

// Another report of the same incident, joined to the job that was already open instead of
// opening a second job with a second set of clocks. Kept whole, so an operator can split it
// off again with nothing lost.
struct linked_request {
  std::string key;  // its idempotency key, e.g. "wechat:<message id>"
  channel source = channel::hotline_12345;
  std::string external_no;
  reporter who;
  std::string content;
  std::string address;
  std::vector<std::string> photos;
  instant at{};     // when the engine accepted it
  std::string why;  // why it was judged the same incident (Chinese)
  bool operator==(const linked_request&) const = default;
};

// A reporter's invitation to rate the job on their own page (回访), sent with the completion SMS.
// The link is the engine's to sign; this is what it may still do: one answer for the completion
// it asks about, within limits.rating_link of `issued`.
struct rating_invite {
  std::string reporter_key;  // "": the job's own reporter; else the linked report's key
  int round = 0;             // the completion it asks about: redo_rounds at 完工
  instant issued{};
  std::optional<rating> given;
  instant given_at{};
  std::string comment;
  bool operator==(const rating_invite&) const = default;
};

struct work_order {
  std::string id;
  // What a crew types in an SMS reply (4 to 6 digits): given by the store when the job is
  // created, unique among open jobs, free again once the job is done.
  std::string short_code;
  std::int64_t version = 0;
  channel source = channel::hotline_12345;
  std::string external_no;
  // The idempotency key of the report that opened the job, so retention can drop it with the job
  // (a walk-in's key names the committee that entered it, which nothing else here keeps).
  std::string key;
  reporter who;
  std::string content;
  std::string address;
  std::optional<instant> reported_at;
  instant accepted_at{};
  classification cls;
  resolution where;
  wo_state state = wo_state::dispatched;
  std::string holder;
  std::string responsible_firm;
  std::string assignee;
  std::vector<clock> clocks;
  // Request ids of the latest actions, so a retried button press is answered, not repeated.
  std::vector<std::string> recent_requests;
  std::vector<std::string> photos;            // URLs the reporter sent
  std::optional<position> reported_position;  // where the reporter said it is (Open311 lat/long)
  std::vector<linked_request> linked;
  // Reports of the incident beyond those kept whole (a flood of posts must not grow one job
  // without limit): counted, and for 12345 tickets their numbers, which are owed progress.
  std::size_t linked_more = 0;
  std::vector<std::string> linked_more_tickets;
  // Call-backs: the rating that counts for the present round (the first settled one since 完工),
  // how many times the job was sent back to be done again, and whether the centre took it up.
  std::optional<rating> settled;
  int redo_rounds = 0;
  bool supervised = false;
  // The reporters asked at the latest 完工, each with their own link.
  std::vector<rating_invite> invites;

  std::size_t linked_count() const { return linked.size() + linked_more; }
  const rating_invite* invite_of(std::string_view reporter_key) const;
  const clock* find(clock_kind k) const;
  clock* find(clock_kind k);
  bool operator==(const work_order&) const = default;
};

struct event {
  event_kind kind = event_kind::accepted;
  instant at{};
  std::string actor;     // display name
  std::string actor_id;  // member id (the crew's login phone)
  std::string organisation;
  std::optional<clock_kind> clock;
  std::optional<instant> deadline;
  long long late_ms = 0;
  bool on_recovery = false;
  std::string note;
  std::string method;                  // contact: how ("电话", "上门", …)
  std::optional<instant> device_time;  // what the phone said the time was
  std::optional<position> where;       // on-site check-in position, when the phone gave one
  std::optional<rating> outcome;       // rated: the answer
  bool operator==(const event&) const = default;
};

// The limits of every clock; defaults are the sub-district's rule (README, "Clock rules").
struct limits {
  duration on_site = std::chrono::minutes{30};
  duration contact = std::chrono::minutes{30};
  duration ack_urgent = std::chrono::minutes{10};
  duration ack_general = std::chrono::minutes{15};
  duration completion_urgent = std::chrono::hours{24};
  duration completion_general = std::chrono::hours{72};
  // A complaint's clocks, in working days (12345 practice: first contact within 1, closed
  // within 5), counted on `calendar` (none: Monday to Friday).
  int first_contact_days = 1;
  int resolution_days = 5;
  int redo_days = 3;                            // a re-do after 不满意 (重办)
  duration rating_link = std::chrono::days{7};  // how long a reporter's link to rate stays open
  std::shared_ptr<const working_calendar> calendar;

  const working_calendar& days() const;
};

// The clock a crew is racing on this job: the earliest-due running clock other than completion
// (resolution, for a complaint), else that one; nothing once every clock has stopped.
const clock* racing_clock(const work_order& wo);

// The clock promised to the reporter: on site (urgent) or contacted (general, or first contact
// for a complaint) while it runs, then completion (resolution) while that runs; nothing once the
// job is done.
const clock* promised_clock(const work_order& wo);

// The escalation ladder (README, "Escalation"): warnings at fractions of a response clock's limit,
// reminders every `renotify` after a breach, and what an unacknowledged urgent job does.
struct ladder {
  std::vector<double> warn_at{2.0 / 3.0};
  duration renotify = std::chrono::minutes{15};
  bool urgent_fallback = true;  // not acknowledged in time: the station takes urgent jobs
  // Quiet hours (Asia/Shanghai, from <= hour < to, wrapping midnight): a general job's warnings
  // and reminders are recorded but not sent. Breaches are always sent; urgent jobs never wait.
  int quiet_from = -1;
  int quiet_to = -1;
  std::string station;  // display names of the parties told
  std::string centre;
};

// reporter: an SMS to one reporter's phone (the notification's ref), from the sms gateway only.
enum class recipient { holder, committee, centre, station, hotline, reporter };

// A message the engine owes someone, written to the outbox in the same step as its event.
// `key` names the step and the recipient, so a receiver can drop a repeat.
struct notification {
  recipient to = recipient::holder;
  std::string organisation;
  std::string kind;  // "dispatch", "warn", "breach", "renotify", "fallback"
  std::string key;
  std::string text;
  std::string ref;  // the channel's own number (12345 ticket_no) for a hotline status
  bool operator==(const notification&) const = default;
};

}  // namespace halfhour::sla
