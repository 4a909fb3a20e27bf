#include "dispatcher/intake_routes.hpp"

#include <boost/json.hpp>

#include "adapters/channels/community.hpp"
#include "adapters/channels/hotline.hpp"
#include "adapters/codec.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/responses.hpp"
#include "sla/calendar.hpp"
#include "sla/text.hpp"

namespace halfhour {

namespace asio = boost::asio;

namespace {

using responses::error;
using responses::json;

std::string minutes(sla::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::minutes>(d).count()) + "分钟";
}

// What the resident is told back through the channel, in one line.
std::string reply_for(const ingest_outcome& o) {
  const auto& wo = o.order.wo;
  switch (o.what) {
    case ingest_outcome::kind::not_a_request: return {};
    case ingest_outcome::kind::linked:
      return "【已并入】您反映的问题已有工单" + wo.id + "正在处理（" + o.reason + "），当前状态：" +
             sla::name_of(wo.state) + "，责任单位：" + wo.holder + "。";
    case ingest_outcome::kind::repeat:
      return "【已受理】该报修已登记为工单" + wo.id + "（" + std::string(sla::name_of(wo.cls)) + "·" +
             wo.cls.category_name + "），当前状态：" + sla::name_of(wo.state) + "，责任单位：" + wo.holder + "。";
    case ingest_outcome::kind::created: break;
  }
  std::string promise;
  const bool urgent = wo.cls.level == sla::urgency::urgent;
  if (const auto* c = wo.find(sla::clock_kind::first_contact))
    promise = "物业将在" + std::to_string(c->working_days) + "个工作日内（" + sla::shanghai_minute(c->deadline) +
              "前）与您联系";
  else if (const auto* clock = wo.find(urgent ? sla::clock_kind::on_site : sla::clock_kind::contact))
    promise =
        urgent ? "维修人员将在" + minutes(clock->limit) + "内到场" : "物业将在" + minutes(clock->limit) + "内与您联系";
  std::string text = "【已受理】工单号" + wo.id + "，" + std::string(sla::name_of(wo.cls)) + "（" +
                     wo.cls.category_name + "），" + promise + "，责任单位：" + wo.holder + "。";
  if (!wo.cls.advice.empty()) text += wo.cls.advice;
  return text;
}

http::response receipt(const boost::system::result<ingest_outcome>& r) {
  if (!r) return responses::unavailable();
  const char* outcome = "created";
  int status = 201;
  switch (r->what) {
    case ingest_outcome::kind::created: break;
    case ingest_outcome::kind::repeat: outcome = "repeat", status = 200; break;
    case ingest_outcome::kind::linked: outcome = "linked", status = 200; break;
    case ingest_outcome::kind::not_a_request: outcome = "not_a_request", status = 200; break;
  }
  const auto* wo = r->what == ingest_outcome::kind::not_a_request ? nullptr : &r->order.wo;
  auto res = json(status, codec::render_receipt(outcome, wo, r->reason, reply_for(*r)));
  if (wo) res.headers.emplace_back("Location", "/v1/work-orders/" + wo->id);
  return res;
}

asio::awaitable<http::response> bot_post(route_context& c, const http::request& req, bool wechat) {
  if (auto refused = responses::check_door_key(c.opt.channel_keys, req.api_key)) co_return std::move(*refused);
  auto p = wechat ? channels::parse_wechat(req.body, req.content_type, c.opt.wechat_groups)
                  : channels::parse_community_cloud(req.body, req.content_type);
  if (!p.ok) co_return responses::refusal(p.error);
  co_return receipt(co_await c.eng.ingest(std::move(p.req)));
}

std::vector<std::string> communities_of(const engine& eng, const std::string& committee) {
  std::vector<std::string> out;
  for (const auto& community : eng.resolver().dir().communities)
    if (community.committee == committee) out.push_back(community.name);
  return out;
}

// The committee member behind the request, or the answer that refuses it.
asio::awaitable<std::variant<sla::member, http::response>> committee_member(route_context& c,
                                                                            const http::request& req) {
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  auto m = std::get<sla::member>(std::move(who));
  if (!sla::may_register_walk_in(m)) co_return error(403, "forbidden", "", "只有居委工作人员可以登记来访和意见箱报修");
  co_return m;
}

}  // namespace

// A new ticket is answered with its work order (201): what the hotline sent and what the engine
// decided. A retry, or a ticket joined to an open job as the same incident, is answered (200)
// with that job's receipt view: id, state, holder, clocks — never a reporter's data or a staff
// phone, whoever replays a ticket number.
asio::awaitable<http::response> post_hotline_ticket(route_context& c, http::request req, path_params) {
  if (auto refused = responses::check_door_key(c.opt.hotline_keys, req.api_key)) co_return std::move(*refused);
  auto parsed = channels::parse_hotline_ticket(req.body, req.content_type);
  if (!parsed.ok) co_return responses::refusal(parsed.error);
  auto r = co_await c.eng.ingest(std::move(parsed.req));
  if (!r) co_return responses::store_failure(r.error());
  const auto format = responses::wanted_format(req);
  if (r->what == ingest_outcome::kind::created) co_return responses::order(201, r->order, format);
  stored_order receipt_only{sla::receipt_view(r->order.wo), {}, {}};
  auto res = responses::order(200, receipt_only, format);
  if (r->what == ingest_outcome::kind::linked) res.headers.emplace_back("Halfhour-Linked", r->order.wo.id);
  co_return res;
}

asio::awaitable<http::response> post_community_cloud(route_context& c, http::request req, path_params) {
  co_return co_await bot_post(c, req, false);
}

asio::awaitable<http::response> post_wechat(route_context& c, http::request req, path_params) {
  co_return co_await bot_post(c, req, true);
}

asio::awaitable<http::response> post_walk_in(route_context& c, http::request req, path_params) {
  auto who = co_await committee_member(c, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto& m = std::get<sla::member>(who);
  auto p = channels::parse_walk_in(req.body, req.content_type, m.organisation, communities_of(c.eng, m.organisation));
  if (!p.ok) co_return responses::refusal(p.error);
  co_return receipt(co_await c.eng.ingest(std::move(p.req)));
}

asio::awaitable<http::response> get_walk_in_communities(route_context& c, http::request req, path_params) {
  auto who = co_await committee_member(c, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto& m = std::get<sla::member>(who);
  boost::json::array names;
  for (const auto& name : communities_of(c.eng, m.organisation)) names.emplace_back(name);
  boost::json::object body{{"committee", m.organisation}, {"name", m.name}, {"communities", std::move(names)}};
  co_return json(200, boost::json::serialize(body));
}

}  // namespace halfhour
