#include "dispatcher/responses.hpp"

#include "adapters/codec.hpp"
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

sla::work_order shown_to(sla::work_order wo, const sla::member& who) {
  if (!sla::sees_reporter_phone(wo, who)) {
    wo.who.phone = sla::mask_phone(wo.who.phone);
    for (auto& l : wo.linked) l.who.phone = sla::mask_phone(l.who.phone);
  }
  return wo;
}

http::response unauthenticated(std::string_view message) {
  auto r = error(401, "unauthenticated", "", message);
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace halfhour::responses
