#include "dispatcher/sms_routes.hpp"

#include <spdlog/spdlog.h>

#include "adapters/channels/sms.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/responses.hpp"
#include "sla/sms_reply.hpp"
#include "sla/text.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

namespace {

enum class gateway { aliyun, tencent };

// Each gateway wants its own success body; a redelivery gets it too.
http::response received(gateway g) {
  return responses::json(200,
                         g == gateway::aliyun ? R"({"code":0,"msg":"接收成功"})" : R"({"result":0,"errmsg":"OK"})");
}

// An SMS back to the sender through the outbox, once per inbound message however often the
// gateway delivers it.
asio::awaitable<result<void>> answer(route_context& c, const channels::inbound_sms& m, std::string kind,
                                     std::string text) {
  if (!c.opt.post_once) co_return result<void>{};
  outbox_entry e;
  e.shard = 0;
  e.key = "sms-answer:" + m.id;
  e.to = "sms";
  e.kind = std::move(kind);
  e.text = std::move(text);
  e.ref = m.phone;
  auto posted = co_await c.opt.post_once(e, e.key);
  if (!posted) co_return posted.error();
  if (*posted) c.eng.poke_sender();
  co_return result<void>{};
}

// A reply refused on a job: on the job's record first, then the SMS back; a redelivery finds both
// done (the record by its request id, the answer by its key) and adds neither.
asio::awaitable<result<void>> refuse(route_context& c, const channels::inbound_sms& m, sla::member who, std::string id,
                                     sla::sms_reply reply, std::string why) {
  auto recorded = co_await c.eng.record_refused_reply(who, std::move(id), reply, why, "sms-refused:" + m.id);
  if (!recorded) co_return recorded.error();
  co_return co_await answer(c, m, "sms_refused", sla::sms_refused(reply.code, why));
}

// One reply: the member its phone names, the job its code names, the action its number names,
// through the engine like the phone page's button. Errors only when the store is away.
asio::awaitable<result<void>> take(route_context& c, channels::inbound_sms m) {
  const auto masked = sla::mask_phone(m.phone);
  auto who = co_await c.au.find_member(m.phone);
  if (!who) co_return who.error();
  if (!*who) {
    spdlog::info("sms: {} from {}, who is no member: ignored", m.id, masked);
    co_return result<void>{};
  }
  auto reply = sla::read_reply(m.text);
  if (!reply) {
    spdlog::info("sms: {} from {} is no reply the engine reads: help sent", m.id, masked);
    co_return co_await answer(c, m, "sms_help", sla::sms_help());
  }
  auto id = co_await c.eng.job_by_code(reply->code);
  if (!id) co_return id.error();
  if (!*id) {
    spdlog::info("sms: {} from {} names code {}, which no open job holds: help sent", m.id, masked, reply->code);
    co_return co_await answer(c, m, "sms_help", sla::sms_help(reply->code));
  }
  sla::action a;
  a.kind = reply->kind;
  a.request_id = "sms:" + m.id;  // a redelivery is a retry: applied once
  a.method = "短信";
  if (a.kind == sla::action_kind::hand_over) a.note = "短信回复转应急站";
  a.device_time = m.sent_at;
  auto r = co_await c.eng.act(**who, **id, std::move(a));
  if (!r) co_return r.error();
  std::string why;
  switch (r->what) {
    case act_outcome::kind::applied:
    case act_outcome::kind::duplicate:
    case act_outcome::kind::shown:
      spdlog::info("sms: {} from {} on {} ({}): taken", m.id, masked, **id, reply->code);
      co_return result<void>{};
    case act_outcome::kind::forbidden:
      spdlog::info("sms: {} from {} on {} ({}): not the member's job, refused", m.id, masked, **id, reply->code);
      why = "不是您单位的工单";
      break;
    case act_outcome::kind::refused:
    case act_outcome::kind::moved:
      spdlog::info("sms: {} from {} on {} ({}): refused, {}", m.id, masked, **id, reply->code, r->reason);
      why = r->reason;
      break;
    case act_outcome::kind::not_found: co_return co_await answer(c, m, "sms_help", sla::sms_help(reply->code));
  }
  co_return co_await refuse(c, m, std::move(**who), std::move(**id), std::move(*reply), std::move(why));
}

asio::awaitable<http::response> inbound(route_context& c, http::request req, gateway g) {
  // Gateways send the key as a header or in the callback URL; without keys the door is closed.
  std::string key = req.api_key;
  if (key.empty()) key = responses::query_param(req.target, "key").value_or("");
  if (c.opt.sms_keys.empty() || !responses::client_of(c.opt.sms_keys, key))
    co_return responses::error(401, "bad_api_key", "X-Api-Key", "X-Api-Key缺失或无效");
  auto p = g == gateway::aliyun ? channels::parse_aliyun_sms(req.body, req.content_type)
                                : channels::parse_tencent_sms(req.body, req.content_type);
  if (!p.ok) co_return responses::refusal(p.error);
  for (auto& m : p.messages) {
    auto done = co_await take(c, std::move(m));
    if (!done) co_return responses::unavailable();  // the gateway delivers again: what was taken stays once
  }
  co_return received(g);
}

}  // namespace

asio::awaitable<http::response> post_sms_aliyun(route_context& c, http::request req, path_params) {
  co_return co_await inbound(c, std::move(req), gateway::aliyun);
}

asio::awaitable<http::response> post_sms_tencent(route_context& c, http::request req, path_params) {
  co_return co_await inbound(c, std::move(req), gateway::tencent);
}

}  // namespace halfhour
