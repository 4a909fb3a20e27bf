#include "dispatcher/crew_routes.hpp"

#include "adapters/channels/crew.hpp"
#include "adapters/codec.hpp"
#include "adapters/errors.hpp"
#include "dispatcher/responses.hpp"
#include "sla/text.hpp"

namespace halfhour {

namespace asio = boost::asio;

namespace {

using responses::error;
using responses::json;

http::response unavailable() { return responses::unavailable("存储暂不可用，请稍后重试"); }

using responses::shown_to;

http::response order(int status, const stored_order& o, const sla::member& who) {
  return json(status, codec::render_work_order(shown_to(o.wo, who), o.history, codec::format::json, o.notices));
}

asio::awaitable<http::response> login(auth& au, const http::request& req) {
  auto p = channels::parse_login(req.body, req.content_type);
  if (!p.ok) co_return error(p.error.status, p.error.code, p.error.field, p.error.message);
  auto r = co_await au.login(p.phone, p.code, req.remote);
  if (!r) co_return unavailable();
  switch (r->what) {
    case login_result::kind::ok: co_return json(200, codec::render_login(r->token, r->expires_at, r->member));
    case login_result::kind::bad_credentials: co_return error(401, "bad_credentials", "", "手机号或登录码不正确");
    case login_result::kind::locked: {
      auto res = error(429, "locked", "", "登录尝试次数过多，请15分钟后再试");
      res.headers.emplace_back("Retry-After", std::to_string(auth::failure_window.count()));
      co_return res;
    }
  }
  co_return unavailable();
}

http::response outcome(const boost::system::result<act_outcome>& r, const sla::member& who) {
  if (!r) return r.error() == errc::conflict ? error(409, "busy", "", "工单正被他人更新，请重试") : unavailable();
  switch (r->what) {
    case act_outcome::kind::applied:
    case act_outcome::kind::duplicate: return order(200, r->order, who);
    case act_outcome::kind::refused:
      return json(409, codec::render_refusal("not_applicable", r->reason, shown_to(r->order.wo, who)));
    case act_outcome::kind::moved:
      return json(409, codec::render_refusal("moved", r->reason, shown_to(r->order.wo, who)));
    case act_outcome::kind::forbidden: return error(403, "forbidden", "", "这不是您单位的工单");
    case act_outcome::kind::not_found: return error(404, "not_found", "", "工单不存在");
  }
  return unavailable();
}

// /v1/manager/jobs/{id}/assign and /v1/station/jobs/{id}/route: the dispatchers' desk.
asio::awaitable<http::response> desk(engine& eng, auth& au, const http::request& req, const sla::member& who,
                                     std::string_view rest, bool station_route) {
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || rest.substr(slash + 1) != (station_route ? "route" : "assign"))
    co_return error(404, "not_found", "", "没有这个接口");
  std::string id(rest.substr(0, slash));
  if (req.method != "POST") co_return error(405, "method_not_allowed", "", "请使用POST");
  if (station_route ? who.kind != sla::role::station
                    : (who.kind != sla::role::manager && who.kind != sla::role::station))
    co_return error(403, "forbidden", "", station_route ? "只有应急维修服务站可以分拣工单" : "只有物业经理或应急站可以派单");
  if (station_route) {
    auto p = channels::parse_route(req.body, req.content_type);
    if (!p.ok) co_return error(p.error.status, p.error.code, p.error.field, p.error.message);
    auto r = co_await eng.reroute(who, id, p.value);
    if (r && r->what == act_outcome::kind::refused && r->order.wo.id.empty())
      co_return error(400, "invalid_field", "community", r->reason);
    co_return outcome(r, who);
  }
  auto p = channels::parse_assign(req.body, req.content_type);
  if (!p.ok) co_return error(p.error.status, p.error.code, p.error.field, p.error.message);
  auto to = co_await au.find_member(p.value);
  if (!to) co_return unavailable();
  if (!*to || (*to)->kind != sla::role::crew) co_return error(400, "invalid_field", "member_id", "没有这位维修人员");
  co_return outcome(co_await eng.assign(who, id, **to), who);
}

}  // namespace

asio::awaitable<std::optional<http::response>> route_crew(engine& eng, auth& au, const http::request& req) {
  const auto path = responses::path_of(req.target);
  if (path == "/v1/auth/login") {
    if (req.method != "POST") co_return error(405, "method_not_allowed", "", "请使用POST");
    co_return co_await login(au, req);
  }
  if (path == "/v1/auth/logout") {
    if (req.method != "POST") co_return error(405, "method_not_allowed", "", "请使用POST");
    auto ended = co_await au.logout(req.authorization);
    if (!ended) co_return unavailable();
    if (!*ended) co_return responses::unauthenticated("未登录或登录已结束");
    co_return json(200, R"({"status":"logged_out"})");
  }
  constexpr std::string_view jobs = "/v1/crew/jobs";
  constexpr std::string_view manager = "/v1/manager/jobs/";
  constexpr std::string_view station = "/v1/station/jobs/";
  if (!path.starts_with(jobs) && !path.starts_with(manager) && !path.starts_with(station)) co_return std::nullopt;

  auto who = co_await au.authenticate(req.authorization);
  if (!who) co_return unavailable();
  if (!*who) co_return responses::unauthenticated();
  const auto& member = **who;
  if (path.starts_with(manager)) co_return co_await desk(eng, au, req, member, path.substr(manager.size()), false);
  if (path.starts_with(station)) co_return co_await desk(eng, au, req, member, path.substr(station.size()), true);

  auto rest = path.substr(jobs.size());
  if (rest.empty() || rest == "/") {
    if (req.method != "GET") co_return error(405, "method_not_allowed", "", "请使用GET");
    auto list = co_await eng.jobs_for(member);
    if (!list) co_return unavailable();
    for (auto& wo : *list) wo = sla::list_view(shown_to(std::move(wo), member));
    co_return json(200, codec::render_job_list(*list, eng.now(), member));
  }
  if (rest[0] != '/') co_return error(404, "not_found", "", "没有这个接口");
  rest.remove_prefix(1);
  auto slash = rest.find('/');
  std::string id(rest.substr(0, slash));
  if (slash == std::string_view::npos) {
    if (req.method != "GET") co_return error(405, "method_not_allowed", "", "请使用GET");
    co_return outcome(co_await eng.view(member, id), member);
  }
  auto kind = channels::action_from_path(rest.substr(slash + 1));
  if (!kind) co_return error(404, "not_found", "", "没有这个操作");
  if (req.method != "POST") co_return error(405, "method_not_allowed", "", "请使用POST");
  auto p = channels::parse_crew_action(req.body, req.content_type, *kind);
  if (!p.ok) co_return error(p.error.status, p.error.code, p.error.field, p.error.message);
  co_return outcome(co_await eng.act(member, id, std::move(p.action)), member);
}

}  // namespace halfhour
