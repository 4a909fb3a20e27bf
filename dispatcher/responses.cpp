#include "dispatcher/responses.hpp"

#include "adapters/crypto.hpp"
#include "adapters/errors.hpp"
#include "dispatcher/auth.hpp"

namespace halfhour::responses {

http::response json(int status, std::string body) {
  return {status, "application/json; charset=utf-8", std::move(body), {}};
}

http::response error(int status, std::string_view code, std::string_view field, std::string_view message) {
  return json(status, codec::error_json(code, field, message));
}

http::response refusal(const input_error& e) { return error(e.status, e.code, e.field, e.message); }

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

std::optional<std::string> query_param(std::string_view target, std::string_view name) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  for (auto rest = target.substr(q + 1); !rest.empty();) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return std::string(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
  }
  return std::nullopt;
}

http::response unavailable() {
  auto r = error(503, "store_unavailable", "", "存储暂不可用，本次请求未被受理，请稍后重试");
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

http::response store_failure(const boost::system::error_code& ec) {
  if (ec == errc::not_found) return error(404, "not_found", "", "工单不存在");
  if (ec == errc::conflict) return error(409, "busy", "", "工单正被他人更新，请重试");
  return unavailable();
}

sla::work_order shown_to(sla::work_order wo, const sla::member& who) { return sla::member_view(std::move(wo), who); }

codec::format wanted_format(const http::request& req) {
  return req.accept.find("application/x-protobuf") != std::string::npos ? codec::format::protobuf : codec::format::json;
}

http::response order(int status, const stored_order& o, codec::format f) {
  http::response r;
  r.status = status;
  r.body = codec::render_work_order(o.wo, o.history, f, o.notices);
  r.content_type = f == codec::format::protobuf ? "application/x-protobuf" : "application/json; charset=utf-8";
  r.headers.emplace_back("Location", "/v1/work-orders/" + o.wo.id);
  return r;
}

std::optional<std::string> client_of(const std::map<std::string, std::string>& keys, std::string_view key) {
  if (key.empty()) return std::nullopt;
  const auto hash = crypto::sha256_hex(std::string(key));
  for (const auto& [h, client] : keys)
    if (crypto::equal_constant_time(h, hash)) return client;
  return std::nullopt;
}

std::optional<http::response> check_door_key(const std::map<std::string, std::string>& keys, std::string_view key) {
  if (keys.empty() || client_of(keys, key)) return std::nullopt;
  return error(401, "bad_api_key", "X-Api-Key", "X-Api-Key缺失或无效");
}

http::response unauthenticated(std::string_view message) {
  auto r = error(401, "unauthenticated", "", message);
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

session::credentials credentials(const http::request& req) {
  return session::credentials_of(req.authorization, req.cookie);
}

bool over_https(const http::request& req, const std::vector<std::string>& trusted_proxies) {
  return session::over_https(req.remote, req.forwarded_proto, trusted_proxies);
}

std::string client_address(const http::request& req, const std::vector<std::string>& trusted_proxies) {
  return session::client_address(req.remote, req.forwarded_for, trusted_proxies);
}

http::response not_from_page() {
  return error(403, "page_header_missing", std::string(session::page_header), "请从本系统页面操作（请求缺少页面标识）");
}

boost::asio::awaitable<std::variant<sla::member, http::response>> signed_in(auth& au, const http::request& req) {
  const auto c = credentials(req);
  // Refused before the store is asked: a forged cross-site call learns nothing.
  if (!session::page_call_allowed(req.method, c, req.requested_with)) co_return not_from_page();
  auto who = co_await au.authenticate(c.token);
  if (!who) co_return unavailable();
  if (!*who) co_return unauthenticated();
  co_return std::move(**who);
}

}  // namespace halfhour::responses
