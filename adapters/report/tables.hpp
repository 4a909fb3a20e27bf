// The monthly report as tables with Chinese headers, one per view: what the CSV, XLSX and HTML
// renderers all print, so the three always agree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sla/report.hpp"
#include "sla/scorecard.hpp"

namespace halfhour::reports {

struct cell {
  std::string text;
  std::optional<double> number;  // set for numeric cells (XLSX writes them as numbers)
};

struct table {
  std::string key;    // "summary", "scorecard", "firms", "committees", "communities", "rates", "breaches"
  std::string title;  // the sheet's / section's Chinese title
  std::vector<std::string> headers;
  std::vector<std::vector<cell>> rows;
  std::vector<double> widths;      // column widths, in characters
  std::vector<std::string> notes;  // printed under the table: what its figures mean
};

// `previous` is the month before, for the month-on-month columns of the summary; `scores` the
// firms' grades (sla::score_firms, worst first) under `rules`.
std::vector<table> tables_of(const sla::report& current, const sla::report& previous,
                             const std::vector<sla::firm_score>& scores, const sla::scorecard_rules& rules);

// The report's heading: "东明路街道2026年10月报修时限执行情况通报".
std::string heading(const sla::report& r, const std::string& district);

// Shared number formatting: "87.5%", "12.3" (minutes), "—" for nothing.
std::string percent(std::optional<double> rate);
std::string minutes(std::optional<long long> ms);

}  // namespace halfhour::reports
