#include "dispatcher/crew_routes.hpp"

#include "adapters/channels/crew.hpp"
#include "adapters/codec.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/responses.hpp"
#include "dispatcher/route_options.hpp"
#include "dispatcher/session_cookie.hpp"

namespace halfhour {

namespace asio = boost::asio;

namespace {

using responses::error;
using responses::json;
using responses::shown_to;

http::response order(int status, const stored_order& o, const sla::member& who) {
  return json(status, codec::render_work_order(shown_to(o.wo, who), o.history, codec::format::json, o.notices));
}

http::response outcome(const boost::system::result<act_outcome>& r, const sla::member& who) {
  if (!r) return responses::store_failure(r.error());
  switch (r->what) {
    case act_outcome::kind::applied:
    case act_outcome::kind::shown:
    case act_outcome::kind::duplicate: return order(200, r->order, who);
    case act_outcome::kind::refused:
      return json(409, codec::render_refusal("not_applicable", r->reason, shown_to(r->order.wo, who)));
    case act_outcome::kind::moved:
      return json(409, codec::render_refusal("moved", r->reason, shown_to(r->order.wo, who)));
    case act_outcome::kind::forbidden: return error(403, "forbidden", "", "这不是您单位的工单");
    case act_outcome::kind::not_found: return error(404, "not_found", "", "工单不存在");
  }
  return responses::unavailable();
}

}  // namespace

asio::awaitable<http::response> post_login(route_context& c, http::request req, path_params) {
  auto p = channels::parse_login(req.body, req.content_type);
  if (!p.ok) co_return responses::refusal(p.error);
  // Behind the proxy every peer is the proxy: the attempts are counted on the address it saw.
  auto r = co_await c.au.login(p.phone, p.code, responses::client_address(req, c.opt.trusted_proxies));
  if (!r) co_return responses::unavailable();
  switch (r->what) {
    case login_result::kind::ok: {
      if (!session::from_page(req.requested_with))
        co_return json(200, codec::render_login(r->token, r->expires_at, r->member));
      // A page keeps its session in a cookie no script can read, and is not told the token.
      auto res = json(200, codec::render_login("", r->expires_at, r->member));
      res.headers.emplace_back("Set-Cookie", session::set_cookie(r->token, c.au.session_ttl(),
                                                                 responses::over_https(req, c.opt.trusted_proxies)));
      co_return res;
    }
    case login_result::kind::bad_credentials: co_return error(401, "bad_credentials", "", "手机号或登录码不正确");
    case login_result::kind::locked: {
      auto res = error(429, "locked", "", "登录尝试次数过多，请15分钟后再试");
      res.headers.emplace_back("Retry-After", std::to_string(auth::failure_window.count()));
      co_return res;
    }
  }
  co_return responses::unavailable();
}

// Ends the session in the store; a page's cookie goes with it, even when its session had
// already ended, so the browser stops sending it.
asio::awaitable<http::response> post_logout(route_context& c, http::request req, path_params) {
  const auto who = responses::credentials(req);
  if (!session::page_call_allowed(req.method, who, req.requested_with)) co_return responses::not_from_page();
  auto ended = co_await c.au.logout(who.token);
  if (!ended) co_return responses::unavailable();
  auto res = *ended ? json(200, R"({"status":"logged_out"})") : responses::unauthenticated("未登录或登录已结束");
  if (who.from_cookie)
    res.headers.emplace_back("Set-Cookie", session::clear_cookie(responses::over_https(req, c.opt.trusted_proxies)));
  co_return res;
}

asio::awaitable<http::response> get_my_jobs(route_context& c, http::request req, path_params) {
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto& m = std::get<sla::member>(who);
  auto list = co_await c.eng.jobs_for(m);
  if (!list) co_return responses::unavailable();
  for (auto& wo : *list) wo = sla::list_view(shown_to(std::move(wo), m));
  co_return json(200, codec::render_job_list(*list, c.eng.now(), m));
}

asio::awaitable<http::response> get_my_job(route_context& c, http::request req, path_params p) {
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto& m = std::get<sla::member>(who);
  co_return outcome(co_await c.eng.view(m, p.at("id")), m);
}

asio::awaitable<http::response> post_job_action(route_context& c, http::request req, path_params p) {
  auto kind = channels::action_from_path(p.at("action"));
  if (!kind) co_return error(404, "not_found", "", "没有这个操作");
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto& m = std::get<sla::member>(who);
  auto parsed = channels::parse_crew_action(req.body, req.content_type, *kind);
  if (!parsed.ok) co_return responses::refusal(parsed.error);
  co_return outcome(co_await c.eng.act(m, p.at("id"), std::move(parsed.action)), m);
}

// A firm's manager (or the station) gives a job to one of its crews.
asio::awaitable<http::response> post_assign(route_context& c, http::request req, path_params p) {
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto& m = std::get<sla::member>(who);
  if (!sla::may_assign(m)) co_return error(403, "forbidden", "", "只有物业经理或应急站可以派单");
  auto parsed = channels::parse_assign(req.body, req.content_type);
  if (!parsed.ok) co_return responses::refusal(parsed.error);
  auto to = co_await c.au.find_member(parsed.value);
  if (!to) co_return responses::unavailable();
  if (!*to || !sla::may_be_assigned(**to)) co_return error(400, "invalid_field", "member_id", "没有这位维修人员");
  co_return outcome(co_await c.eng.assign(m, p.at("id"), **to), m);
}

// The station sends a job it triages to a community's firm.
asio::awaitable<http::response> post_station_route(route_context& c, http::request req, path_params p) {
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto& m = std::get<sla::member>(who);
  if (!sla::may_route(m)) co_return error(403, "forbidden", "", "只有应急维修服务站可以分拣工单");
  auto parsed = channels::parse_route(req.body, req.content_type);
  if (!parsed.ok) co_return responses::refusal(parsed.error);
  auto r = co_await c.eng.reroute(m, p.at("id"), parsed.value);
  if (r && r->what == act_outcome::kind::refused && r->order.wo.id.empty())
    co_return error(400, "invalid_field", "community", r->reason);
  co_return outcome(r, m);
}

}  // namespace halfhour
