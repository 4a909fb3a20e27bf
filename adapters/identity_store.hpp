// The identity store port: members (crews, managers, station operators, supervisors, committee
// staff) with their hashed single-use login codes, sessions by hashed token with an expiry and
// an index per member (so re-issuing a code or removing a member ends them), and login attempt
// counters per phone and per source address, counted before any code is compared.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "adapters/identity_records.hpp"
#include "sla/access.hpp"

namespace halfhour {

namespace redis {
class connection;
}

class identity_store {
 public:
  virtual ~identity_store() = default;
  // Creates or replaces a member with a new code; every session it had ends.
  virtual boost::asio::awaitable<boost::system::result<void>> put_member(stored_member m) = 0;
  virtual boost::asio::awaitable<boost::system::result<std::optional<stored_member>>> find_member(std::string id) = 0;
  // Removes a member and ends its sessions; false when there was no such member.
  virtual boost::asio::awaitable<boost::system::result<bool>> remove_member(std::string id) = 0;

  // Counts the attempt on the phone and the address (both windows start at their first
  // attempt) and reads the member, in one atomic step: parallel attempts cannot all see a count
  // under the limit.
  virtual boost::asio::awaitable<boost::system::result<login_attempt>> attempt_login(std::string phone,
                                                                                     std::string address,
                                                                                     std::chrono::seconds window) = 0;

  // The code `code_hash` logged in: if it is still the member's code, it is used up, the
  // phone's attempts are cleared, the address's attempt is uncounted, and the session is
  // stored, atomically; false when the code was used (or replaced) meanwhile.
  virtual boost::asio::awaitable<boost::system::result<bool>> consume_code(std::string phone, std::string address,
                                                                           std::string code_hash,
                                                                           std::string token_hash, sla::member m,
                                                                           std::chrono::seconds ttl) = 0;

  virtual boost::asio::awaitable<boost::system::result<std::optional<sla::member>>> find_session(
      std::string token_hash) = 0;
  // Ends one session (logout); ending an unknown one is no error.
  virtual boost::asio::awaitable<boost::system::result<void>> end_session(std::string token_hash) = 0;
};

std::unique_ptr<identity_store> make_redis_identity_store(std::shared_ptr<redis::connection> conn, std::string prefix);

}  // namespace halfhour
