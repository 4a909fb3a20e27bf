#include "sla/retention.hpp"

#include <algorithm>
#include <unordered_set>

namespace halfhour::sla {

month first_kept(instant now, int months) {
  auto m = month::containing(now);
  for (int i = 0; i < std::max(months, 0); ++i) m = m.previous();
  return m;
}

bool archivable(const work_order& wo) {
  return wo.state == wo_state::done &&
         std::none_of(wo.clocks.begin(), wo.clocks.end(), [](const clock& c) { return c.running(); });
}

month_plan plan_month(const std::vector<live_copy>& live, const std::vector<copy_stamp>& archived) {
  // A copy is archived when a part holds exactly it; a part holding an older one (the job moved
  // on after a pass that died before removing it) does not count, and the newer one is written.
  struct stamp_hash {
    std::size_t operator()(const copy_stamp& s) const {
      return std::hash<std::string>()(s.id) ^ (std::hash<std::int64_t>()(s.version) * 31) ^ s.journal_size;
    }
  };
  const std::unordered_set<copy_stamp, stamp_hash> held(archived.begin(), archived.end());
  month_plan plan;
  for (const auto& c : live) {
    if (!c.archivable) {
      ++plan.kept;
      continue;
    }
    if (!held.contains(c.stamp)) plan.write.push_back(c.stamp.id);
    plan.remove.push_back(c.stamp);
  }
  return plan;
}

bool later(const copy_stamp& a, const copy_stamp& b) {
  if (a.version != b.version) return a.version > b.version;
  return a.journal_size > b.journal_size;
}

}  // namespace halfhour::sla
