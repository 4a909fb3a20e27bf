#include "dispatcher/reports.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "adapters/crypto.hpp"
#include "adapters/report/render.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

monthly_report make_monthly(const std::vector<sla::order_record>& records, sla::month m, std::string_view station,
                            const sla::scorecard_rules& rules, std::optional<sla::instant> as_of) {
  monthly_report r{sla::compute_report(records, m, station, as_of),
                   sla::compute_report(records, m.previous(), station, as_of),
                   {},
                   {}};
  r.scorecard = sla::score_firms(r.current, r.previous, rules, station);
  r.tables = reports::tables_of(r.current, r.previous, r.scorecard, rules);
  return r;
}

asio::awaitable<result<monthly_report>> load_monthly(engine& eng, sla::month m, sla::scorecard_rules rules) {
  auto records = co_await eng.records_between(sla::records_needed_from(m), m.end());
  if (!records) co_return records.error();
  co_return make_monthly(*records, m, eng.resolver().dir().station, rules, eng.now());
}

std::optional<rendered_report> render_report(const monthly_report& r, std::string_view format, std::string_view view,
                                             const std::string& district) {
  const auto base = "halfhour-" + r.current.m.label();
  if (format == "html")
    return rendered_report{"text/html; charset=utf-8", base + ".html",
                           reports::render_html(r.current, r.previous, r.tables, district)};
  if (format == "xlsx")
    return rendered_report{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", base + ".xlsx",
                           reports::render_xlsx(r.current, r.tables, district)};
  if (format == "csv") {
    auto body = reports::render_csv(r.tables, view.empty() ? "breaches" : view);
    if (body.empty()) return std::nullopt;
    return rendered_report{"text/csv; charset=utf-8",
                           base + "-" + std::string(view.empty() ? "breaches" : view) + ".csv", std::move(body)};
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> report_files(const monthly_report& r, const std::string& district) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const char* format : {"html", "xlsx"}) {
    auto out = render_report(r, format, "", district);
    files.emplace_back(out->filename, std::move(out->body));
  }
  for (const char* view : {"summary", "scorecard", "firms", "committees", "communities", "rates", "breaches"}) {
    auto out = render_report(r, "csv", view, district);
    files.emplace_back(out->filename, std::move(out->body));
  }
  return files;
}

std::string report_token(const report_settings& s, sla::month m) {
  return crypto::hmac_sha256_hex(s.link_secret, "halfhour report " + m.label()).substr(0, 32);
}

bool report_token_ok(const report_settings& s, sla::month m, std::string_view token) {
  return !s.link_secret.empty() && crypto::equal_constant_time(report_token(s, m), token);
}

sla::instant next_report_time(sla::instant now) {
  const auto m = sla::month::containing(now);
  const auto this_month = m.start() + std::chrono::hours{8};
  return now < this_month ? this_month : m.next().start() + std::chrono::hours{8};
}

monthly_sender::monthly_sender(engine& eng, outbox_store& outbox, clock& clk, report_settings s, std::string centre)
    : eng_(eng), outbox_(outbox), clock_(clk), settings_(std::move(s)), centre_(std::move(centre)) {}

void monthly_sender::start() {
  // The moment of this month has passed: the previous month may still be owed (the engine was
  // down at 08:00 on the 1st). post_once makes a second sending a no-op.
  const auto now = clock_.now();
  if (now >= sla::month::containing(now).start() + std::chrono::hours{8}) {
    asio::co_spawn(eng_.executor(), due(), asio::detached);
    return;
  }
  schedule();
}

void monthly_sender::schedule() {
  clock_.wake_at(next_report_time(clock_.now()), [alive = std::weak_ptr<monthly_sender*>(alive_)] {
    if (auto self = alive.lock()) asio::co_spawn((*self)->eng_.executor(), (*self)->due(), asio::detached);
  });
}

asio::awaitable<void> monthly_sender::due() {
  std::weak_ptr<monthly_sender*> alive = alive_;
  const auto m = sla::month::containing(clock_.now()).previous();
  auto sent = co_await send(m);
  if (alive.expired()) co_return;
  if (!sent) {
    // Redis away: try again in five minutes; the month is not forgotten.
    spdlog::warn("report: the {} report could not be sent yet ({}); retrying", m.label(), sent.error().message());
    clock_.wake_at(clock_.now() + std::chrono::minutes{5}, [alive] {
      if (auto self = alive.lock()) asio::co_spawn((*self)->eng_.executor(), (*self)->due(), asio::detached);
    });
    co_return;
  }
  schedule();
}

asio::awaitable<result<bool>> monthly_sender::send(sla::month m) {
  auto r = co_await load_monthly(eng_, m, settings_.scorecard);
  if (!r) co_return result<bool>(boost::system::in_place_error, r.error());
  const auto& t = r->current.total;
  if (t.received == 0 && t.judged() == 0) {
    // A store with nothing for the month (a new installation): nothing to tell the centre.
    spdlog::info("report: no work orders in {}; no monthly message", m.label());
    co_return false;
  }
  std::string text = "【月度通报】" + reports::heading(r->current, settings_.district) + "：受理工单" +
                     std::to_string(t.received) + "单，考核时限" + std::to_string(t.judged()) + "个，超时" +
                     std::to_string(t.breaches()) + "次，按时率" + reports::percent(t.on_time_rate()) + "。";
  const auto worst = sla::worst(r->current.firms, 3);
  if (!worst.empty()) {
    text += "超时最多的物业：";
    for (std::size_t i = 0; i < worst.size(); ++i)
      text += (i ? "、" : "") + worst[i]->name + "（" + std::to_string(worst[i]->breaches()) + "次）";
    text += "。";
  }
  if (!settings_.public_url.empty() && !settings_.link_secret.empty()) {
    const auto link =
        settings_.public_url + "/v1/reports/breaches?month=" + m.label() + "&token=" + report_token(settings_, m);
    text += "报表：" + link + "&format=html（网页）、" + link + "&format=xlsx（Excel）";
  } else {
    text += "报表请登录后从 /v1/reports/breaches?month=" + m.label() + " 下载。";
  }
  outbox_entry e;
  e.shard = 0;
  e.key = "report:" + m.label();
  e.to = "centre";
  e.organisation = centre_;
  e.kind = "report";
  e.work_order = "report:" + m.label();
  e.text = std::move(text);
  auto posted = co_await outbox_.post_once(e, "report:" + m.label());
  if (!posted) co_return posted;
  if (*posted) {
    spdlog::info("report: the {} report went to the outbox for {}", m.label(), centre_);
    eng_.poke_sender();
  }
  co_return posted;
}

}  // namespace halfhour
