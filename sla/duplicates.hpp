// One incident, one job: a new report that matches a job still open for the same community is
// linked to it (one holder, one set of clocks), its reporter recorded and answered. An operator
// can split a wrongly linked report off again.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sla/access.hpp"
#include "sla/machine.hpp"

namespace halfhour::sla {

// How long after a job was accepted a new report may still join it, unless configured otherwise
// (EngineConfig channels.link_window_seconds): long enough for the neighbours who see the same
// burst pipe or dead lift to call, short enough that a new fault in the same place is a new job.
inline constexpr duration default_link_window = std::chrono::hours{2};

struct duplicate_match {
  std::string id;
  std::string why;  // Chinese, for the history and the answer to the reporter
};

// The open job `in` (classified `cls`, resolved to `where`) repeats, if any. A job matches when
// it is still open, was accepted within `window` before `now`, is in the same community, not in
// a different building, and either has the same category or names the same flat while one of
// the two could not be categorised. An urgent report never joins a general job (its clock would
// be the general one); a report the resolver could not place joins nothing. Among several, the
// one naming the same flat, then the same building, then the oldest.
std::optional<duplicate_match> find_duplicate(const classification& cls, const resolution& where,
                                              const std::vector<work_order>& open, duration window, instant now);

// What the community's index of recent jobs keeps of each: enough to tell, before reading the
// job, whether a report could repeat it.
struct recent_job {
  std::string id;
  std::string category;
  urgency level = urgency::general;
  std::string building;
  std::string room;
  bool operator==(const recent_job&) const = default;
};

// False when the report can never repeat `j` whatever state the job is in now (the matching
// rules of find_duplicate on what the index keeps): the job need not be read. A job
// re-classified since it was accepted is judged by the category it was accepted with.
bool could_repeat(const classification& cls, const resolution& where, const recent_job& j);

// Links the report `in`, whose idempotency key is `key`, to the open job `wo`. Known key: a
// retry, a duplicate decision. A 12345 ticket is told at once that it joined the job, and how
// the job stands. The first `keep_whole` reports are kept whole (their text clipped to
// `linked_text_limit`); later ones are only counted (a 12345 ticket's number kept, for its
// progress), so a flood of posts cannot grow one job without limit.
inline constexpr std::size_t linked_text_limit = 1000;
decision link(const work_order& wo, const intake& in, const std::string& key, const std::string& why, instant now,
              std::size_t keep_whole = 50);

// Takes the report `key` off `wo` (refused if it is not linked there). The caller then opens
// its own job with split_off().
decision unlink(const work_order& wo, std::string_view key, const member& by, instant now);

// The job of a report split off `from`: accepted, classified and routed afresh, its clocks
// running from when the report first came in (a wrong link never buys the firm time).
decision split_off(const linked_request& req, const std::string& from, std::string id, classification cls,
                   resolution where, const member& by, const ladder& lad, const limits& lim, instant now);

// Whether the job with this history was split off the job `from` (its UNLINKED event says so).
bool split_from(const std::vector<event>& history, std::string_view from);

// The intake a linked report was, for classifying it again.
intake intake_of(const linked_request& req);

}  // namespace halfhour::sla
