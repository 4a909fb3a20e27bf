#include "dispatcher/routes.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "adapters/channels/hotline.hpp"
#include "adapters/codec.hpp"
#include "adapters/errors.hpp"
#include "dispatcher/board.hpp"
#include "dispatcher/crew_routes.hpp"
#include "dispatcher/responses.hpp"
#include "dispatcher/web_assets.hpp"

namespace halfhour {

namespace asio = boost::asio;

namespace {

using responses::error;
using responses::json;

http::response store_failure(const boost::system::error_code& ec) {
  if (ec == errc::not_found) return error(404, "not_found", "", "工单不存在");
  return responses::unavailable();
}

codec::format wanted_format(const http::request& req) {
  return req.accept.find("application/x-protobuf") != std::string::npos ? codec::format::protobuf
                                                                        : codec::format::json;
}

http::response order(int status, const stored_order& o, codec::format f) {
  http::response r;
  r.status = status;
  r.body = codec::render_work_order(o.wo, o.history, f, o.notices);
  r.content_type = f == codec::format::protobuf ? "application/x-protobuf" : "application/json; charset=utf-8";
  r.headers.emplace_back("Location", "/v1/work-orders/" + o.wo.id);
  return r;
}

// A new ticket is answered with its work order (201): what the hotline sent and what the engine
// decided. A retry, or a ticket joined to an open job as the same incident, is answered (200)
// with that job's receipt view: id, state, holder, clocks — never a reporter's data or a staff
// phone, whoever replays a ticket number.
asio::awaitable<http::response> post_ticket(engine& eng, const route_options& opt, http::request req) {
  if (auto refused = responses::check_door_key(opt.hotline_keys, req.api_key)) co_return std::move(*refused);
  auto parsed = channels::parse_hotline_ticket(req.body, req.content_type);
  if (!parsed.ok) co_return error(parsed.error.status, parsed.error.code, parsed.error.field, parsed.error.message);
  auto r = co_await eng.ingest(std::move(parsed.req));
  if (!r) co_return store_failure(r.error());
  if (r->what == ingest_outcome::kind::created) co_return order(201, r->order, wanted_format(req));
  stored_order receipt{sla::receipt_view(r->order.wo), {}, {}};
  auto res = order(200, receipt, wanted_format(req));
  if (r->what == ingest_outcome::kind::linked) res.headers.emplace_back("Halfhour-Linked", r->order.wo.id);
  co_return res;
}

// A work order for whoever may see it (sla::may_see): the holder, the firm on record, the
// committee, the centre. Reporters' phones only to those who need them.
asio::awaitable<http::response> get_order(engine& eng, auth& au, http::request req, std::string id) {
  auto who = co_await au.authenticate(req.authorization);
  if (!who) co_return responses::unavailable("存储暂不可用，请稍后重试");
  if (!*who) co_return responses::unauthenticated();
  auto r = co_await eng.view(**who, std::move(id));
  if (!r) co_return store_failure(r.error());
  switch (r->what) {
    case act_outcome::kind::forbidden: co_return error(403, "forbidden", "", "这不是您单位的工单");
    case act_outcome::kind::not_found: co_return error(404, "not_found", "", "工单不存在");
    default: break;
  }
  r->order.wo = responses::shown_to(std::move(r->order.wo), **who);
  co_return order(200, r->order, wanted_format(req));
}

// GET /v1/reports/breaches?month=2026-10&format=html|xlsx|csv[&view=…]: supervisors and the
// station with a session, or anyone holding the link the monthly message carried.
asio::awaitable<http::response> report(engine& eng, auth& au, const route_options& opt, http::request req) {
  if (req.method != "GET") co_return error(405, "method_not_allowed", "", "请使用GET");
  const auto param = [&req](std::string_view name) { return responses::query_param(req.target, name); };
  const auto month_text = param("month").value_or("");
  const auto format = param("format").value_or("html");
  const auto view = param("view").value_or("");
  const auto token = param("token").value_or("");
  auto m = sla::month::parse(month_text);
  if (!m) co_return error(400, "invalid_field", "month", "month须为年-月，例如2026-10");
  if (format != "html" && format != "xlsx" && format != "csv")
    co_return error(400, "invalid_field", "format", "format须为html、xlsx或csv");
  if (!view.empty() && view != "summary" && view != "firms" && view != "committees" && view != "communities" &&
      view != "breaches")
    co_return error(400, "invalid_field", "view", "view须为summary、firms、committees、communities或breaches");
  if (!report_token_ok(opt.reports, *m, token)) {
    auto who = co_await au.authenticate(req.authorization);
    if (!who) co_return responses::unavailable("存储暂不可用，请稍后重试");
    if (!*who) co_return responses::unauthenticated("请先登录，或使用月报消息中的链接");
    if ((*who)->kind != sla::role::supervisor && (*who)->kind != sla::role::station)
      co_return error(403, "forbidden", "", "只有建管中心和应急维修服务站可以查看月报");
  }
  if (m->start() > eng.now()) co_return error(400, "invalid_field", "month", "该月份尚未开始");
  auto monthly = co_await load_monthly(eng, *m);
  if (!monthly) co_return responses::unavailable("存储暂不可用，请稍后重试");
  std::optional<rendered_report> out;
  try {
    out = render_report(*monthly, format, view, opt.reports.district);
  } catch (const std::exception& e) {
    spdlog::error("report: cannot render {} {}: {}", m->label(), format, e.what());
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

asio::awaitable<http::response> ready(engine& eng) {
  if (!eng.recovered()) co_return error(503, "recovering", "", "正在恢复时钟，暂未就绪");
  auto r = co_await eng.ping();
  if (!r) co_return error(503, "store_unavailable", "", "Redis不可达");
  co_return json(200, R"({"status":"ready","redis":"ok"})");
}

// Prometheus text: what operators need to trust the clocks. The alarm to set is
// halfhour_deadlines_overdue_unfired > 0 (a deadline long due that nobody fired) or a growing
// halfhour_deadlines_due_not_fired (Redis slow or away).
http::response metrics(const engine& eng, const auth& au, const route_options& opt) {
  const auto& s = eng.stats();
  std::string out;
  auto metric = [&out](std::string_view name, std::string_view type, std::string_view help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  };
  // One unlabelled series: its help, its type and its value.
  auto single = [&](std::string_view name, std::string_view type, std::string_view help, auto value) {
    metric(name, type, help);
    out += fmt::format("{} {}\n", name, value);
  };
  single("halfhour_tickets_accepted_total", "counter", "Work orders made durable.", s.accepted);
  single("halfhour_tickets_duplicate_total", "counter",
         "Retries answered with the existing work order.", s.duplicates);
  single("halfhour_reports_linked_total", "counter", "Reports joined to an open job as the same incident.", s.linked);
  single("halfhour_messages_not_requests_total", "counter",
         "Chat messages screened out as no repair request.", s.not_requests);
  metric("halfhour_breaches_total", "counter", "Clock breaches recorded.");
  out += fmt::format("halfhour_breaches_total{{when=\"live\"}} {}\nhalfhour_breaches_total{{when=\"recovery\"}} {}\n",
                     s.breaches - s.breaches_on_recovery, s.breaches_on_recovery);
  metric("halfhour_breach_lateness_ms", "histogram", "Deadline to durable breach, live breaches.");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < engine_stats::lateness_bounds.size(); ++i) {
    cumulative += s.lateness_buckets[i];
    out += fmt::format("halfhour_breach_lateness_ms_bucket{{le=\"{}\"}} {}\n", engine_stats::lateness_bounds[i],
                       cumulative);
  }
  cumulative += s.lateness_buckets.back();
  out += fmt::format("halfhour_breach_lateness_ms_bucket{{le=\"+Inf\"}} {}\nhalfhour_breach_lateness_ms_sum {}\n"
                     "halfhour_breach_lateness_ms_count {}\n",
                     cumulative, s.lateness_sum_ms, cumulative);
  single("halfhour_breach_lateness_max_ms", "gauge",
         "Longest deadline-to-durable-breach time seen live.", s.max_breach_late_ms);
  metric("halfhour_deadlines_armed", "gauge", "Steps (deadlines, warnings, reminders) armed in this engine, by clock.");
  for (auto k : {sla::clock_kind::acknowledge, sla::clock_kind::on_site, sla::clock_kind::contact,
                 sla::clock_kind::completion})
    out += fmt::format("halfhour_deadlines_armed{{clock=\"{}\"}} {}\n", sla::code_of(k), eng.armed(k));
  single("halfhour_deadlines_due_not_fired", "gauge",
         "Due and not yet written: waiting or firing.", eng.due_not_fired());
  single("halfhour_deadlines_overdue_unfired", "gauge",
         "Armed in Redis, due more than 2 s ago, found by the last sweep: should be 0; alarm otherwise.",
         s.overdue_at_last_sweep);
  single("halfhour_deadline_retries_total", "counter",
         "Firings retried because Redis was away or the record kept moving.", s.fire_retries);
  single("halfhour_deadlines_swept_total", "counter",
         "Deadlines found still armed after they fell due, and fired.", s.swept);
  single("halfhour_notifications_total", "counter", "Notifications written to the outbox.", s.notifications);
  single("halfhour_redis_errors_total", "counter",
         "Store operations that failed: Redis away, timed out or refusing.", s.store_errors);
  single("halfhour_login_codes_compared_total", "counter",
         "Login attempts that got as far as comparing a code (at most the limit per phone per window).",
         au.stats().codes_compared);
  single("halfhour_logins_refused_total", "counter", "Login attempts refused by the limits, no code compared.",
         au.stats().refused_locked);
  if (opt.more_metrics) out += opt.more_metrics();
  http::response r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = std::move(out);
  return r;
}

// The pages may run only their own scripts and styles, reach only this engine, and never be
// framed (clickjacking a crew's buttons).
constexpr const char* page_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

asio::awaitable<http::response> route(engine& eng, auth& au, board_feed& board, const route_options& opt,
                                      http::request req) {
  if (auto crew = co_await route_crew(eng, au, req)) co_return std::move(*crew);
  if (auto channel = co_await route_channels(eng, au, opt, req)) co_return std::move(*channel);
  if (auto live = co_await board.route(req)) co_return std::move(*live);
  const auto path = responses::path_of(req.target);
  const bool get = req.method == "GET";
  if (path == "/v1/hotline/tickets") {
    if (req.method != "POST") co_return error(405, "method_not_allowed", "", "请使用POST");
    co_return co_await post_ticket(eng, opt, std::move(req));
  }
  constexpr std::string_view orders = "/v1/work-orders/";
  if (path.starts_with(orders) && path.size() > orders.size() &&
      path.find('/', orders.size()) == std::string_view::npos) {
    if (!get) co_return error(405, "method_not_allowed", "", "请使用GET");
    std::string id(path.substr(orders.size()));
    co_return co_await get_order(eng, au, std::move(req), std::move(id));
  }
  if (get && (path == "/crew" || path == "/")) {
    http::response r{302, "text/plain; charset=utf-8", "", {{"Location", "/crew/"}}};
    co_return r;
  }
  if (get && (path == "/walk-in" || path == "/board")) {
    http::response r{302, "text/plain; charset=utf-8", "", {{"Location", std::string(path) + "/"}}};
    co_return r;
  }
  if (get && (path.starts_with("/crew/") || path.starts_with("/walk-in/") || path.starts_with("/board/") ||
              path.starts_with("/common/"))) {
    const std::string index = path.ends_with("/") ? std::string(path) + "index.html" : std::string();
    const auto* a = web::find(index.empty() ? path : std::string_view(index));
    if (!a) co_return error(404, "not_found", "", "页面不存在");
    co_return http::response{200, std::string(a->content_type), std::string(a->body),
                             {{"Content-Security-Policy", page_policy}}};
  }
  if (path == "/v1/reports/breaches") co_return co_await report(eng, au, opt, std::move(req));
  if (path == "/healthz" && get) co_return json(200, R"({"status":"ok"})");
  if (path == "/readyz" && get) co_return co_await ready(eng);
  if (path == "/metrics" && get) {
    // With scrapers' keys configured, /metrics answers them alone (Prometheus sends its token as
    // a bearer credential); without, it is for an internal address only (docs/deployment.md).
    auto key = req.authorization.starts_with("Bearer ") ? req.authorization.substr(7) : req.api_key;
    if (!opt.metrics_keys.empty() && !responses::client_of(opt.metrics_keys, key)) {
      auto r = error(401, "bad_api_key", "Authorization", "需要监控令牌");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      co_return r;
    }
    co_return metrics(eng, au, opt);
  }
  co_return error(404, "not_found", "", "没有这个接口");
}

}  // namespace

http::handler make_routes(engine& eng, auth& au, const route_options& opt) {
  auto board = std::make_shared<board_feed>(eng, au, opt.board_max_streams);
  return [&eng, &au, &opt, board](http::request req) { return route(eng, au, *board, opt, std::move(req)); };
}

}  // namespace halfhour
