#include "dispatcher/order_routes.hpp"

#include <boost/json.hpp>

#include "adapters/channels/crew.hpp"
#include "adapters/channels/search.hpp"
#include "adapters/codec.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/responses.hpp"

namespace halfhour {

namespace asio = boost::asio;

namespace {

using responses::error;
using responses::json;

http::response full_order(int status, const stored_order& o, const sla::member& who) {
  return json(status,
              codec::render_work_order(responses::shown_to(o.wo, who), o.history, codec::format::json, o.notices));
}

}  // namespace

// A work order for whoever may see it (sla::may_see): the holder, the firm on record, the station, the
// committee, the centre. Reporters' phones only to those who need them.
asio::awaitable<http::response> get_work_order(route_context& c, http::request req, path_params p) {
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto& m = std::get<sla::member>(who);
  auto r = co_await c.eng.view(m, p.at("id"));
  if (!r) co_return responses::store_failure(r.error());
  switch (r->what) {
    case act_outcome::kind::forbidden: co_return error(403, "forbidden", "", "这不是您单位的工单");
    case act_outcome::kind::not_found: co_return error(404, "not_found", "", "工单不存在");
    default: break;
  }
  r->order.wo = responses::shown_to(std::move(r->order.wo), m);
  co_return responses::order(200, r->order, responses::wanted_format(req));
}

// Finding jobs by ticket number, phone, community, state and time: every member signed in, each
// finding only the jobs it may see, phones masked as on the job itself.
asio::awaitable<http::response> get_work_orders(route_context& c, http::request req, path_params) {
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto& m = std::get<sla::member>(who);
  const auto q_at = req.target.find('?');
  auto parsed = channels::parse_search(q_at == std::string::npos ? std::string_view{}
                                                                 : std::string_view(req.target).substr(q_at + 1));
  if (!parsed.ok) co_return responses::refusal(parsed.error);
  auto& q = parsed.q;
  const auto now = c.eng.now();
  const auto to = q.to.value_or(now + std::chrono::seconds{1});
  engine::search_request s;
  // A ticket number is looked up whenever its job was accepted; a scan reads the last 92 days
  // unless told otherwise.
  constexpr auto quarter = std::chrono::hours{24 * 92};
  s.from = q.from.value_or(q.filter.ticket_no.empty() ? to - quarter : sla::instant{});
  s.below = q.cursor.value_or(sla::index_position{to, ""});
  s.limit = q.limit;
  s.filter = std::move(q.filter);
  auto page = co_await c.eng.search(m, std::move(s));
  if (!page) co_return responses::store_failure(page.error());
  for (auto& wo : page->orders) wo = sla::list_view(responses::shown_to(std::move(wo), m));
  co_return json(200, codec::render_search_page(page->orders, page->next ? channels::render_cursor(*page->next) : "",
                                                page->scanned, now));
}

// The directory for the operators' console: where the station routes a job, which committee and
// firm each community has. Names only, nothing of any resident; any member signed in.
asio::awaitable<http::response> get_directory_communities(route_context& c, http::request req, path_params) {
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  boost::json::array list;
  for (const auto& community : c.eng.resolver().dir().communities)
    list.push_back(
        boost::json::object{{"name", community.name}, {"committee", community.committee}, {"firm", community.firm}});
  co_return json(200, boost::json::serialize(boost::json::object{{"communities", std::move(list)}}));
}

asio::awaitable<http::response> post_unlink(route_context& c, http::request req, path_params p) {
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto& m = std::get<sla::member>(who);
  auto key = channels::parse_unlink(req.body, req.content_type);
  if (!key.ok) co_return responses::refusal(key.error);
  auto r = co_await c.eng.unlink(m, p.at("id"), std::move(key.value));
  if (!r) co_return responses::store_failure(r.error());
  switch (r->what) {
    case act_outcome::kind::applied:
    case act_outcome::kind::shown:  // not an action's answer; as a read, the job as it stands
    case act_outcome::kind::duplicate: {
      // The split job may have gone to another firm: whoever may not see it learns its id, state
      // and holder, nothing else.
      const int status = r->what == act_outcome::kind::applied ? 201 : 200;
      if (sla::may_see(r->order.wo, m) != sla::access::allowed)
        co_return json(status, codec::render_work_order(sla::receipt_view(r->order.wo), {}, codec::format::json, {}));
      co_return full_order(status, r->order, m);
    }
    case act_outcome::kind::refused: co_return error(409, "not_linked", "key", r->reason);
    case act_outcome::kind::forbidden:
      co_return error(403, "forbidden", "", "只有应急维修服务站、建管中心或责任物业经理可以拆分工单");
    case act_outcome::kind::moved:
    case act_outcome::kind::not_found: co_return error(404, "not_found", "", "工单不存在");
  }
  co_return responses::unavailable();
}

// 200 when applied (or a retry), 202 when a crew's request went to the station.
asio::awaitable<http::response> post_reclassify(route_context& c, http::request req, path_params p) {
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto& m = std::get<sla::member>(who);
  auto parsed = channels::parse_reclassify(req.body, req.content_type);
  if (!parsed.ok) co_return responses::refusal(parsed.error);
  sla::reclassification r;
  if (!parsed.category.empty()) {
    const auto* rule = c.eng.classifier().find(parsed.category);
    if (!rule) co_return error(400, "invalid_field", "category", "没有这个类别：" + parsed.category);
    sla::take_category(r.cls, *rule);
  }
  r.cls.level = parsed.level;  // the operator's urgency, whatever the category's own
  r.cls.reasons.push_back({"operator", {}, "人工改判：" + parsed.reason});
  r.reason = parsed.reason;
  r.request_id = parsed.request_id;
  auto out = co_await c.eng.reclassify(m, p.at("id"), std::move(r));
  if (!out) co_return responses::store_failure(out.error());
  switch (out->what) {
    case act_outcome::kind::applied:
    case act_outcome::kind::shown:  // not an action's answer; as a read, the job as it stands
    case act_outcome::kind::duplicate: {
      const bool asked = out->what == act_outcome::kind::applied &&
                         sla::may_reclassify(out->order.wo, m) == sla::reclassify_right::request;
      co_return full_order(asked ? 202 : 200, out->order, m);
    }
    case act_outcome::kind::refused: co_return error(409, "not_applicable", "", out->reason);
    case act_outcome::kind::forbidden:
      co_return error(403, "forbidden", "", "只有应急维修服务站、建管中心或责任物业经理可以改判（维修人员可申请改判）");
    case act_outcome::kind::moved:
    case act_outcome::kind::not_found: co_return error(404, "not_found", "", "工单不存在");
  }
  co_return responses::unavailable();
}

}  // namespace halfhour
