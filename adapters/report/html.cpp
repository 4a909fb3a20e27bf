#include <algorithm>
#include <cstdio>

#include "adapters/report/render.hpp"

namespace halfhour::reports {

namespace {

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string signed_text(int v) { return (v > 0 ? "+" : "") + std::to_string(v); }

struct bar {
  std::string label;
  double value = 0;
  std::string shown;
};

// Horizontal bars, one per row, scaled to the largest (or to `max` when given).
std::string bar_chart(const std::vector<bar>& bars, double max, const char* colour, const std::string& caption) {
  constexpr int label_w = 190, bar_w = 440, row_h = 24, top = 8;
  if (max <= 0)
    for (const auto& b : bars) max = std::max(max, b.value);
  const int height = top * 2 + row_h * static_cast<int>(std::max<std::size_t>(bars.size(), 1));
  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 720 " + std::to_string(height) +
                    "\" role=\"img\" aria-label=\"" + esc(caption) + "\">";
  if (bars.empty()) svg += "<text x=\"10\" y=\"" + std::to_string(top + 16) + "\" class=\"muted\">本月无数据</text>";
  int y = top;
  for (const auto& b : bars) {
    const double w = max > 0 ? b.value / max * bar_w : 0;
    svg += "<text x=\"" + std::to_string(label_w - 8) + "\" y=\"" + std::to_string(y + 16) + "\" text-anchor=\"end\">" +
           esc(b.label) + "</text>";
    svg += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" + fixed(w) +
           "\" height=\"" + std::to_string(row_h - 8) + "\" fill=\"" + colour + "\"/>";
    svg +=
        "<text x=\"" + fixed(label_w + w + 6) + "\" y=\"" + std::to_string(y + 16) + "\">" + esc(b.shown) + "</text>";
    y += row_h;
  }
  return svg + "</svg>";
}

// Received (blue) and breaches (red) per day of the month.
std::string timeline(const sla::report& r) {
  constexpr int left = 40, width = 660, height = 220, bottom = 190, top = 16;
  int max = 1;
  for (const auto& d : r.days) max = std::max({max, d.received, d.breaches});
  const double slot = static_cast<double>(width) / static_cast<double>(r.days.size());
  const double scale = static_cast<double>(bottom - top) / max;
  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 720 " + std::to_string(height) +
                    "\" role=\"img\" aria-label=\"每日受理与超时\">";
  svg += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(bottom) + "\" x2=\"" +
         std::to_string(left + width) + "\" y2=\"" + std::to_string(bottom) + "\" stroke=\"#888\"/>";
  svg += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(top + 4) + "\" text-anchor=\"end\">" +
         std::to_string(max) + "</text>";
  svg +=
      "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(bottom) + "\" text-anchor=\"end\">0</text>";
  for (std::size_t i = 0; i < r.days.size(); ++i) {
    const double x = left + slot * static_cast<double>(i);
    const double bw = slot * 0.4;
    const auto& d = r.days[i];
    const double hr = d.received * scale, hb = d.breaches * scale;
    svg += "<rect x=\"" + fixed(x + slot * 0.1) + "\" y=\"" + fixed(bottom - hr) + "\" width=\"" + fixed(bw) +
           "\" height=\"" + fixed(hr) + "\" fill=\"#3b78c2\"><title>" + std::to_string(i + 1) + "日受理" +
           std::to_string(d.received) + "单</title></rect>";
    svg += "<rect x=\"" + fixed(x + slot * 0.5) + "\" y=\"" + fixed(bottom - hb) + "\" width=\"" + fixed(bw) +
           "\" height=\"" + fixed(hb) + "\" fill=\"#c62828\"><title>" + std::to_string(i + 1) + "日超时" +
           std::to_string(d.breaches) + "次</title></rect>";
    if (i % 2 == 0)
      svg += "<text x=\"" + fixed(x + slot / 2) + "\" y=\"" + std::to_string(bottom + 16) +
             "\" text-anchor=\"middle\">" + std::to_string(i + 1) + "</text>";
  }
  svg += "<rect x=\"500\" y=\"200\" width=\"10\" height=\"10\" fill=\"#3b78c2\"/><text x=\"514\" y=\"209\">受理</text>";
  svg += "<rect x=\"560\" y=\"200\" width=\"10\" height=\"10\" fill=\"#c62828\"/><text x=\"574\" y=\"209\">超时</text>";
  return svg + "</svg>";
}

std::string html_table(const table& t, bool numeric_right) {
  std::string out = "<div class=\"scroll\"><table><thead><tr>";
  for (const auto& h : t.headers) out += "<th>" + esc(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    const bool total = !row.empty() && row[0].text == "合计";
    out += total ? "<tr class=\"total\">" : "<tr>";
    for (const auto& c : row)
      out += std::string(c.number && numeric_right ? "<td class=\"n\">" : "<td>") + esc(c.text) + "</td>";
    out += "</tr>";
  }
  if (t.rows.empty()) out += "<tr><td colspan=\"" + std::to_string(t.headers.size()) + "\">无</td></tr>";
  out += "</tbody></table></div>";
  for (const auto& n : t.notes) out += "<p class=\"note\">" + esc(n) + "</p>";
  return out;
}

std::string kpi(const std::string& name, const std::string& value, const std::string& change, bool bad) {
  return "<div class=\"kpi\"><div class=\"k\">" + esc(name) + "</div><div class=\"v" + (bad ? " bad" : "") + "\">" +
         esc(value) + "</div><div class=\"c\">较上月 " + esc(change) + "</div></div>";
}

const char* style = R"css(
body{margin:0;font:15px/1.6 "PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;color:#1b1f24;background:#f4f6f9}
header{background:#0b5cad;color:#fff;padding:20px 28px}header h1{margin:0 0 6px;font-size:24px}header p{margin:0;opacity:.9}
main{max-width:1200px;margin:0 auto;padding:16px 20px 40px}
section{background:#fff;border-radius:8px;padding:14px 18px;margin:14px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:18px;margin:0 0 10px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;background:none;box-shadow:none;padding:0}
.kpi{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.kpi .k{color:#5b6570}.kpi .v{font-size:30px;font-weight:700}.kpi .v.bad{color:#c62828}.kpi .c{color:#5b6570;font-size:13px}
.chart{width:100%;max-width:720px;height:auto;font-size:12px}.chart text{fill:#1b1f24}.muted{fill:#888}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #d5dbe3;padding:4px 6px;text-align:left;vertical-align:top}th{background:#e8eef5;position:sticky;top:0}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:700;background:#f4f6f9}
ul{margin:0;padding-left:20px}
p.note{margin:6px 0 0;font-size:13px;color:#4a5563}
@media print{header{background:none;color:#000}section{box-shadow:none;break-inside:avoid}}
)css";

}  // namespace

std::string render_html(const sla::report& cur, const sla::report& prev, const std::vector<table>& tables,
                        const std::string& district) {
  const auto title = heading(cur, district);
  std::string out =
      "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
      esc(title) + "</title><style>" + style + "</style></head><body>";
  out += "<header><h1>" + esc(title) + "</h1><p>统计区间：" + esc(sla::shanghai_minute(cur.m.start())) + " 至 " +
         esc(sla::shanghai_minute(cur.m.end())) +
         "（北京时间）。依据工单历史记录生成，同一月份重复生成结果相同。</p></header><main>";

  const auto rate_now = cur.total.on_time_rate(), rate_before = prev.total.on_time_rate();
  char pts[32] = "—";
  if (rate_now && rate_before) std::snprintf(pts, sizeof pts, "%+.1f个百分点", (*rate_now - *rate_before) * 100);
  out += "<section class=\"kpis\">";
  out +=
      kpi("受理工单", std::to_string(cur.total.received), signed_text(cur.total.received - prev.total.received), false);
  out += kpi("超时", std::to_string(cur.total.breaches()), signed_text(cur.total.breaches() - prev.total.breaches()),
             cur.total.breaches() > 0);
  out += kpi("按时率", percent(rate_now), pts, rate_now && *rate_now < 0.95);
  out += kpi("转应急维修服务站", std::to_string(cur.total.handed_over),
             signed_text(cur.total.handed_over - prev.total.handed_over), false);
  out += "</section>";

  for (const auto& t : tables)
    if (t.key == "summary") out += "<section><h2>概览</h2>" + html_table(t, true) + "</section>";

  std::vector<const sla::group_stats*> firms;
  for (const auto& g : cur.firms) firms.push_back(&g);
  std::stable_sort(firms.begin(), firms.end(),
                   [](const auto* a, const auto* b) { return a->breaches() > b->breaches(); });
  std::vector<bar> firm_bars;
  for (const auto* g : firms)
    firm_bars.push_back({g->name, static_cast<double>(g->breaches()), std::to_string(g->breaches()) + "次"});
  out += "<section><h2>各物业超时次数</h2>" + bar_chart(firm_bars, 0, "#c62828", "各物业超时次数") + "</section>";

  std::vector<bar> committee_bars;  // the lowest rate first: where to look
  for (const auto& g : cur.committees)
    if (auto r = g.on_time_rate()) committee_bars.push_back({g.name + "居委", *r * 100, percent(r)});
  std::stable_sort(committee_bars.begin(), committee_bars.end(),
                   [](const bar& a, const bar& b) { return a.value < b.value; });
  out += "<section><h2>各居委按时率</h2>" + bar_chart(committee_bars, 100, "#2e7d32", "各居委按时率") + "</section>";
  out += "<section><h2>每日受理与超时</h2>" + timeline(cur) + "</section>";

  for (const auto& t : tables) {
    if (t.key == "summary") continue;
    out += "<section><h2>" + esc(t.title) + (t.key == "breaches" ? "（" + std::to_string(t.rows.size()) + "次）" : "") +
           "</h2>" + html_table(t, true) + "</section>";
  }
  out +=
      "<section><h2>统计口径</h2><ul>"
      "<li>工单按受理时间计入当月；急修须30分钟内到场，一般性维修须30分钟内联系报修人，均自系统受理时起算。</li>"
      "<li>"
      "接单、到场、联系三个时限按截止时间所在月份考核：截止前完成为按时，否则为超时；因改判不再适用的时限不考核（改判前"
      "已超时的仍计超时）。</li>"
      "<li>用时与超时时长只采用月末前的记录；月末仍未完成的超时标注“截至月末仍未完成”。</li>"
      "<li>工单计入月末时的责任物业；从未派到物业的计入街道物业应急维修服务站。转应急站的工单，超时仍记在原责任物业。</"
      "li>"
      "<li>同一事件多渠道反映并入同一工单的，只计一单。</li></ul></section>";
  return out + "</main></body></html>\n";
}

}  // namespace halfhour::reports
