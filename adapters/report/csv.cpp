#include "adapters/report/render.hpp"

namespace halfhour::reports {

namespace {

// RFC 4180: quoted when it holds a comma, a quote or a line break; CRLF between records.
void field(std::string& out, const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string render_csv(const std::vector<table>& tables, std::string_view view) {
  for (const auto& t : tables) {
    if (t.key != view) continue;
    std::string out = "\xEF\xBB\xBF";  // the BOM: Excel reads UTF-8 only when told
    for (std::size_t i = 0; i < t.headers.size(); ++i) {
      if (i) out += ',';
      field(out, t.headers[i]);
    }
    out += "\r\n";
    for (const auto& row : t.rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) out += ',';
        field(out, row[i].text);
      }
      out += "\r\n";
    }
    return out;
  }
  return {};
}

}  // namespace halfhour::reports
