// What every route shares: the shapes it answers in (JSON bodies, errors as
// {"error":{code, field, message}}, one 503 with Retry-After when the store is away), the
// query reader, the doors' key check, who is signed in (header or cookie), and how a work order
// is shown to whom.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "adapters/codec.hpp"
#include "adapters/http/server.hpp"
#include "adapters/input.hpp"
#include "adapters/store.hpp"
#include "dispatcher/session_cookie.hpp"
#include "sla/access.hpp"

namespace halfhour {
class auth;
}

namespace halfhour::responses {

// The pages may run only their own scripts and styles, reach only this engine, and never be
// framed (clickjacking a crew's buttons).
inline constexpr const char* page_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

http::response json(int status, std::string body);
http::response error(int status, std::string_view code, std::string_view field, std::string_view message);
// A request the parser refused: its status, code, field and message.
http::response refusal(const input_error& e);
// The path of a request target, without its query.
std::string_view path_of(std::string_view target);
// The value of the first `name=` in the target's query, as sent (not percent-decoded: for ids,
// months and tokens); nothing when the name is absent.
std::optional<std::string> query_param(std::string_view target, std::string_view name);

// The one answer while Redis is away: 503, Retry-After: 1, nothing accepted or changed.
http::response unavailable();
// A store error: not found is 404, a write that kept losing its race 409 (retry), else 503.
http::response store_failure(const boost::system::error_code& ec);

// What a member is shown of a work order: reporters' phones only to those who need them.
sla::work_order shown_to(sla::work_order wo, const sla::member& who);

// JSON, or protobuf when the client asks for it (Accept: application/x-protobuf).
codec::format wanted_format(const http::request& req);
// A work order with its history and notices, as stored (callers decide what to show).
http::response order(int status, const stored_order& o, codec::format f = codec::format::json);

// The client a key belongs to, from a table of SHA-256 hashes (hex) -> client name, compared
// in constant time; nothing for an empty or unknown key.
std::optional<std::string> client_of(const std::map<std::string, std::string>& keys, std::string_view key);

// A door with keys configured lets in only their holders; a door without keys is open (the
// engine starts so only on loopback). 401 for a missing or unknown key, nothing when let in.
std::optional<http::response> check_door_key(const std::map<std::string, std::string>& keys, std::string_view key);

// 401 with a Bearer challenge: no session, or an expired one.
http::response unauthenticated(std::string_view message = "请先登录，或登录已过期");

// The session a request carries: its Bearer header, else its cookie.
session::credentials credentials(const http::request& req);

// Whether the request reached the engine's proxy over HTTPS (only a trusted proxy is believed).
bool over_https(const http::request& req, const std::vector<std::string>& trusted_proxies);
// The client's address: the peer's, or what a trusted proxy says in X-Forwarded-For.
std::string client_address(const http::request& req, const std::vector<std::string>& trusted_proxies);

// 403 for a state-changing call on a page's cookie without the page's own header.
http::response not_from_page();

// The member whose session the request carries, or the answer to give instead (401, 403 for a
// cookie-borne change without the page's header, or 503).
boost::asio::awaitable<std::variant<sla::member, http::response>> signed_in(auth& au, const http::request& req);

}  // namespace halfhour::responses
