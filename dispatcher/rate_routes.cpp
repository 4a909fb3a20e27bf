#include "dispatcher/rate_routes.hpp"

#include <algorithm>

#include "adapters/channels/callback.hpp"
#include "adapters/codec.hpp"
#include "adapters/errors.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/rating_link.hpp"
#include "dispatcher/responses.hpp"
#include "dispatcher/web_assets.hpp"
#include "sla/messages.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

namespace {

using responses::error;

// What a link may see: its job and its invite, or why not.
struct linked_job {
  stored_order order;
  std::string reporter_key;
};

rating_link::settings links_of(const route_context& c) { return {c.opt.reports.public_url, c.opt.reports.link_secret}; }

http::response invalid_link() { return error(404, "invalid_link", "", "评价链接无效，请核对短信中的链接"); }

// The job the token names, if the token was made for one of its invites; a store failure as
// an error, anything else about the link as nothing.
asio::awaitable<result<std::optional<linked_job>>> read_link(route_context& c, const std::string& token) {
  const auto id = rating_link::work_order_of(token);
  if (!id || !links_of(c).enabled()) co_return std::optional<linked_job>{};
  auto got = co_await c.eng.get(*id);
  if (!got) {
    if (got.error() == errc::not_found) co_return std::optional<linked_job>{};
    co_return got.error();
  }
  auto key = rating_link::reporter_of(links_of(c), got->wo, token);
  if (!key) co_return std::optional<linked_job>{};
  co_return std::optional<linked_job>{linked_job{std::move(*got), std::move(*key)}};
}

http::response shown(int status, const route_context& c, const linked_job& j) {
  const auto& wo = j.order.wo;
  const auto* invite = wo.invite_of(j.reporter_key);
  std::optional<sla::instant> completed;
  for (const auto& e : j.order.history)
    if (e.kind == sla::event_kind::completed) completed = e.at;
  const auto& lim = c.eng.limits();
  codec::rating_page p{.wo = wo,
                       .invite = *invite,
                       .link = sla::rating_link_state(wo, j.reporter_key, lim, c.eng.now()),
                       .expires_at = invite->issued + lim.rating_link,
                       .completed_at = completed};
  auto r = responses::json(status, codec::render_rating_page(p));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

http::response expired(const route_context& c) {
  const auto days = rating_link::days_open(c.eng.limits().rating_link);
  return error(410, "link_expired", "",
               days > 0 ? "评价链接已过期（完工后" + std::to_string(days) + "天内有效）" : "评价链接已过期");
}

}  // namespace

// The page keeps its link in the address: no referrer may carry it elsewhere, no cache keep it.
asio::awaitable<http::response> get_rate_page(route_context&, http::request, path_params) {
  const auto* a = web::find("/rate/index.html");
  if (!a) co_return error(404, "not_found", "", "页面不存在");
  co_return http::response{200,
                           std::string(a->content_type),
                           std::string(a->body),
                           {{"Content-Security-Policy", responses::page_policy},
                            {"Referrer-Policy", "no-referrer"},
                            {"Cache-Control", "no-store"}}};
}

asio::awaitable<http::response> get_rating(route_context& c, http::request, path_params p) {
  auto j = co_await read_link(c, p.at("token"));
  if (!j) co_return responses::store_failure(j.error());
  if (!*j) co_return invalid_link();
  const auto state = sla::rating_link_state((*j)->order.wo, (*j)->reporter_key, c.eng.limits(), c.eng.now());
  if (state == sla::link_state::expired) co_return expired(c);
  co_return shown(200, c, **j);
}

asio::awaitable<http::response> post_rating(route_context& c, http::request req, path_params p) {
  const auto token = p.at("token");
  auto j = co_await read_link(c, token);
  if (!j) co_return responses::store_failure(j.error());
  if (!*j) co_return invalid_link();
  auto parsed = channels::parse_callback(req.body, req.content_type, channels::callback_from::reporter);
  if (!parsed.ok) co_return responses::refusal(parsed.error);
  auto out = co_await c.eng.rate_by_link((*j)->order.wo.id, (*j)->reporter_key, std::move(parsed.cb));
  if (!out) co_return responses::store_failure(out.error());
  int status = 200;
  switch (out->what) {
    case act_outcome::kind::applied:
    case act_outcome::kind::duplicate:
    case act_outcome::kind::shown: break;
    case act_outcome::kind::refused:
      if (out->reason == sla::messages::link_expired) co_return expired(c);
      if (out->reason == sla::messages::link_unknown) co_return invalid_link();
      status = 409;  // rated already: shown with what was said
      break;
    case act_outcome::kind::forbidden:
    case act_outcome::kind::moved:
    case act_outcome::kind::not_found: co_return invalid_link();
  }
  auto now = co_await read_link(c, token);  // as it stands, with the 完工 in its history
  if (!now) co_return responses::store_failure(now.error());
  if (!*now) co_return invalid_link();
  co_return shown(status, c, **now);
}

}  // namespace halfhour
