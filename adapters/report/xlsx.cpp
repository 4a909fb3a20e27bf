#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include "adapters/report/render.hpp"

namespace halfhour::reports {

namespace {

// A temporary file libxlsxwriter can write to (1.1.4 has no in-memory output), removed after.
struct temp_file {
  std::string path;
  temp_file() {
    char name[] = "/tmp/halfhour-report-XXXXXX";
    const int fd = mkstemp(name);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file for the workbook");
    close(fd);
    path = name;
  }
  ~temp_file() { std::remove(path.c_str()); }
};

}  // namespace

std::string render_xlsx(const sla::report& current, const std::vector<table>& tables, const std::string& district) {
  temp_file tmp;
  lxw_workbook* wb = workbook_new(tmp.path.c_str());
  if (!wb) throw std::runtime_error("cannot start the workbook");
  // The workbook's own dates are the month's end: the same month gives the same properties.
  lxw_doc_properties props{};
  const std::string title = heading(current, district);
  props.title = const_cast<char*>(title.c_str());
  props.company = const_cast<char*>(district.c_str());
  props.created = static_cast<time_t>(sla::to_ms(current.m.end()) / 1000);
  workbook_set_properties(wb, &props);

  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDE6F0);
  format_set_border(head, LXW_BORDER_THIN);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* plain = workbook_add_format(wb);
  format_set_text_wrap(plain);
  format_set_align(plain, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* number = workbook_add_format(wb);
  format_set_num_format(number, "0");
  lxw_format* decimal = workbook_add_format(wb);
  format_set_num_format(decimal, "0.0");
  lxw_format* rate = workbook_add_format(wb);
  format_set_num_format(rate, "0.0%");

  for (const auto& t : tables) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, t.title.c_str());
    if (!ws) {
      workbook_close(wb);
      throw std::runtime_error("cannot add the sheet " + t.title);
    }
    for (std::size_t c = 0; c < t.headers.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t.headers[c].c_str(), head);
      if (c < t.widths.size())
        worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), t.widths[c], nullptr);
    }
    worksheet_set_row(ws, 0, 32, nullptr);
    worksheet_freeze_panes(ws, 1, 0);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
        const auto& cell = t.rows[r][c];
        const auto col = static_cast<lxw_col_t>(c);
        if (cell.number) {
          const bool is_rate = cell.text.ends_with("%");
          const bool whole = cell.text.find('.') == std::string::npos && !is_rate;
          worksheet_write_number(ws, row, col, *cell.number, is_rate ? rate : whole ? number : decimal);
        } else {
          worksheet_write_string(ws, row, col, cell.text.c_str(), plain);
        }
      }
    }
    if (!t.rows.empty())
      worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(t.rows.size()),
                           static_cast<lxw_col_t>(t.headers.size() - 1));
    // What the figures mean, a row apart under the table.
    for (std::size_t i = 0; i < t.notes.size(); ++i)
      worksheet_write_string(ws, static_cast<lxw_row_t>(t.rows.size() + 2 + i), 0, t.notes[i].c_str(), plain);
  }
  if (workbook_close(wb) != LXW_NO_ERROR) throw std::runtime_error("cannot write the workbook");
  std::ifstream in(tmp.path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace halfhour::reports
