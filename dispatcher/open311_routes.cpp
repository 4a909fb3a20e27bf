#include "dispatcher/open311_routes.hpp"

#include "adapters/channels/open311.hpp"
#include "adapters/errors.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/responses.hpp"

namespace halfhour {

namespace asio = boost::asio;
namespace o311 = channels::open311;

namespace {

constexpr std::string_view bad_key = "api_key缺失或无效";
constexpr std::string_view away = "存储暂不可用，本次请求未被受理，请稍后重试";

// Reading takes the key from the query (as Open311 clients send it) or the X-Api-Key header.
bool reader_known(const route_context& c, const http::request& req) {
  auto key = responses::query_param(req.target, "api_key");
  return responses::client_of(c.opt.open311_keys, key && !key->empty() ? *key : req.api_key).has_value();
}

}  // namespace

http::response open311_error(int status, std::string_view description) {
  auto r = responses::json(status, o311::render_error(status, description));
  if (status == 503) r.headers.emplace_back("Retry-After", "1");
  return r;
}

asio::awaitable<http::response> get_open311_services(route_context& c, http::request, path_params) {
  co_return responses::json(200, o311::render_services(c.opt.services));
}

asio::awaitable<http::response> get_open311_service_definition(route_context&, http::request, path_params) {
  co_return open311_error(404, "本服务没有附加属性（metadata为false）");
}

asio::awaitable<http::response> post_open311_request(route_context& c, http::request req, path_params) {
  std::vector<std::string> codes;
  for (const auto& s : c.opt.services) codes.push_back(s.code);
  auto p = o311::parse_post(req.body, req.content_type, req.idempotency_key, codes);
  // The key before the fields: an unknown client learns nothing about what it sent.
  if (!p.readable) co_return open311_error(p.parsed.error.status, p.parsed.error.message);
  if (!responses::client_of(c.opt.open311_keys, p.api_key)) co_return open311_error(403, bad_key);
  if (!p.parsed.ok) co_return open311_error(p.parsed.error.status, p.parsed.error.message);
  auto r = co_await c.eng.ingest(std::move(p.parsed.req));
  if (!r) co_return open311_error(503, away);
  co_return responses::json(r->what == ingest_outcome::kind::created ? 201 : 200, o311::render_posted(r->order.wo));
}

asio::awaitable<http::response> get_open311_requests(route_context& c, http::request req, path_params) {
  const auto q_at = req.target.find('?');
  auto parsed =
      o311::parse_query(q_at == std::string::npos ? std::string_view{} : std::string_view(req.target).substr(q_at + 1));
  if (!parsed.ok) co_return open311_error(parsed.error.status, parsed.error.message);
  if (!reader_known(c, req)) co_return open311_error(403, bad_key);
  auto& q = parsed.q;
  std::vector<std::string> ids = q.ids;
  if (ids.empty()) {
    // The spec's default: the last 90 days, at most 1,000 requests — the newest 1,000.
    const auto end = q.end.value_or(c.eng.now() + std::chrono::seconds{1});
    const auto start = q.start.value_or(end - std::chrono::hours{24 * 90});
    auto found = co_await c.eng.accepted_between(start, end, 5'000'000);
    if (!found) co_return open311_error(503, away);
    ids = std::move(*found);
    constexpr std::size_t most = 1000;
    if (ids.size() > most) ids.erase(ids.begin(), ids.end() - most);
  }
  auto orders = co_await c.eng.load_many(std::move(ids));
  if (!orders) co_return open311_error(503, away);
  std::erase_if(*orders, [&](const sla::work_order& wo) { return !o311::matches(q, wo); });
  co_return responses::json(200, o311::render_requests(*orders));
}

asio::awaitable<http::response> get_open311_request(route_context& c, http::request req, path_params p) {
  if (!reader_known(c, req)) co_return open311_error(403, bad_key);
  auto o = co_await c.eng.get(p.at("id"));
  if (!o) {
    if (o.error() == errc::not_found) co_return open311_error(404, "没有这个service_request_id");
    co_return open311_error(503, away);
  }
  std::vector<sla::work_order> one{std::move(o->wo)};
  co_return responses::json(200, o311::render_requests(one));
}

}  // namespace halfhour
