#include "dispatcher/callback_routes.hpp"

#include "adapters/channels/callback.hpp"
#include "adapters/codec.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/responses.hpp"

namespace halfhour {

namespace asio = boost::asio;

namespace {

using responses::error;
using responses::json;

// What an answer did: the job as its receipt (the hotline: no reporter, no staff) or whole (the
// centre); a job not yet done is 409, an unknown one 404.
http::response answered(const boost::system::result<act_outcome>& out, const sla::member* centre,
                        const http::request& req) {
  if (!out) return responses::store_failure(out.error());
  switch (out->what) {
    case act_outcome::kind::applied:
    case act_outcome::kind::shown:
    case act_outcome::kind::duplicate:
      if (centre)
        return json(200, codec::render_work_order(responses::shown_to(out->order.wo, *centre), out->order.history,
                                                  codec::format::json, out->order.notices));
      return responses::order(200, stored_order{sla::receipt_view(out->order.wo), {}, {}},
                              responses::wanted_format(req));
    case act_outcome::kind::refused: return error(409, "not_done", "", out->reason);
    case act_outcome::kind::forbidden: return error(403, "forbidden", "", "只有建管中心可以登记回访结果");
    case act_outcome::kind::moved:
    case act_outcome::kind::not_found: return error(404, "not_found", "", "工单不存在");
  }
  return responses::unavailable();
}

}  // namespace

asio::awaitable<http::response> post_hotline_callback(route_context& c, http::request req, path_params) {
  if (auto refused = responses::check_door_key(c.opt.hotline_keys, req.api_key)) co_return std::move(*refused);
  auto parsed = channels::parse_callback(req.body, req.content_type, channels::callback_from::hotline);
  if (!parsed.ok) co_return responses::refusal(parsed.error);
  auto id = co_await c.eng.job_of_ticket(parsed.ticket_no);
  if (!id) co_return responses::store_failure(id.error());
  if (!*id) co_return error(404, "not_found", "ticket_no", "没有这个12345工单：" + parsed.ticket_no);
  std::optional<sla::member> hotline;  // named: no temporaries inside a co_await (g++ 12)
  auto out = co_await c.eng.rate(std::move(hotline), std::move(**id), std::move(parsed.cb), parsed.called_at_given);
  co_return answered(out, nullptr, req);
}

asio::awaitable<http::response> post_work_order_callback(route_context& c, http::request req, path_params p) {
  auto who = co_await responses::signed_in(c.au, req);
  if (auto* refused = std::get_if<http::response>(&who)) co_return std::move(*refused);
  const auto m = std::get<sla::member>(who);
  if (m.kind != sla::role::supervisor) co_return error(403, "forbidden", "", "只有建管中心可以登记回访结果");
  auto parsed = channels::parse_callback(req.body, req.content_type, channels::callback_from::centre);
  if (!parsed.ok) co_return responses::refusal(parsed.error);
  parsed.cb.by = m.organisation.empty() ? m.name : m.organisation + " " + m.name;
  std::optional<sla::member> by = m;
  auto out = co_await c.eng.rate(std::move(by), p.at("id"), std::move(parsed.cb), parsed.called_at_given);
  co_return answered(out, &m, req);
}

}  // namespace halfhour
