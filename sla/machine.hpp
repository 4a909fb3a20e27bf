// The work order's state machine: pure functions of (work order, event, now) that return the
// new work order, the events for its history, and the deadlines to arm or cancel. The caller
// makes the decision durable in one atomic step; nothing here reads a clock or does I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sla/access.hpp"
#include "sla/work_order.hpp"

namespace halfhour::sla {

// One armed step of one clock. `index` tells several warnings apart.
struct deadline {
  clock_kind kind = clock_kind::acknowledge;
  instant at{};
  step s = step::due;
  int index = 0;
  bool operator==(const deadline&) const = default;
};

struct decision {
  work_order next;
  std::vector<event> events;
  std::vector<deadline> arm;         // add or move
  std::vector<deadline> cancel;      // remove (kind, step and index name it; `at` is unused)
  std::vector<notification> notify;  // to the outbox, atomically with the events
  std::string refused;               // non-empty: the action does not apply (Chinese, says why)
  bool duplicate = false;            // a retry of an action already applied: nothing to write

  bool ok() const { return refused.empty(); }
  bool changed() const { return !events.empty(); }
};

struct intake {
  channel source = channel::hotline_12345;
  std::string external_no;
  reporter who;
  std::string content;
  std::string address;
  std::optional<instant> reported_at;
  std::vector<std::string> photos;
  std::optional<position> reported_position;
};

// A new ticket: clocks start at `now`, the moment the engine accepts it; the holder is told,
// and the response clock's warnings are armed.
decision accept(const intake& in, std::string id, classification cls, resolution where, const ladder& lad,
                const limits& lim, instant now);
decision accept(const intake& in, std::string id, classification cls, resolution where, std::string_view station,
                const limits& lim, instant now);

// A step came due. Stale (the clock moved or stopped) gives an empty decision. The deadline
// itself marks the clock breached, with how late the engine noticed, tells the centre, the
// committee and the hotline, and arms the first reminder; an unacknowledged urgent job moves
// to the station. A warning or a reminder tells who the ladder says while the clock runs.
decision on_deadline(const work_order& wo, const deadline& due, instant now, bool on_recovery, const ladder& lad);
decision on_deadline(const work_order& wo, clock_kind kind, instant due, instant now, bool on_recovery);

enum class action_kind { acknowledge, contact, arrive, complete, hand_over };

struct action {
  action_kind kind = action_kind::acknowledge;
  std::string actor;
  std::string actor_id;
  std::string organisation;
  role actor_role = role::crew;
  std::string note;
  std::string request_id;  // client-chosen; the same id again is a retry
  std::string method;
  std::optional<instant> device_time;
  std::optional<position> where;
};

// How many request ids a work order remembers for retries.
inline constexpr std::size_t remembered_requests = 16;

// A crew or operator action. Later steps imply earlier ones: arriving on site stops the
// acknowledge and contact clocks too, completing stops every clock still running. A retry
// (a known request id, or the same crew acknowledging or arriving again) is a duplicate, not
// a refusal; an action someone else already took is refused.
decision apply(const work_order& wo, const action& act, std::string_view station, instant now);

// A firm's manager (or the station) gives the job to one of its crews. Counts as the holder
// acknowledging it; the crew must belong to the holder.
decision assign(const work_order& wo, const member& by, const member& to, instant now);

// The station settles an ambiguous or unknown address: the job goes to the community's firm,
// which becomes the holder of any breach. The clocks run on from acceptance, untouched.
decision reroute(const work_order& wo, resolution where, const member& by, instant now);

// An operator's correction of urgent/general or the category, with why. Never restarts a
// clock: a clock the new urgency needs runs from the original acceptance time (and may already
// be breached); a clock it no longer needs is retired, and a breach already recorded on it stays
// on record. The holder is told; 12345 hears nothing new. A done job is refused; a known
// request id is a duplicate. The call becomes a person's: certain (confidence 1), no longer
// uncertain, with the class of the category (kept when only the urgency changes).
struct reclassification {
  classification cls;  // the new call, as the operator chose it (category through take_category)
  std::string reason;
  std::string request_id;
};
decision reclassify(const work_order& wo, reclassification r, const member& by, const limits& lim, instant now);

// A call-back's answer (回访), from the 12345 hotline, the centre by hand or the reporter's own page.
// 完工 asks every reporter with a mobile number (the job's own and its linked reports', each
// phone once) by SMS, with a link of their own (work_order::invites).
struct callback {
  rating outcome = rating::unreached;
  instant called_at{};
  std::string by;  // who asked: "12345", the centre's member, "报修人"
  std::string note;
  std::string request_id;
};

// After 完工 the first settled answer (anything but 未接通) counts; later ones are recorded. 不满意
// sends the job back to its firm to be done again (REOPENED, a re-do clock of limits.redo_days
// working days, the firm, the committee and 12345 told); 不满意 again after the re-do is the
// centre's case (督办), with no third clock. A job never done is refused; a known request id is
// a duplicate.
decision rate(const work_order& wo, const callback& cb, const ladder& lad, const limits& lim, instant now);

// What a reporter's link to rate may do now: nothing (no invite for that reporter: one for an
// older completion, or a report split off since), rate, nothing more (its answer given), or
// nothing any longer (past limits.rating_link).
enum class link_state { unknown, open, rated, expired };
link_state rating_link_state(const work_order& wo, std::string_view reporter_key, const limits& lim, instant now);

// The reporter's own answer through their link: one per invite, within its time; then as
// rate() (the first settled answer since 完工 counts, 不满意 reopens). A link that is not open
// is refused with messages::link_unknown, link_rated or link_expired, which say why; a known
// request id is a duplicate.
decision rate_by_link(const work_order& wo, std::string_view reporter_key, const callback& cb, const ladder& lad,
                      const limits& lim, instant now);

// A crew on site asks for another call: recorded, the station told, nothing else changes.
decision request_reclassify(const work_order& wo, reclassification r, const member& by, std::string_view station,
                            instant now);

}  // namespace halfhour::sla
