// The monthly grade of every property firm (物业考核): a score of 0-100 from the month's report,
// weighed as deploy/scorecard.json says, and a grade 绿/黄/橙/红 (4/3/2/1) by its thresholds.
// Pure: the same two reports always give the same scorecard.
//
// Each part is a share of 0-1; the score is their weighted mean over the parts the firm has
// figures for (a firm no resident answered a call-back for is not marked down for it):
//   on_time        the 30-minute clocks met (urgent on site, general contact)
//   first_contact  先联率: the first answers owed the caller on time (with a complaint's)
//   satisfaction   满意率: 满意 ÷ call-backs reached
//   breaches       1 - the weighted breach rate, an urgent job's clock counting urgent_weight times
//   redo           1 - 重办率
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sla/report.hpp"

namespace halfhour::sla {

enum class grade { green, yellow, orange, red };
const char* name_of(grade g);  // "绿", "黄", "橙", "红"
int level_of(grade g);         // 4, 3, 2, 1

struct scorecard_rules {
  double on_time = 35;
  double first_contact = 20;
  double satisfaction = 20;
  double breaches = 15;
  double redo = 10;
  double urgent_weight = 3;  // a breach of an urgent job's clock weighs as this many others
  double green = 90;         // a score at or above: 绿
  double yellow = 80;        // 黄
  double orange = 70;        // 橙; below: 红
  std::string source;        // what the weights follow, printed under the table

  // What is wrong with the rules (negative weights, no weight at all, thresholds out of order);
  // empty when nothing is.
  std::vector<std::string> problems() const;
};

struct part_score {
  std::optional<double> on_time, first_contact, satisfaction, breaches, redo;
};

struct firm_score {
  std::string firm;
  int received = 0;
  part_score parts;
  double score = 0;
  grade g = grade::green;
  std::optional<double> previous_score;  // the month before, when the firm was graded then
  std::optional<grade> previous_grade;
};

// Every firm of `current` with anything to judge (a clock or a call-back) but the station, the
// worst first (lowest score, then by name): the first three are the month's worst.
std::vector<firm_score> score_firms(const report& current, const report& previous, const scorecard_rules& rules,
                                    std::string_view station);

}  // namespace halfhour::sla
