#include "dispatcher/session_cookie.hpp"

#include <algorithm>

namespace halfhour::session {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y);
         });
}

std::string attributes(bool secure) {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") + (secure ? "; Secure" : "");
}

// The peer is one of the configured proxies (an IPv4 peer seen as ::ffff:a.b.c.d counts as a.b.c.d).
bool trusted(std::string_view remote, const std::vector<std::string>& trusted_proxies) {
  constexpr std::string_view mapped = "::ffff:";
  if (remote.starts_with(mapped) && remote.find('.') != std::string_view::npos) remote.remove_prefix(mapped.size());
  if (remote.empty()) return false;
  return std::find(trusted_proxies.begin(), trusted_proxies.end(), remote) != trusted_proxies.end();
}

}  // namespace

std::string token_shaped(std::string_view s) {
  if (s.size() != 64 || s.find_first_not_of("0123456789abcdef") != std::string_view::npos) return {};
  return std::string(s);
}

std::string cookie_value(std::string_view cookie_header, std::string_view name) {
  for (auto rest = cookie_header; !rest.empty();) {
    const auto semi = rest.find(';');
    const auto pair = trim(rest.substr(0, semi));
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name) {
      auto value = trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
  }
  return {};
}

credentials credentials_of(std::string_view authorization, std::string_view cookie_header) {
  constexpr std::string_view scheme = "Bearer ";
  if (!authorization.empty()) {
    if (!authorization.starts_with(scheme)) return {};
    return {token_shaped(authorization.substr(scheme.size())), false};
  }
  auto token = token_shaped(cookie_value(cookie_header, cookie_name));
  const bool found = !token.empty();
  return {std::move(token), found};
}

bool from_page(std::string_view requested_with) { return iequals(trim(requested_with), page_header_value); }

bool page_call_allowed(std::string_view method, const credentials& c, std::string_view requested_with) {
  if (!c.from_cookie || method == "GET" || method == "HEAD") return true;
  return from_page(requested_with);
}

bool over_https(std::string_view remote, std::string_view forwarded_proto,
                const std::vector<std::string>& trusted_proxies) {
  return iequals(trim(forwarded_proto), "https") && trusted(remote, trusted_proxies);
}

std::string client_address(std::string_view remote, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  if (!trusted(remote, trusted_proxies)) return std::string(remote);
  const auto comma = forwarded_for.rfind(',');
  const auto last = trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
  // An IPv4 or IPv6 address in text (no port, no brackets, no name): at most 45 characters of
  // hex digits, dots and colons, with at least one digit.
  const bool address = !last.empty() && last.size() <= 45 &&
                       last.find_first_not_of("0123456789abcdefABCDEF.:") == std::string_view::npos &&
                       last.find_first_of("0123456789") != std::string_view::npos &&
                       (last.find('.') != std::string_view::npos || last.find(':') != std::string_view::npos);
  return std::string(address ? last : remote);
}

std::string set_cookie(std::string_view token, std::chrono::seconds max_age, bool secure) {
  return std::string(cookie_name) + "=" + std::string(token) + attributes(secure) +
         "; Max-Age=" + std::to_string(max_age.count());
}

std::string clear_cookie(bool secure) { return std::string(cookie_name) + "=" + attributes(secure) + "; Max-Age=0"; }

}  // namespace halfhour::session
