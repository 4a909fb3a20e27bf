#include "adapters/report/tables.hpp"

#include <cstdio>

namespace halfhour::reports {

namespace {

cell text(std::string s) { return {std::move(s), std::nullopt}; }
cell num(double v, std::string shown) { return {std::move(shown), v}; }
cell integer(long long v) { return num(static_cast<double>(v), std::to_string(v)); }

cell rate_cell(std::optional<double> r) {
  if (!r) return text("—");
  return num(*r, percent(r));
}

cell minutes_cell(std::optional<long long> ms) {
  if (!ms) return text("—");
  return num(static_cast<double>(*ms) / 60000.0, minutes(ms));
}

std::string signed_int(int v) { return (v > 0 ? "+" : "") + std::to_string(v); }

std::string points(std::optional<double> now, std::optional<double> before) {
  if (!now || !before) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f个百分点", (*now - *before) * 100.0);
  return buf;
}

const std::vector<std::string> group_headers = {"受理",
                                                "急修",
                                                "一般性维修",
                                                "物业投诉",
                                                "12345热线",
                                                "社区云",
                                                "居民微信群",
                                                "居委来访",
                                                "意见征集箱",
                                                "Open311",
                                                "接单按时",
                                                "接单超时",
                                                "到场按时",
                                                "到场超时",
                                                "联系按时",
                                                "联系超时",
                                                "投诉先行联系按时",
                                                "投诉先行联系超时",
                                                "投诉办结按时",
                                                "投诉办结超时",
                                                "重办按时",
                                                "重办超时",
                                                "超时合计",
                                                "按时率",
                                                "联系用时中位数（分钟）",
                                                "联系用时P90（分钟）",
                                                "到场用时中位数（分钟）",
                                                "到场用时P90（分钟）",
                                                "转应急站"};

std::vector<cell> group_cells(const sla::group_stats& g) {
  std::vector<cell> c{integer(g.received), integer(g.urgent), integer(g.general), integer(g.complaints)};
  for (int n : g.by_channel) c.push_back(integer(n));
  for (const auto* t : {&g.acknowledge, &g.on_site, &g.contact, &g.first_contact, &g.resolution, &g.redo}) {
    c.push_back(integer(t->met));
    c.push_back(integer(t->breached));
  }
  c.push_back(integer(g.breaches()));
  c.push_back(rate_cell(g.on_time_rate()));
  c.push_back(minutes_cell(sla::median_of(g.to_contact_ms)));
  c.push_back(minutes_cell(sla::p90_of(g.to_contact_ms)));
  c.push_back(minutes_cell(sla::median_of(g.to_on_site_ms)));
  c.push_back(minutes_cell(sla::p90_of(g.to_on_site_ms)));
  c.push_back(integer(g.handed_over));
  return c;
}

table group_table(std::string key, std::string title, std::vector<std::string> lead,
                  const std::vector<sla::group_stats>& groups, const sla::group_stats& total, bool community) {
  table t{std::move(key), std::move(title), std::move(lead), {}, {}};
  for (const auto& h : group_headers) t.headers.push_back(h);
  for (std::size_t i = 0; i < t.headers.size(); ++i) t.widths.push_back(i == 0 ? 24 : 11);
  if (community) t.widths[1] = t.widths[2] = 18;
  for (const auto& g : groups) {
    std::vector<cell> row{text(g.name)};
    if (community) {
      row.push_back(text(g.firm));
      row.push_back(text(g.committee));
    }
    for (auto& c : group_cells(g)) row.push_back(std::move(c));
    t.rows.push_back(std::move(row));
  }
  std::vector<cell> sum{text("合计")};
  if (community) sum.insert(sum.end(), {text(""), text("")});
  for (auto& c : group_cells(total)) sum.push_back(std::move(c));
  t.rows.push_back(std::move(sum));
  return t;
}

std::vector<cell> rate_cells(const sla::group_stats& g) {
  return {rate_cell(g.first_contact_rate()),
          integer(g.rated),
          integer(g.satisfied),
          integer(g.basically_satisfied),
          integer(g.dissatisfied),
          rate_cell(g.satisfaction_rate()),
          rate_cell(g.content_rate()),
          rate_cell(g.resolution_rate()),
          integer(g.reopened),
          rate_cell(g.redo_rate()),
          integer(g.supervised),
          integer(g.complaints),
          rate_cell(sla::share_met(g.first_contact)),
          rate_cell(sla::share_met(g.resolution))};
}

// The 12345 rates per firm, committee and community, with what each means under the table.
table rates_table(const sla::report& cur) {
  table t{"rates",
          "先联率、解决率与满意率",
          {"范围", "名称", "先联率", "回访接通", "满意", "基本满意", "不满意", "满意率", "满意+基本满意率", "解决率",
           "重办", "重办率", "督办", "物业投诉受理", "投诉先行联系按时率", "投诉办结按时率"},
          {},
          {8, 24, 10, 10, 8, 10, 8, 10, 16, 10, 8, 10, 8, 12, 18, 16}};
  const auto add = [&](const char* scope, const sla::group_stats& g) {
    std::vector<cell> row{text(scope), text(g.name)};
    for (auto& c : rate_cells(g)) row.push_back(std::move(c));
    t.rows.push_back(std::move(row));
  };
  for (const auto& g : cur.firms) add("物业", g);
  for (const auto& g : cur.committees) add("居委", g);
  for (const auto& g : cur.communities) add("小区", g);
  std::vector<cell> sum{text("合计"), text("")};
  for (auto& c : rate_cells(cur.total)) sum.push_back(std::move(c));
  t.rows.push_back(std::move(sum));
  t.notes = {
      "先联率 = 本月到期的首次响应时限（急修到场、一般维修联系报修人、物业投诉先行联系）按时完成数 ÷ "
      "本月到期的首次响应时限数。",
      "回访接通 = 本月完工后首次接通的回访数（未接通不计；同一次完工后的再次回访只记录、不计入）。",
      "满意率 = 满意 ÷ 回访接通；满意+基本满意率 = （满意 + 基本满意）÷ 回访接通。",
      "解决率 = 回访接通中不是“不满意”的 ÷ 回访接通；重办率 = 本月因回访不满意退回重办的工单数 ÷ 回访接通。",
      "督办 = 重办后回访仍不满意、转建管中心督办的工单数。投诉按时率按工作日计（先行联系1个工作日、办结5个工作日）。"};
  return t;
}

std::string score_text(double score) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", score);
  return buf;
}

cell score_cell(std::optional<double> score) {
  if (!score) return text("—");
  return num(*score, score_text(*score));
}

std::string grade_text(sla::grade g) {
  return std::string(sla::name_of(g)) + "（" + std::to_string(sla::level_of(g)) + "）";
}

// The firms' grades, the worst first, with the month before and how the score is made.
table scorecard_table(const std::vector<sla::firm_score>& scores, const sla::scorecard_rules& r) {
  table t{"scorecard",
          "物业考核评分",
          {"排名", "物业服务企业", "受理", "30分钟响应按时率", "先联率", "满意率", "超时得分率", "重办率", "得分",
           "等级", "上月得分", "上月等级", "环比"},
          {},
          {6, 24, 8, 16, 10, 10, 12, 10, 8, 8, 10, 10, 10}};
  int rank = 0;
  for (const auto& f : scores) {
    std::string change = "—";
    if (f.previous_score) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%+.1f分", f.score - *f.previous_score);
      change = buf;
    }
    const auto& p = f.parts;
    t.rows.push_back({integer(++rank), text(f.firm), integer(f.received), rate_cell(p.on_time),
                      rate_cell(p.first_contact), rate_cell(p.satisfaction), rate_cell(p.breaches),
                      rate_cell(p.redo ? std::optional<double>(1.0 - *p.redo) : std::nullopt), score_cell(f.score),
                      text(grade_text(f.g)), score_cell(f.previous_score),
                      text(f.previous_grade ? grade_text(*f.previous_grade) : "—"), text(change)});
  }
  const auto w = [](double v) { return score_text(v); };
  t.notes = {
      "按得分从低到高排列，前三名为本月得分最低的物业。应急维修服务站不参加评分。",
      "得分 = 100 × 各项得分率的加权平均：30分钟响应按时率（急修到场、一般维修联系报修人）权重" + w(r.on_time) +
          "，先联率权重" + w(r.first_contact) + "，满意率权重" + w(r.satisfaction) + "，超时得分率权重" +
          w(r.breaches) + "，（1 − 重办率）权重" + w(r.redo) + "；本月没有数据的项目不计入，其权重也不计入。",
      "超时得分率 = 1 − 加权超时率；加权超时率 = （急修工单超时数 × " + w(r.urgent_weight) +
          " + 其他超时数）÷（急修工单考核节点数 × " + w(r.urgent_weight) + " + 其他考核节点数）。",
      "等级：" + w(r.green) + "分及以上为绿（4），" + w(r.yellow) + "分及以上为黄（3），" + w(r.orange) +
          "分及以上为橙（2），其余为红（1）。",
  };
  if (!r.source.empty()) t.notes.push_back("评分依据：" + r.source);
  return t;
}

}  // namespace

std::string percent(std::optional<double> rate) {
  if (!rate) return "—";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", *rate * 100.0);
  return buf;
}

std::string minutes(std::optional<long long> ms) {
  if (!ms) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(*ms) / 60000.0);
  return buf;
}

std::string heading(const sla::report& r, const std::string& district) {
  return district + r.m.title() + "报修时限执行情况通报";
}

std::vector<table> tables_of(const sla::report& cur, const sla::report& prev,
                             const std::vector<sla::firm_score>& scores, const sla::scorecard_rules& rules) {
  std::vector<table> out;

  table s{"summary", "概览", {"项目", cur.m.title(), prev.m.title(), "环比"}, {}, {30, 16, 16, 18}};
  auto line = [&](std::string what, cell now, cell before, std::string change) {
    s.rows.push_back({text(std::move(what)), std::move(now), std::move(before), text(std::move(change))});
  };
  line("受理工单", integer(cur.total.received), integer(prev.total.received),
       signed_int(cur.total.received - prev.total.received));
  line("其中急修", integer(cur.total.urgent), integer(prev.total.urgent),
       signed_int(cur.total.urgent - prev.total.urgent));
  line("其中一般性维修", integer(cur.total.general), integer(prev.total.general),
       signed_int(cur.total.general - prev.total.general));
  line("考核时限节点", integer(cur.total.judged()), integer(prev.total.judged()),
       signed_int(cur.total.judged() - prev.total.judged()));
  line("超时", integer(cur.total.breaches()), integer(prev.total.breaches()),
       signed_int(cur.total.breaches() - prev.total.breaches()));
  line("按时率", rate_cell(cur.total.on_time_rate()), rate_cell(prev.total.on_time_rate()),
       points(cur.total.on_time_rate(), prev.total.on_time_rate()));
  line("急修到场用时中位数（分钟）", minutes_cell(sla::median_of(cur.total.to_on_site_ms)),
       minutes_cell(sla::median_of(prev.total.to_on_site_ms)), "");
  line("一般性维修联系用时中位数（分钟）", minutes_cell(sla::median_of(cur.total.to_contact_ms)),
       minutes_cell(sla::median_of(prev.total.to_contact_ms)), "");
  line("转应急维修服务站", integer(cur.total.handed_over), integer(prev.total.handed_over),
       signed_int(cur.total.handed_over - prev.total.handed_over));
  auto worst_lines = [&](const char* label, const std::vector<sla::group_stats>& now,
                         const std::vector<sla::group_stats>& before) {
    int rank = 0;
    for (const auto* g : sla::worst(now, 5)) {
      int was = 0;
      for (const auto& p : before)
        if (p.name == g->name) was = p.breaches();
      line(std::string(label) + std::to_string(++rank) + "：" + g->name, integer(g->breaches()), integer(was),
           signed_int(g->breaches() - was) + "（按时率" + percent(g->on_time_rate()) + "）");
    }
  };
  worst_lines("超时最多的物业", cur.firms, prev.firms);
  worst_lines("超时最多的小区", cur.communities, prev.communities);
  out.push_back(std::move(s));
  out.push_back(scorecard_table(scores, rules));

  out.push_back(group_table("firms", "物业", {"物业服务企业"}, cur.firms, cur.total, false));
  out.push_back(group_table("committees", "居委", {"居委会"}, cur.committees, cur.total, false));
  out.push_back(
      group_table("communities", "小区", {"小区", "物业服务企业", "居委会"}, cur.communities, cur.total, true));
  out.push_back(rates_table(cur));

  table b{"breaches",
          "超时明细",
          {"序号", "工单号", "小区", "居委会", "责任单位", "类别", "紧急程度", "来源", "受理时间", "时限节点",
           "截止时间", "完成时间", "超时（分钟）", "处置情况", "备注"},
          {},
          {6, 13, 18, 10, 16, 14, 10, 11, 17, 10, 17, 17, 11, 60, 20}};
  int n = 0;
  for (const auto& e : cur.breaches) {
    std::string note;
    if (!e.stopped) note = "截至月末仍未完成";
    if (e.on_recovery) note += std::string(note.empty() ? "" : "；") + "系统恢复后补记";
    b.rows.push_back({integer(++n), text(e.work_order), text(e.community), text(e.committee), text(e.firm),
                      text(e.category_name),
                      text(e.kind == sla::request_kind::complaint ? sla::name_of(e.kind) : sla::name_of(e.level)),
                      text(sla::name_of(e.source)), text(sla::shanghai_minute(e.accepted)), text(sla::name_of(e.clock)),
                      text(sla::shanghai_minute(e.deadline)), text(e.stopped ? sla::shanghai_minute(*e.stopped) : "—"),
                      minutes_cell(e.late_ms), text(e.escalation), text(note)});
  }
  out.push_back(std::move(b));
  return out;
}

}  // namespace halfhour::reports
