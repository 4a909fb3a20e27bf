#include "sla/armed_steps.hpp"

namespace halfhour::sla {

void armed_steps::apply(const std::vector<deadline>& cancel, const std::vector<deadline>& arm) {
  for (const auto& c : cancel) at_.erase({c.kind, c.s, c.index});
  for (const auto& a : arm) at_[{a.kind, a.s, a.index}] = a.at;
}

bool armed_steps::armed_for(const deadline& due) const {
  auto it = at_.find({due.kind, due.s, due.index});
  return it != at_.end() && it->second == due.at;
}

std::vector<deadline> armed_steps::all() const {
  std::vector<deadline> out;
  out.reserve(at_.size());
  for (const auto& [key, at] : at_) out.push_back({std::get<0>(key), at, std::get<1>(key), std::get<2>(key)});
  return out;
}

}  // namespace halfhour::sla
