// What every route shares: the path it matches on, and the shapes it answers in: JSON bodies, errors as {"error":{code, field, message}},
// and 503 with Retry-After when the store is away.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/server.hpp"
#include "sla/access.hpp"

namespace halfhour::responses {

http::response json(int status, std::string body);
http::response error(int status, std::string_view code, std::string_view field, std::string_view message);
// The path of a request target, without its query.
std::string_view path_of(std::string_view target);
// The value of the first `name=` in the target's query, as sent (not percent-decoded: for ids,
// months and tokens); nothing when the name is absent.
std::optional<std::string> query_param(std::string_view target, std::string_view name);

http::response unavailable(std::string_view message = "存储暂不可用，请求未被受理，请稍后重试");

// What a member is shown of a work order: reporters' phones only to those who need them.
sla::work_order shown_to(sla::work_order wo, const sla::member& who);

// The client a key belongs to, from a table of SHA-256 hashes (hex) -> client name, compared
// in constant time; nothing for an empty or unknown key.
std::optional<std::string> client_of(const std::map<std::string, std::string>& keys, std::string_view key);

// A door with keys configured lets in only their holders; a door without keys is open (the
// engine starts so only on loopback). 401 for a missing or unknown key, nothing when let in.
std::optional<http::response> check_door_key(const std::map<std::string, std::string>& keys, std::string_view key);

// 401 with a Bearer challenge: no session, or an expired one.
http::response unauthenticated(std::string_view message = "请先登录，或登录已过期");

}  // namespace halfhour::responses
