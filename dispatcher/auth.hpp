// Logging in and knowing who asks: single-use login codes that expire unused, checked against
// their stored hash in constant time; sessions as random tokens (a Bearer header, or a page's
// cookie) stored hashed with an expiry, ended by logout, by a new code or by removal; and
// attempts counted per phone and per source address before any code is compared, so a burst of
// guesses checks at most the limit.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "adapters/clock.hpp"
#include "adapters/identity_store.hpp"

namespace halfhour {

struct login_result {
  enum class kind { ok, bad_credentials, locked };
  kind what = kind::bad_credentials;
  std::string token;
  sla::instant expires_at{};
  sla::member member;
};

struct auth_stats {
  std::uint64_t codes_compared = 0;  // attempts that got as far as comparing a code
  std::uint64_t refused_locked = 0;  // attempts refused by the limits, no code compared
};

struct auth_settings {
  std::chrono::seconds session_ttl{12 * 3600};
  std::chrono::hours code_ttl{72};  // an unused login code expires
};

class auth {
 public:
  static constexpr long long max_failures = 5;           // per phone within the window
  static constexpr long long max_address_failures = 30;  // per source address within the window
  static constexpr std::chrono::seconds failure_window{15 * 60};

  auth(identity_store& store, clock& clk, auth_settings settings);

  // `address`: where the attempt came from (the peer's address), for the per-address limit.
  boost::asio::awaitable<boost::system::result<login_result>> login(std::string phone, std::string code,
                                                                    std::string address);

  // The member whose session `token` is (from a Bearer header or a page's cookie, see
  // session_cookie.hpp), or nothing (missing, forged, expired, ended).
  boost::asio::awaitable<boost::system::result<std::optional<sla::member>>> authenticate(std::string token);

  // Ends the session of `token`; false when there was none to end.
  boost::asio::awaitable<boost::system::result<bool>> logout(std::string token);

  boost::asio::awaitable<boost::system::result<std::optional<sla::member>>> find_member(std::string id);

  // Creates or replaces a member and returns its new login code (shown once, stored hashed);
  // the member's sessions end.
  boost::asio::awaitable<boost::system::result<std::string>> issue(sla::member m);

  // Removes a member: its code stops working and its sessions end.
  boost::asio::awaitable<boost::system::result<bool>> remove(std::string id);

  static std::string code_hash(std::string_view id, std::string_view code);

  const auth_stats& stats() const { return stats_; }
  std::chrono::seconds session_ttl() const { return settings_.session_ttl; }

 private:
  auth_stats stats_;
  identity_store& store_;
  clock& clock_;
  auth_settings settings_;
};

}  // namespace halfhour
