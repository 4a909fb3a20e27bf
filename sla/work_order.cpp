#include "sla/work_order.hpp"

#include <algorithm>

namespace halfhour::sla {

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

}  // namespace halfhour::sla
