// How a session travels: as "Authorization: Bearer" for API clients, or as an HttpOnly cookie
// for the pages, so no script and no URL ever holds a page's token; the header a page's own
// state-changing calls carry and a cross-site form cannot send; and whether the request came
// over HTTPS (the cookie's Secure) and from which address, told by a trusted proxy only. Pure: no
// I/O, no Beast.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace halfhour::session {

// The cookie holding a page's session token.
inline constexpr std::string_view cookie_name = "hh_session";
// A page's own calls say "X-Requested-With: halfhour". A form posted from another site cannot
// set a header at all, and a script there cannot either without a CORS preflight, which the
// engine never grants.
inline constexpr std::string_view page_header = "X-Requested-With";
inline constexpr std::string_view page_header_value = "halfhour";

struct credentials {
  std::string token;         // empty: none, or not the shape of one of ours
  bool from_cookie = false;  // a page's cookie, not an API client's header
};

// The Authorization header decides when it is there (even a malformed one: an API client's
// mistake must not fall back to a cookie the same browser happens to hold); else the cookie.
credentials credentials_of(std::string_view authorization, std::string_view cookie_header);

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or empty.
std::string cookie_value(std::string_view cookie_header, std::string_view name);

// The token when `s` has the shape of one of ours (64 lowercase hex digits); empty otherwise.
std::string token_shaped(std::string_view s);

// The request says it is a page's own call (the page header with the page's value).
bool from_page(std::string_view requested_with);

// A call that changes something may ride on a cookie only when the page's header says it comes
// from the page itself. Reads (GET, HEAD) change nothing and need no header.
bool page_call_allowed(std::string_view method, const credentials& c, std::string_view requested_with);

// True when the request reached the proxy over HTTPS: the peer is one of `trusted_proxies`
// (exact addresses; an IPv4 peer seen as ::ffff:a.b.c.d counts as a.b.c.d) and it says
// "X-Forwarded-Proto: https". Nobody else is believed: a client can send the header itself.
bool over_https(std::string_view remote, std::string_view forwarded_proto,
                const std::vector<std::string>& trusted_proxies);

// The address the request came from, for counting login attempts: the peer's, unless the peer is
// one of `trusted_proxies`, which says it in X-Forwarded-For. Only the last entry is taken: it is
// the one the proxy wrote itself (nginx's $remote_addr, or appended by $proxy_add_x_forwarded_for);
// anything to its left came from the client and may be forged. A last entry that is not an address
// leaves the peer's.
std::string client_address(std::string_view remote, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

// Set-Cookie for a new session: HttpOnly (no script reads it), SameSite=Strict (no other site's
// page sends it), Path=/, Max-Age of the session, Secure when the page came over HTTPS.
std::string set_cookie(std::string_view token, std::chrono::seconds max_age, bool secure);
// Set-Cookie that removes it (logout, or a session that has ended).
std::string clear_cookie(bool secure);

}  // namespace halfhour::session
