// Logging in and knowing who asks: login codes checked against their stored hash in constant
// time, sessions as random bearer tokens stored hashed with an expiry, and a lock after
// repeated failures on one phone number.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
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

class auth {
 public:
  static constexpr long long max_failures = 5;
  static constexpr std::chrono::seconds failure_window{15 * 60};

  auth(identity_store& store, clock& clk, std::chrono::seconds session_ttl);

  boost::asio::awaitable<boost::system::result<login_result>> login(std::string phone, std::string code);

  // The member behind "Authorization: Bearer <token>", or nothing (missing, forged, expired).
  boost::asio::awaitable<boost::system::result<std::optional<sla::member>>> authenticate(std::string authorization);

  boost::asio::awaitable<boost::system::result<std::optional<sla::member>>> find_member(std::string id);

  // Creates or replaces a member and returns its new login code (shown once, stored hashed).
  boost::asio::awaitable<boost::system::result<std::string>> issue(sla::member m);

  static std::string code_hash(std::string_view id, std::string_view code);

 private:
  identity_store& store_;
  clock& clock_;
  std::chrono::seconds ttl_;
};

}  // namespace halfhour
