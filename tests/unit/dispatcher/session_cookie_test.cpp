// How a session travels: the header decides over the cookie, a cookie-borne change needs the
// page's header, Secure only on a trusted proxy's word, and the cookie's attributes.
#include "dispatcher/session_cookie.hpp"

#include <gtest/gtest.h>

namespace halfhour::session {
namespace {

const std::string token(64, 'a');
const std::string other(64, 'b');

TEST(session_cookie, the_bearer_header_decides_else_the_cookie) {
  const auto cookie = "theme=dark; hh_session=" + token + "; lang=zh";
  auto c = credentials_of("", cookie);
  EXPECT_EQ(c.token, token);
  EXPECT_TRUE(c.from_cookie);
  c = credentials_of("Bearer " + other, cookie);
  EXPECT_EQ(c.token, other);
  EXPECT_FALSE(c.from_cookie);
  // A malformed header is no session, whatever cookie rides along.
  c = credentials_of("Basic abc", cookie);
  EXPECT_TRUE(c.token.empty());
  EXPECT_FALSE(c.from_cookie);
  EXPECT_TRUE(credentials_of("", "hh_session=not-a-token").token.empty());
  EXPECT_FALSE(credentials_of("", "hh_session=not-a-token").from_cookie);
  EXPECT_TRUE(credentials_of("", "xhh_session=" + token).token.empty()) << "a cookie of another name";
  EXPECT_EQ(cookie_value("a=1;hh_session=\"" + token + "\"", cookie_name), token);
}

TEST(session_cookie, a_change_on_a_cookie_needs_the_pages_header) {
  const credentials page{token, true};
  const credentials api{token, false};
  EXPECT_TRUE(page_call_allowed("GET", page, ""));
  EXPECT_TRUE(page_call_allowed("HEAD", page, ""));
  EXPECT_FALSE(page_call_allowed("POST", page, ""));
  EXPECT_FALSE(page_call_allowed("POST", page, "XMLHttpRequest"));
  EXPECT_TRUE(page_call_allowed("POST", page, "halfhour"));
  EXPECT_TRUE(page_call_allowed("POST", page, "HalfHour"));
  EXPECT_TRUE(page_call_allowed("POST", api, "")) << "a Bearer header cannot be sent by a form";
}

TEST(session_cookie, https_only_on_a_trusted_proxys_word) {
  const std::vector<std::string> none;
  const std::vector<std::string> proxy{"10.0.0.5"};
  EXPECT_FALSE(over_https("127.0.0.1", "https", none)) << "loopback is not trusted by default";
  EXPECT_FALSE(over_https("10.0.0.6", "https", proxy));
  EXPECT_FALSE(over_https("10.0.0.5", "http", proxy));
  EXPECT_FALSE(over_https("10.0.0.5", "", proxy));
  EXPECT_TRUE(over_https("10.0.0.5", "https", proxy));
  EXPECT_TRUE(over_https("10.0.0.5", "HTTPS", proxy));
  EXPECT_TRUE(over_https("::ffff:10.0.0.5", "https", proxy));
  EXPECT_FALSE(over_https("", "https", std::vector<std::string>{""}));
}

TEST(session_cookie, the_client_address_is_the_proxys_last_word_and_only_a_trusted_proxys) {
  const std::vector<std::string> proxy{"127.0.0.1"};
  EXPECT_EQ(client_address("203.0.113.9", "198.51.100.7", proxy), "203.0.113.9") << "a client's own header";
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.7", {}), "127.0.0.1") << "nobody is trusted by default";
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.7", proxy), "198.51.100.7");
  EXPECT_EQ(client_address("::ffff:127.0.0.1", "198.51.100.7", proxy), "198.51.100.7");
  EXPECT_EQ(client_address("127.0.0.1", "1.2.3.4, 198.51.100.7", proxy), "198.51.100.7")
      << "what the client wrote before the proxy's entry is not believed";
  EXPECT_EQ(client_address("127.0.0.1", " 2001:db8::7 ", proxy), "2001:db8::7");
  EXPECT_EQ(client_address("127.0.0.1", "", proxy), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.7, ", proxy), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "unknown", proxy), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "[2001:db8::7]:443", proxy), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "deadbeef", proxy), "127.0.0.1") << "hex alone is not an address";
  EXPECT_EQ(client_address("127.0.0.1", std::string(60, '1') + ".1", proxy), "127.0.0.1");
}

TEST(session_cookie, the_cookie_is_http_only_strict_and_secure_over_https) {
  EXPECT_EQ(set_cookie(token, std::chrono::seconds{3600}, false),
            "hh_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600");
  EXPECT_EQ(set_cookie(token, std::chrono::seconds{60}, true),
            "hh_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=60");
  EXPECT_EQ(clear_cookie(false), "hh_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

}  // namespace
}  // namespace halfhour::session
