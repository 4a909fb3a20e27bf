#include "dispatcher/service_routes.hpp"

#include <spdlog/spdlog.h>

#include "dispatcher/auth.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/prometheus.hpp"
#include "dispatcher/responses.hpp"
#include "dispatcher/web_assets.hpp"

namespace halfhour {

namespace asio = boost::asio;

namespace {

using responses::error;
using responses::json;

// Prometheus text: what operators need to trust the clocks. The alarm to set is
// halfhour_deadlines_overdue_unfired > 0 (a deadline long due that nobody fired) or a growing
// halfhour_deadlines_due_not_fired (Redis slow or away).
std::string metrics_text(const engine& eng, const auth& au, const route_options& opt) {
  const auto& s = eng.stats();
  std::vector<std::pair<std::string, std::uint64_t>> breaches{{"live", s.breaches - s.breaches_on_recovery},
                                                              {"recovery", s.breaches_on_recovery}};
  std::vector<std::pair<std::string, std::size_t>> armed;
  for (auto k : {sla::clock_kind::acknowledge, sla::clock_kind::on_site, sla::clock_kind::contact,
                 sla::clock_kind::completion, sla::clock_kind::first_contact, sla::clock_kind::resolution})
    armed.emplace_back(std::string(sla::code_of(k)), eng.armed(k));
  prometheus_text p;
  p.counter("halfhour_tickets_accepted_total", "Work orders made durable.", s.accepted)
      .counter("halfhour_tickets_duplicate_total", "Retries answered with the existing work order.", s.duplicates)
      .counter("halfhour_reports_linked_total", "Reports joined to an open job as the same incident.", s.linked)
      .counter("halfhour_messages_not_requests_total", "Chat messages screened out as no repair request.",
               s.not_requests)
      .labelled("halfhour_breaches_total", "counter", "Clock breaches recorded.", "when", breaches)
      .histogram("halfhour_breach_lateness_ms", "Deadline to durable breach, live breaches.",
                 engine_stats::lateness_bounds, s.lateness_buckets, s.lateness_sum_ms)
      .gauge("halfhour_breach_lateness_max_ms", "Longest deadline-to-durable-breach time seen live.",
             s.max_breach_late_ms)
      .labelled("halfhour_deadlines_armed", "gauge",
                "Steps (deadlines, warnings, reminders) armed in this engine, by clock.", "clock", armed)
      .gauge("halfhour_deadlines_due_not_fired", "Due and not yet written: waiting or firing.", eng.due_not_fired())
      .gauge("halfhour_deadlines_overdue_unfired",
             "Armed in Redis, due more than 2 s ago, found by the last sweep: should be 0; alarm otherwise.",
             s.overdue_at_last_sweep)
      .counter("halfhour_deadline_retries_total", "Firings retried because Redis was away or the record kept moving.",
               s.fire_retries)
      .counter("halfhour_deadlines_swept_total", "Deadlines found still armed after they fell due, and fired.", s.swept)
      .counter("halfhour_notifications_total", "Notifications written to the outbox.", s.notifications)
      .counter("halfhour_redis_errors_total", "Store operations that failed: Redis away, timed out or refusing.",
               s.store_errors)
      .counter("halfhour_login_codes_compared_total",
               "Login attempts that got as far as comparing a code (at most the limit per phone per window).",
               au.stats().codes_compared)
      .counter("halfhour_logins_refused_total", "Login attempts refused by the limits, no code compared.",
               au.stats().refused_locked);
  if (opt.more_metrics) p.raw(opt.more_metrics());
  return std::move(p).str();
}

// The report's query, checked: the month, the format and the view.
struct report_query {
  sla::month m;
  std::string format, view, token;
};

std::variant<report_query, http::response> read_report_query(const http::request& req) {
  const auto param = [&req](std::string_view name) { return responses::query_param(req.target, name); };
  auto m = sla::month::parse(param("month").value_or(""));
  if (!m) return error(400, "invalid_field", "month", "month须为年-月，例如2026-10");
  report_query q{*m, param("format").value_or("html"), param("view").value_or(""), param("token").value_or("")};
  if (q.format != "html" && q.format != "xlsx" && q.format != "csv")
    return error(400, "invalid_field", "format", "format须为html、xlsx或csv");
  static constexpr std::string_view views[] = {"",      "summary", "firms", "committees", "communities",
                                               "rates", "breaches"};
  if (std::find(std::begin(views), std::end(views), q.view) == std::end(views))
    return error(400, "invalid_field", "view", "view须为summary、firms、committees、communities、rates或breaches");
  return q;
}

}  // namespace

asio::awaitable<http::response> get_healthz(route_context&, http::request, path_params) {
  co_return json(200, R"({"status":"ok"})");
}

asio::awaitable<http::response> get_readyz(route_context& c, http::request, path_params) {
  if (!c.eng.recovered()) co_return error(503, "recovering", "", "正在恢复时钟，暂未就绪");
  auto r = co_await c.eng.ping();
  if (!r) co_return error(503, "store_unavailable", "", "Redis不可达");
  co_return json(200, R"({"status":"ready","redis":"ok"})");
}

asio::awaitable<http::response> get_metrics(route_context& c, http::request req, path_params) {
  // With scrapers' keys configured, /metrics answers them alone (Prometheus sends its token as a
  // bearer credential); without, it is for an internal address only (docs/deployment.md).
  auto key = req.authorization.starts_with("Bearer ") ? req.authorization.substr(7) : req.api_key;
  if (!c.opt.metrics_keys.empty() && !responses::client_of(c.opt.metrics_keys, key)) {
    auto r = error(401, "bad_api_key", "Authorization", "需要监控令牌");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    co_return r;
  }
  co_return http::response{200, "text/plain; version=0.0.4", metrics_text(c.eng, c.au, c.opt), {}};
}

asio::awaitable<http::response> get_page(route_context&, http::request req, path_params) {
  const auto path = std::string(responses::path_of(req.target));
  const auto file = path.ends_with('/') ? path + "index.html" : path;
  const auto* a = web::find(file);
  if (!a) co_return error(404, "not_found", "", "页面不存在");
  co_return http::response{
      200, std::string(a->content_type), std::string(a->body), {{"Content-Security-Policy", responses::page_policy}}};
}

asio::awaitable<http::response> redirect_to_page(route_context&, http::request req, path_params) {
  const auto path = responses::path_of(req.target);
  const std::string to = path == "/" ? "/crew/" : std::string(path) + "/";
  co_return http::response{302, "text/plain; charset=utf-8", "", {{"Location", to}}};
}

// Supervisors and the station with a session, or anyone holding the link the monthly message
// carried.
asio::awaitable<http::response> get_breach_report(route_context& c, http::request req, path_params) {
  auto read = read_report_query(req);
  if (auto* refused = std::get_if<http::response>(&read)) co_return std::move(*refused);
  const auto q = std::get<report_query>(std::move(read));
  if (!report_token_ok(c.opt.reports, q.m, q.token)) {
    auto who = co_await c.au.authenticate(responses::credentials(req).token);
    if (!who) co_return responses::unavailable();
    if (!*who) co_return responses::unauthenticated("请先登录，或使用月报消息中的链接");
    if (!sla::may_read_reports(**who))
      co_return error(403, "forbidden", "", "只有建管中心和应急维修服务站可以查看月报");
  }
  if (q.m.start() > c.eng.now()) co_return error(400, "invalid_field", "month", "该月份尚未开始");
  auto monthly = co_await load_monthly(c.eng, q.m, c.opt.reports.scorecard);
  if (!monthly) co_return responses::unavailable();
  std::optional<rendered_report> out;
  try {
    out = render_report(*monthly, q.format, q.view, c.opt.reports.district);
  } catch (const std::exception& e) {
    spdlog::error("report: cannot render {} {}: {}", q.m.label(), q.format, e.what());
    co_return error(500, "render_failed", "", "报表生成失败，请稍后重试");
  }
  if (!out) co_return error(400, "invalid_field", "view", "没有这个视图");
  http::response r{200, out->content_type, std::move(out->body), {}};
  r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + out->filename + "\"");
  // The HTML report carries its own style and inline SVG charts, and nothing else.
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'");
  co_return r;
}

}  // namespace halfhour
