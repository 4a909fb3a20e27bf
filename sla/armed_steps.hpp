// Which steps of one work order's clocks are armed, and for which moment: the in-memory image
// of the store's deadline set. A step fires only while it is armed for the very moment it came
// due for, so a step moved, cancelled or already fired elsewhere does not fire (again).
#pragma once

#include <cstddef>
#include <map>
#include <tuple>
#include <vector>

#include "sla/machine.hpp"

namespace halfhour::sla {

class armed_steps {
 public:
  // A decision's moves, as the store makes them in one write: its cancels, then its arms (arming
  // a step already armed moves it). The step that fired is not taken out here: the decision on
  // it cancels or re-arms it, as it does in the store.
  void apply(const decision& d) { apply(d.cancel, d.arm); }
  void apply(const std::vector<deadline>& cancel, const std::vector<deadline>& arm);

  // Whether `due` (its clock, step and index) is armed for exactly `due.at`.
  bool armed_for(const deadline& due) const;

  // Every armed step with its moment, by clock, step and index.
  std::vector<deadline> all() const;
  bool empty() const { return at_.empty(); }
  std::size_t size() const { return at_.size(); }

 private:
  std::map<std::tuple<clock_kind, step, int>, instant> at_;
};

}  // namespace halfhour::sla
