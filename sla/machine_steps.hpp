// The steps every transition of the state machine is built from: starting, stopping and
// retiring clocks with their ladder steps armed or cancelled, telling a party, moving the state
// forward, remembering request ids. Internal to sla/machine*.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sla/machine.hpp"

namespace halfhour::sla::detail {

// The limits and clocks an urgency brings: urgent races to be on site, general to contact the
// reporter; both must be acknowledged and completed, urgent sooner.
duration response_limit(urgency u, const limits& lim);
clock_kind response_clock(urgency u);
duration ack_limit(urgency u, const limits& lim);
duration completion_limit(urgency u, const limits& lim);
bool is_response(clock_kind k);

// An event about clock `c`, naming it and its deadline.
event clock_event(event_kind kind, const clock& c, instant at, std::string note);

// Starts a clock of `limit` from `started` and arms its deadline; a response clock also gets
// the ladder's warnings that are still ahead of `now` (none without a ladder).
void start_clock(decision& d, clock_kind kind, instant started, duration limit, instant now, std::string_view tail,
                 const ladder* lad = nullptr);

// A clock counted in working days on the limits' calendar: due at the end of the `days`-th
// working day after `started`'s day. No warnings: its breach is told, once.
void start_days_clock(decision& d, clock_kind kind, instant started, int days, const limits& lim, instant now,
                      std::string_view tail);

// The clocks a call owes: a repair's acknowledge, response and completion clocks; a complaint's
// first contact and resolution.
std::vector<clock_kind> clocks_for(const classification& cls);
// Starts one of them, or all, from `started` (a re-classification passes acceptance); the
// ladder warns ahead of a repair's response clock.
void start_owed_clock(decision& d, clock_kind k, const classification& cls, instant started, const limits& lim,
                      instant now, std::string_view tail, const ladder* lad);
void start_clocks(decision& d, const classification& cls, instant started, const limits& lim, instant now,
                  std::string_view tail, const ladder* lad);

// Cancels every step still armed for a clock: its deadline (unless it fired), its warnings,
// its reminder.
void cancel_steps(decision& d, const clock& c);

// Stops a running clock and records whether it was met; `why` says which later step stopped it.
void stop_clock(decision& d, clock_kind kind, instant now, std::string_view why);

// One message to one party for one step; an empty organisation (no committee known) means
// nobody is told. The key names job, step and recipient, so a receiver can drop a repeat.
void tell(decision& d, recipient to, const std::string& organisation, std::string kind, const deadline& due,
          std::string text);

// 完工: the reporters asked to rate the job (sla::rate_by_link), replacing the invites of an
// earlier completion.
void invite_ratings(decision& d, const work_order& wo, instant now);

bool before(wo_state a, wo_state b);
// Moves the job on to `to`; never backwards, except out of the not-yet-taken states.
void advance(work_order& wo, wo_state to);

// Request ids: a known one makes the action a retry; the last `remembered_requests` are kept.
bool known_request(const work_order& wo, const std::string& request_id);
void remember_request(work_order& wo, const std::string& request_id);

}  // namespace halfhour::sla::detail
