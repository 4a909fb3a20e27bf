// The outbox port: notifications owed, read by a consumer group so each is handed to one
// sender, acknowledged once delivered, claimed back from a sender that died, and moved to a
// dead-letter stream when it cannot be delivered.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "adapters/outbox_entry.hpp"
#include "sla/time.hpp"

namespace halfhour {

namespace redis {
class connection;
}

class outbox_store {
 public:
  virtual ~outbox_store() = default;
  virtual boost::asio::awaitable<boost::system::result<void>> ensure_groups() = 0;
  // Entries no sender has been handed yet.
  virtual boost::asio::awaitable<boost::system::result<std::vector<outbox_entry>>> read_new(std::string consumer,
                                                                                            std::size_t count) = 0;
  // Entries handed to a sender that has not acknowledged them for `idle`: it died, or is slow.
  virtual boost::asio::awaitable<boost::system::result<std::vector<outbox_entry>>> claim_stale(
      std::string consumer, std::chrono::milliseconds idle, std::size_t count) = 0;
  // Keeps an entry this sender is still retrying from looking abandoned (resets its idle time).
  virtual boost::asio::awaitable<boost::system::result<void>> touch(outbox_entry e, std::string consumer) = 0;
  // Settles an entry: records the outcome on its work order and acknowledges it.
  virtual boost::asio::awaitable<boost::system::result<void>> ack(outbox_entry e, sla::instant at) = 0;
  virtual boost::asio::awaitable<boost::system::result<void>> dead(outbox_entry e, std::string why,
                                                                   sla::instant at) = 0;

  // A message that belongs to no work order's step (the monthly report), owed once under
  // `once` however often it is posted, by however many engines: true when this call wrote it.
  virtual boost::asio::awaitable<boost::system::result<bool>> post_once(outbox_entry e, std::string once) = 0;
};

std::unique_ptr<outbox_store> make_redis_outbox_store(std::shared_ptr<redis::connection> conn, std::string prefix);

}  // namespace halfhour
