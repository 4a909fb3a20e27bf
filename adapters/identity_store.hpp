// The identity store port: members (crews, managers, station operators, supervisors) with their
// hashed login codes, sessions by hashed token with an expiry, and failed-login counters.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "sla/access.hpp"

namespace halfhour {

namespace redis {
class connection;
}

struct stored_member {
  sla::member member;
  std::string code_hash;
};

class identity_store {
 public:
  virtual ~identity_store() = default;
  virtual boost::asio::awaitable<boost::system::result<void>> put_member(stored_member m) = 0;
  virtual boost::asio::awaitable<boost::system::result<std::optional<stored_member>>> find_member(std::string id) = 0;
  virtual boost::asio::awaitable<boost::system::result<void>> put_session(std::string token_hash, sla::member m,
                                                                          std::chrono::seconds ttl) = 0;
  virtual boost::asio::awaitable<boost::system::result<std::optional<sla::member>>> find_session(
      std::string token_hash) = 0;
  // Counts a failed login for `id` within a window that starts at the first failure.
  virtual boost::asio::awaitable<boost::system::result<long long>> count_failure(std::string id,
                                                                                 std::chrono::seconds window) = 0;
  virtual boost::asio::awaitable<boost::system::result<long long>> failures(std::string id) = 0;
  virtual boost::asio::awaitable<boost::system::result<void>> clear_failures(std::string id) = 0;
};

std::unique_ptr<identity_store> make_redis_identity_store(std::shared_ptr<redis::connection> conn, std::string prefix);

}  // namespace halfhour
