// `halfhour simulate`: a realistic month of repair requests on a simulated clock, through the
// same domain code the engine runs (classifier, resolver, state machine, duplicate linking),
// so the monthly report can be shown and tested without waiting a month.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "sla/calendar.hpp"
#include "sla/classifier.hpp"
#include "sla/report.hpp"
#include "sla/resolver.hpp"
#include "sla/work_order.hpp"

namespace halfhour {

struct simulation {
  sla::month m;
  std::uint64_t seed = 1;
  double per_day = 40;  // requests on an ordinary day; a cold snap mid-month triples burst pipes
  int slow_firms = 2;   // firms whose crews are markedly slower (drawn by the seed)
  sla::limits limits;
  sla::ladder ladder;
};

// The month before `m` and `m` itself, every job with its history. `progress` gets a line (or,
// on a terminal, a moving bar) as simulated days pass; null: quiet.
std::vector<sla::order_record> simulate(const simulation& s, const sla::classifier& cls, const sla::resolver& res,
                                        std::ostream* progress, bool terminal);

}  // namespace halfhour
