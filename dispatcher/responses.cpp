#include "dispatcher/responses.hpp"

#include "adapters/codec.hpp"
#include "adapters/crypto.hpp"
#include "sla/text.hpp"

namespace halfhour::responses {

http::response json(int status, std::string body) {
  return {status, "application/json; charset=utf-8", std::move(body), {}};
}

http::response error(int status, std::string_view code, std::string_view field, std::string_view message) {
  return json(status, codec::error_json(code, field, message));
}

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

http::response unavailable(std::string_view message) {
  auto r = error(503, "store_unavailable", "", message);
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

sla::work_order shown_to(sla::work_order wo, const sla::member& who) { return sla::member_view(std::move(wo), who); }

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

}  // namespace halfhour::responses
