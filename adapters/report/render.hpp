// The monthly report in the three formats officials open: CSV (UTF-8 with a BOM, so Excel reads
// the Chinese), a self-contained HTML page with SVG charts, and XLSX (a sheet per view, frozen
// headers, set widths). CSV and HTML are byte-identical for the same input.
#pragma once

#include <string>
#include <string_view>

#include "adapters/report/tables.hpp"

namespace halfhour::reports {

// One view ("summary", "firms", "committees", "communities", "breaches") as CSV; empty for an
// unknown view.
std::string render_csv(const std::vector<table>& tables, std::string_view view);

std::string render_html(const sla::report& current, const sla::report& previous, const std::vector<table>& tables,
                        const std::string& district);

// Throws std::runtime_error when the workbook cannot be written (no temporary space).
std::string render_xlsx(const sla::report& current, const std::vector<table>& tables, const std::string& district);

}  // namespace halfhour::reports
