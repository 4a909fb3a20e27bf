#include "dispatcher/channel_routes.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "adapters/channels/community.hpp"
#include "adapters/channels/crew.hpp"
#include "adapters/codec.hpp"
#include "adapters/crypto.hpp"
#include "adapters/errors.hpp"
#include "dispatcher/responses.hpp"
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
      return "【已并入】您反映的问题已有工单" + wo.id + "正在处理（" + o.reason + "），当前状态：" + sla::name_of(wo.state) +
             "，责任单位：" + wo.holder + "。";
    case ingest_outcome::kind::repeat:
      return "【已受理】该报修已登记为工单" + wo.id + "（" +
             (wo.cls.level == sla::urgency::urgent ? "急修·" : "一般性维修·") + wo.cls.category_name +
             "），当前状态：" + sla::name_of(wo.state) + "，责任单位：" + wo.holder + "。";
    case ingest_outcome::kind::created: break;
  }
  std::string promise;
  if (const auto* c = wo.find(wo.cls.level == sla::urgency::urgent ? sla::clock_kind::on_site : sla::clock_kind::contact))
    promise = wo.cls.level == sla::urgency::urgent ? "维修人员将在" + minutes(c->limit) + "内到场"
                                                   : "物业将在" + minutes(c->limit) + "内与您联系";
  std::string text = "【已受理】工单号" + wo.id + "，" +
                     (wo.cls.level == sla::urgency::urgent ? "急修（" : "一般性维修（") + wo.cls.category_name + "），" +
                     promise + "，责任单位：" + wo.holder + "。";
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

using responses::client_of;

http::response refusal(const input_error& e) { return error(e.status, e.code, e.field, e.message); }

asio::awaitable<http::response> bot_post(engine& eng, const route_options& opt, const http::request& req,
                                         bool wechat) {
  if (req.method != "POST") co_return error(405, "method_not_allowed", "", "请使用POST");
  if (auto refused = responses::check_door_key(opt.channel_keys, req.api_key)) co_return std::move(*refused);
  auto p = wechat ? channels::parse_wechat(req.body, req.content_type, opt.wechat_groups)
                  : channels::parse_community_cloud(req.body, req.content_type);
  if (!p.ok) co_return refusal(p.error);
  co_return receipt(co_await eng.ingest(std::move(p.req)));
}

std::vector<std::string> communities_of(const engine& eng, const std::string& committee) {
  std::vector<std::string> out;
  for (const auto& c : eng.resolver().dir().communities)
    if (c.committee == committee) out.push_back(c.name);
  return out;
}

asio::awaitable<http::response> walk_in(engine& eng, auth& au, const http::request& req, bool list) {
  auto who = co_await au.authenticate(req.authorization);
  if (!who) co_return responses::unavailable("存储暂不可用，请稍后重试");
  if (!*who) co_return responses::unauthenticated();
  const auto& m = **who;
  if (m.kind != sla::role::committee) co_return error(403, "forbidden", "", "只有居委工作人员可以登记来访和意见箱报修");
  auto communities = communities_of(eng, m.organisation);
  if (list) {
    if (req.method != "GET") co_return error(405, "method_not_allowed", "", "请使用GET");
    boost::json::array names;
    for (const auto& c : communities) names.emplace_back(c);
    boost::json::object body{{"committee", m.organisation}, {"name", m.name}, {"communities", std::move(names)}};
    co_return json(200, boost::json::serialize(body));
  }
  if (req.method != "POST") co_return error(405, "method_not_allowed", "", "请使用POST");
  auto p = channels::parse_walk_in(req.body, req.content_type, m.organisation, communities);
  if (!p.ok) co_return refusal(p.error);
  co_return receipt(co_await eng.ingest(std::move(p.req)));
}

asio::awaitable<http::response> unlink(engine& eng, auth& au, const http::request& req, std::string id) {
  if (req.method != "POST") co_return error(405, "method_not_allowed", "", "请使用POST");
  auto who = co_await au.authenticate(req.authorization);
  if (!who) co_return responses::unavailable("存储暂不可用，请稍后重试");
  if (!*who) co_return responses::unauthenticated();
  auto key = channels::parse_unlink(req.body, req.content_type);
  if (!key.ok) co_return refusal(key.error);
  auto r = co_await eng.unlink(**who, std::move(id), std::move(key.value));
  if (!r) co_return r.error() == errc::conflict ? error(409, "busy", "", "工单正被他人更新，请重试")
                                                : responses::unavailable("存储暂不可用，请稍后重试");
  switch (r->what) {
    case act_outcome::kind::applied:
    case act_outcome::kind::duplicate: {
      // The split job may have gone to another firm: whoever may not see it learns its id, state
      // and holder, nothing else.
      const int status = r->what == act_outcome::kind::applied ? 201 : 200;
      const auto& m = **who;
      if (sla::may_see(r->order.wo, m) != sla::access::allowed)
        co_return json(status, codec::render_work_order(sla::receipt_view(r->order.wo), {}, codec::format::json, {}));
      co_return json(status, codec::render_work_order(responses::shown_to(r->order.wo, m), r->order.history,
                                                      codec::format::json, r->order.notices));
    }
    case act_outcome::kind::refused: co_return error(409, "not_linked", "key", r->reason);
    case act_outcome::kind::forbidden:
      co_return error(403, "forbidden", "", "只有应急维修服务站、建管中心或责任物业经理可以拆分工单");
    case act_outcome::kind::moved:
    case act_outcome::kind::not_found: co_return error(404, "not_found", "", "工单不存在");
  }
  co_return responses::unavailable();
}

// POST /v1/work-orders/{id}/reclassify: 200 when applied (or a retry), 202 when a crew's request
// went to the station.
asio::awaitable<http::response> reclassify(engine& eng, auth& au, const http::request& req, std::string id) {
  if (req.method != "POST") co_return error(405, "method_not_allowed", "", "请使用POST");
  auto who = co_await au.authenticate(req.authorization);
  if (!who) co_return responses::unavailable("存储暂不可用，请稍后重试");
  if (!*who) co_return responses::unauthenticated();
  auto p = channels::parse_reclassify(req.body, req.content_type);
  if (!p.ok) co_return refusal(p.error);
  sla::reclassification r;
  r.cls.level = p.level;
  if (!p.category.empty()) {
    const auto* rule = eng.classifier().find(p.category);
    if (!rule) co_return error(400, "invalid_field", "category", "没有这个类别：" + p.category);
    r.cls.category = rule->code;
    r.cls.category_name = rule->name;
    r.cls.advice = rule->advice;
  }
  r.cls.reasons.push_back({"operator", {}, "人工改判：" + p.reason});
  r.reason = p.reason;
  r.request_id = p.request_id;
  const auto& m = **who;
  auto out = co_await eng.reclassify(m, std::move(id), std::move(r));
  if (!out) co_return out.error() == errc::conflict ? error(409, "busy", "", "工单正被他人更新，请重试")
                                                    : responses::unavailable("存储暂不可用，请稍后重试");
  switch (out->what) {
    case act_outcome::kind::applied:
    case act_outcome::kind::duplicate: {
      const bool asked = out->what == act_outcome::kind::applied &&
                         sla::may_reclassify(out->order.wo, m) == sla::reclassify_right::request;
      co_return json(asked ? 202 : 200, codec::render_work_order(responses::shown_to(out->order.wo, m),
                                                                 out->order.history, codec::format::json,
                                                                 out->order.notices));
    }
    case act_outcome::kind::refused: co_return error(409, "not_applicable", "", out->reason);
    case act_outcome::kind::forbidden:
      co_return error(403, "forbidden", "", "只有应急维修服务站、建管中心或责任物业经理可以改判（维修人员可申请改判）");
    case act_outcome::kind::moved:
    case act_outcome::kind::not_found: co_return error(404, "not_found", "", "工单不存在");
  }
  co_return responses::unavailable();
}

// ---- Open311 GeoReport v2 ----

http::response o311(int status, std::string body) { return json(status, std::move(body)); }
http::response o311_error(int status, std::string_view description) {
  return json(status, channels::open311::render_error(status, description));
}

asio::awaitable<http::response> o311_post(engine& eng, const route_options& opt, const http::request& req) {
  std::vector<std::string> codes;
  for (const auto& s : opt.services) codes.push_back(s.code);
  auto p = channels::open311::parse_post(req.body, req.content_type, req.idempotency_key, codes);
  // The key before the fields: an unknown client learns nothing about what it sent.
  if (!p.readable) co_return o311_error(p.parsed.error.status, p.parsed.error.message);
  if (!client_of(opt.open311_keys, p.api_key)) co_return o311_error(403, "api_key缺失或无效");
  if (!p.parsed.ok) co_return o311_error(p.parsed.error.status, p.parsed.error.message);
  auto r = co_await eng.ingest(std::move(p.parsed.req));
  if (!r) co_return o311_error(503, "存储暂不可用，请求未被受理，请稍后重试");
  co_return o311(r->what == ingest_outcome::kind::created ? 201 : 200,
                 channels::open311::render_posted(r->order.wo));
}

asio::awaitable<http::response> o311_list(engine& eng, const route_options& opt, const http::request& req) {
  const auto q_at = req.target.find('?');
  auto parsed = channels::open311::parse_query(q_at == std::string::npos ? std::string_view{}
                                                                         : std::string_view(req.target).substr(q_at + 1));
  if (!parsed.ok) co_return o311_error(parsed.error.status, parsed.error.message);
  auto& q = parsed.q;
  if (!client_of(opt.open311_keys, q.api_key.empty() ? req.api_key : q.api_key))
    co_return o311_error(403, "api_key缺失或无效");
  std::vector<std::string> ids = q.ids;
  if (ids.empty()) {
    // The spec's default: the last 90 days, at most 1,000 requests — the newest 1,000.
    const auto end = q.end.value_or(eng.now() + std::chrono::seconds{1});
    const auto start = q.start.value_or(end - std::chrono::hours{24 * 90});
    auto found = co_await eng.accepted_between(start, end, 5'000'000);
    if (!found) co_return o311_error(503, "存储暂不可用，请稍后重试");
    ids = std::move(*found);
    constexpr std::size_t most = 1000;
    if (ids.size() > most) ids.erase(ids.begin(), ids.end() - most);
  }
  auto orders = co_await eng.load_many(std::move(ids));
  if (!orders) co_return o311_error(503, "存储暂不可用，请稍后重试");
  std::erase_if(*orders, [&](const sla::work_order& wo) { return !channels::open311::matches(q, wo); });
  co_return o311(200, channels::open311::render_requests(*orders));
}

asio::awaitable<http::response> o311_one(engine& eng, const route_options& opt, const http::request& req,
                                         std::string id) {
  auto key = responses::query_param(req.target, "api_key");
  if (!client_of(opt.open311_keys, key && !key->empty() ? *key : req.api_key))
    co_return o311_error(403, "api_key缺失或无效");
  auto o = co_await eng.get(std::move(id));
  if (!o) {
    if (o.error() == errc::not_found) co_return o311_error(404, "没有这个service_request_id");
    co_return o311_error(503, "存储暂不可用，请稍后重试");
  }
  std::vector<sla::work_order> one{std::move(o->wo)};
  co_return o311(200, channels::open311::render_requests(one));
}

}  // namespace

asio::awaitable<std::optional<http::response>> route_channels(engine& eng, auth& au, const route_options& opt,
                                                              const http::request& req) {
  const auto path = responses::path_of(req.target);
  if (path == "/v1/channels/community-cloud") co_return co_await bot_post(eng, opt, req, false);
  if (path == "/v1/channels/wechat") co_return co_await bot_post(eng, opt, req, true);
  if (path == "/v1/channels/walk-in") co_return co_await walk_in(eng, au, req, false);
  if (path == "/v1/channels/walk-in/communities") co_return co_await walk_in(eng, au, req, true);

  constexpr std::string_view orders = "/v1/work-orders/";
  if (path.starts_with(orders) && path.ends_with("/unlink")) {
    auto id = path.substr(orders.size(), path.size() - orders.size() - std::string_view("/unlink").size());
    if (!id.empty() && id.find('/') == std::string_view::npos) co_return co_await unlink(eng, au, req, std::string(id));
  }
  if (path.starts_with(orders) && path.ends_with("/reclassify")) {
    auto id = path.substr(orders.size(), path.size() - orders.size() - std::string_view("/reclassify").size());
    if (!id.empty() && id.find('/') == std::string_view::npos)
      co_return co_await reclassify(eng, au, req, std::string(id));
  }

  constexpr std::string_view o311_root = "/open311/v2/";
  if (!path.starts_with(o311_root)) co_return std::nullopt;
  const auto rest = path.substr(o311_root.size());
  if (rest == "services.json") {
    if (req.method != "GET") co_return o311_error(405, "请使用GET");
    co_return o311(200, channels::open311::render_services(opt.services));
  }
  if (rest == "requests.json") {
    if (req.method == "POST") co_return co_await o311_post(eng, opt, req);
    if (req.method == "GET") co_return co_await o311_list(eng, opt, req);
    co_return o311_error(405, "请使用GET或POST");
  }
  constexpr std::string_view one = "requests/";
  if (rest.starts_with(one) && rest.ends_with(".json") && rest.size() > one.size() + 5) {
    if (req.method != "GET") co_return o311_error(405, "请使用GET");
    co_return co_await o311_one(eng, opt, req, std::string(rest.substr(one.size(), rest.size() - one.size() - 5)));
  }
  if (rest == "services/" || rest.starts_with("services/")) co_return o311_error(404, "本服务没有附加属性（metadata为false）");
  co_return o311_error(404, "没有这个接口");
}

}  // namespace halfhour
