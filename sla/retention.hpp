// Retention: finished jobs leave the store for monthly archive files once older than the window
// kept at hand, so the store grows with the open work, not with the years. Which months go,
// which jobs may, and what one pass over a month writes and removes — decided here, from stamps
// alone, so a pass that died anywhere is finished by the next without losing or doubling a job.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sla/calendar.hpp"
#include "sla/work_order.hpp"

namespace halfhour::sla {

inline constexpr int default_retention_months = 13;  // last year's same month is still at hand

// The oldest month kept in the store at `now`: the present month and `months` whole months before.
month first_kept(instant now, int months);

// A job leaves only when nothing more can happen to it: done, with no clock still running.
bool archivable(const work_order& wo);

// One copy of a job as it stands: its version, and its journal's size, which grows without the
// version moving (the outbox's sender records what it did with each notice).
struct copy_stamp {
  std::string id;
  std::int64_t version = 0;
  std::size_t journal_size = 0;
  bool operator==(const copy_stamp&) const = default;
};

// A job of the month in the store.
struct live_copy {
  copy_stamp stamp;
  bool archivable = false;
};

struct month_plan {
  // Into a new part of the month's archive: finished jobs no part holds as they stand now.
  std::vector<std::string> write;
  // Out of the store once `write` is durable: every finished job whose copy as it stands is
  // archived (those just written and those a pass that died had written).
  std::vector<copy_stamp> remove;
  std::size_t kept = 0;  // not finished: stays in the store
};

// One pass over a month: `live`, its jobs in the store; `archived`, the copies its parts hold.
month_plan plan_month(const std::vector<live_copy>& live, const std::vector<copy_stamp>& archived);

// Of two copies of one job, whether `a` is the later (a job only ever moves forward).
bool later(const copy_stamp& a, const copy_stamp& b);

}  // namespace halfhour::sla
