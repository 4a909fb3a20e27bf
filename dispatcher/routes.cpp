#include "dispatcher/routes.hpp"

#include "dispatcher/board.hpp"
#include "dispatcher/boundary.hpp"
#include "dispatcher/crew_routes.hpp"
#include "dispatcher/intake_routes.hpp"
#include "dispatcher/open311_routes.hpp"
#include "dispatcher/callback_routes.hpp"
#include "dispatcher/order_routes.hpp"
#include "dispatcher/rate_routes.hpp"
#include "dispatcher/responses.hpp"
#include "dispatcher/service_routes.hpp"
#include "dispatcher/sms_routes.hpp"

namespace halfhour {

namespace asio = boost::asio;

namespace {

using namespace std::chrono_literals;

bool open311_path(std::string_view path) { return path.starts_with("/open311/"); }

// An error in the shape the path's clients read: Open311's array, or {"error": …}.
http::response error_for(std::string_view path, int status, std::string_view code, std::string_view message) {
  if (open311_path(path)) return open311_error(status, message);
  return responses::error(status, code, "", message);
}

asio::awaitable<http::response> run_bounded(route_context& c, const endpoint& e, http::request req,
                                            path_params params) {
  const std::string path(responses::path_of(req.target));
  // Named, not built inside the co_await (g++ 12 destroys such lambdas twice).
  answer_fn handle = [&c, &e, req = std::move(req), params = std::move(params)]() mutable {
    return e.handle(c, std::move(req), std::move(params));
  };
  error_fn error = [path](int status, std::string_view code, std::string_view message) {
    return error_for(path, status, code, message);
  };
  co_return co_await answer_within(e.limit, std::move(handle), std::move(error),
                                   e.pattern.method + " " + e.pattern.path);
}

std::vector<route_pattern> patterns_of(const std::vector<endpoint>& table) {
  std::vector<route_pattern> out;
  out.reserve(table.size());
  for (const auto& e : table) out.push_back(e.pattern);
  return out;
}

struct api {
  route_context context;
  std::vector<endpoint> table;
  std::vector<route_pattern> patterns;
};

asio::awaitable<http::response> route(std::shared_ptr<api> a, http::request req) {
  const std::string path(responses::path_of(req.target));
  auto m = match_route(a->patterns, req.method, path);
  switch (m.what) {
    case route_match::kind::found:
      co_return co_await run_bounded(a->context, a->table[m.index], std::move(req), std::move(m.params));
    case route_match::kind::method_not_allowed: {
      std::string allowed;
      for (const auto& method : m.allowed) allowed += (allowed.empty() ? "" : "或") + method;
      auto r = error_for(path, 405, "method_not_allowed", "请使用" + allowed);
      std::string header;
      for (const auto& method : m.allowed) header += (header.empty() ? "" : ", ") + method;
      r.headers.emplace_back("Allow", header);
      co_return r;
    }
    case route_match::kind::not_found: break;
  }
  co_return error_for(path, 404, "not_found", "没有这个接口");
}

}  // namespace

std::vector<endpoint> endpoint_table() {
  return {
      {{"POST", "/v1/hotline/tickets"}, post_hotline_ticket},
      {{"POST", "/v1/hotline/callbacks"}, post_hotline_callback},
      {{"POST", "/v1/channels/community-cloud"}, post_community_cloud},
      {{"POST", "/v1/channels/wechat"}, post_wechat},
      {{"POST", "/v1/channels/walk-in"}, post_walk_in},
      {{"GET", "/v1/channels/walk-in/communities"}, get_walk_in_communities},
      {{"GET", "/v1/work-orders"}, get_work_orders},
      {{"GET", "/v1/directory/communities"}, get_directory_communities},
      {{"GET", "/v1/work-orders/{id}"}, get_work_order},
      {{"POST", "/v1/work-orders/{id}/unlink"}, post_unlink},
      {{"POST", "/v1/work-orders/{id}/reclassify"}, post_reclassify},
      {{"POST", "/v1/work-orders/{id}/callback"}, post_work_order_callback},
      {{"GET", "/v1/ratings/{token}"}, get_rating},
      {{"POST", "/v1/ratings/{token}"}, post_rating},
      {{"POST", "/v1/auth/login"}, post_login},
      {{"POST", "/v1/auth/logout"}, post_logout},
      {{"GET", "/v1/crew/jobs"}, get_my_jobs},
      {{"GET", "/v1/crew/jobs/"}, get_my_jobs},
      {{"GET", "/v1/crew/jobs/{id}"}, get_my_job},
      {{"POST", "/v1/crew/jobs/{id}/{action}"}, post_job_action},
      {{"POST", "/v1/manager/jobs/{id}/assign"}, post_assign},
      {{"POST", "/v1/station/jobs/{id}/route"}, post_station_route},
      {{"POST", "/v1/sms/inbound/aliyun"}, post_sms_aliyun},
      {{"POST", "/v1/sms/inbound/tencent"}, post_sms_tencent},
      {{"GET", "/v1/board"}, get_board},
      {{"GET", "/v1/board/events"}, get_board_events},
      // A month of histories, read at most every ten minutes.
      {{"GET", "/v1/board/scorecard"}, get_board_scorecard, 120s},
      {{"GET", "/v1/console/events"}, get_console_events},
      // A month's report reads every work order of two months: give it time.
      {{"GET", "/v1/reports/breaches"}, get_breach_report, 120s},
      {{"GET", "/open311/v2/services.json"}, get_open311_services},
      {{"GET", "/open311/v2/services/*"}, get_open311_service_definition},
      {{"POST", "/open311/v2/requests.json"}, post_open311_request},
      {{"GET", "/open311/v2/requests.json"}, get_open311_requests, 60s},
      {{"GET", "/open311/v2/requests/{id}.json"}, get_open311_request},
      {{"GET", "/healthz"}, get_healthz},
      {{"GET", "/readyz"}, get_readyz},
      {{"GET", "/metrics"}, get_metrics},
      {{"GET", "/"}, redirect_to_page},
      {{"GET", "/crew"}, redirect_to_page},
      {{"GET", "/walk-in"}, redirect_to_page},
      {{"GET", "/board"}, redirect_to_page},
      {{"GET", "/console"}, redirect_to_page},
      {{"GET", "/crew/*"}, get_page},
      {{"GET", "/walk-in/*"}, get_page},
      {{"GET", "/board/*"}, get_page},
      {{"GET", "/console/*"}, get_page},
      {{"GET", "/common/*"}, get_page},
      {{"GET", "/rate/*"}, get_page},
      {{"GET", "/r/{token}"}, get_rate_page},
  };
}

http::handler make_routes(engine& eng, auth& au, const route_options& opt) {
  auto board = std::make_shared<board_feed>(eng, au, opt.board_max_streams);
  auto table = endpoint_table();
  auto patterns = patterns_of(table);
  auto a = std::make_shared<api>(api{{eng, au, *board, opt}, std::move(table), std::move(patterns)});
  return [a, board](http::request req) { return route(a, std::move(req)); };
}

}  // namespace halfhour
