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

const rating_invite* work_order::invite_of(std::string_view reporter_key) const {
  auto it = std::find_if(invites.begin(), invites.end(),
                         [reporter_key](const rating_invite& i) { return i.reporter_key == reporter_key; });
  return it == invites.end() ? nullptr : &*it;
}

namespace {
bool is_final(clock_kind k) { return k == clock_kind::completion || k == clock_kind::resolution; }
}  // namespace

const working_calendar& limits::days() const {
  static const working_calendar monday_to_friday;
  return calendar ? *calendar : monday_to_friday;
}

const clock* racing_clock(const work_order& wo) {
  const clock* best = nullptr;
  for (const auto& c : wo.clocks) {
    if (!c.running() || is_final(c.kind)) continue;
    if (!best || c.deadline < best->deadline) best = &c;
  }
  if (best) return best;
  for (const auto& c : wo.clocks)
    if (c.running() && is_final(c.kind)) return &c;
  return nullptr;
}

const clock* promised_clock(const work_order& wo) {
  for (auto k : {clock_kind::on_site, clock_kind::contact, clock_kind::first_contact, clock_kind::completion,
                 clock_kind::resolution})
    if (const auto* c = wo.find(k); c && c->running()) return c;
  return nullptr;
}

}  // namespace halfhour::sla
