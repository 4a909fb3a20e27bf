#include "sla/scorecard.hpp"

#include <algorithm>

namespace halfhour::sla {

namespace {

std::optional<double> complement(std::optional<double> rate) {
  if (!rate) return std::nullopt;
  return 1.0 - std::min(1.0, *rate);
}

part_score parts_of(const group_stats& g, const scorecard_rules& r) {
  part_score p;
  p.on_time = share_met({g.on_site.met + g.contact.met, g.on_site.breached + g.contact.breached});
  p.first_contact = g.first_contact_rate();
  p.satisfaction = g.satisfaction_rate();
  const int urgent_breached = g.urgent_clocks.breached;
  const int other_breached = g.breaches() - urgent_breached;
  const int urgent_judged = g.urgent_clocks.total();
  const int other_judged = g.judged() - urgent_judged;
  const double weighed = urgent_judged * r.urgent_weight + other_judged;
  if (weighed > 0) p.breaches = 1.0 - (urgent_breached * r.urgent_weight + other_breached) / weighed;
  p.redo = complement(g.redo_rate());
  return p;
}

// The weighted mean of the parts there are, 0-100; nothing when there is none.
std::optional<double> score_of(const part_score& p, const scorecard_rules& r) {
  double sum = 0, weights = 0;
  const auto add = [&](std::optional<double> part, double w) {
    if (!part || w <= 0) return;
    sum += *part * w;
    weights += w;
  };
  add(p.on_time, r.on_time);
  add(p.first_contact, r.first_contact);
  add(p.satisfaction, r.satisfaction);
  add(p.breaches, r.breaches);
  add(p.redo, r.redo);
  if (weights <= 0) return std::nullopt;
  return 100.0 * sum / weights;
}

grade grade_of(double score, const scorecard_rules& r) {
  if (score >= r.green) return grade::green;
  if (score >= r.yellow) return grade::yellow;
  if (score >= r.orange) return grade::orange;
  return grade::red;
}

std::vector<firm_score> scores_of(const report& rep, const scorecard_rules& rules, std::string_view station) {
  std::vector<firm_score> out;
  for (const auto& g : rep.firms) {
    if (g.name == station) continue;  // the sub-district's own station is not a firm under 物业考核
    firm_score f{.firm = g.name, .received = g.received, .parts = parts_of(g, rules)};
    const auto score = score_of(f.parts, rules);
    if (!score) continue;
    f.score = *score;
    f.g = grade_of(*score, rules);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

const char* name_of(grade g) {
  switch (g) {
    case grade::green: return "绿";
    case grade::yellow: return "黄";
    case grade::orange: return "橙";
    case grade::red: return "红";
  }
  return "";
}

int level_of(grade g) { return 4 - static_cast<int>(g); }

std::vector<std::string> scorecard_rules::problems() const {
  std::vector<std::string> out;
  for (double w : {on_time, first_contact, satisfaction, breaches, redo})
    if (w < 0) out.push_back("a weight is negative");
  if (on_time + first_contact + satisfaction + breaches + redo <= 0) out.push_back("every weight is zero");
  if (urgent_weight < 1) out.push_back("urgent_weight must be at least 1");
  if (!(green <= 100 && green > yellow && yellow > orange && orange > 0))
    out.push_back("thresholds must fall: 100 >= green > yellow > orange > 0");
  return out;
}

std::vector<firm_score> score_firms(const report& current, const report& previous, const scorecard_rules& rules,
                                    std::string_view station) {
  auto out = scores_of(current, rules, station);
  const auto before = scores_of(previous, rules, station);
  for (auto& f : out) {
    const auto it = std::find_if(before.begin(), before.end(), [&](const firm_score& p) { return p.firm == f.firm; });
    if (it == before.end()) continue;
    f.previous_score = it->score;
    f.previous_grade = it->g;
  }
  std::sort(out.begin(), out.end(), [](const firm_score& a, const firm_score& b) {
    if (a.score != b.score) return a.score < b.score;
    return a.firm < b.firm;
  });
  return out;
}

}  // namespace halfhour::sla
