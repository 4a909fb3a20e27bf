// The work-order store port: durable work orders, their history, and their deadlines. Every
// write is one atomic step; nothing is acknowledged to a client before it is stored.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/notice.hpp"
#include "sla/machine.hpp"

namespace halfhour {

namespace redis {
class connection;
}

struct stored_order {
  sla::work_order wo;  // wo.version is the version the store holds
  std::vector<sla::event> history;
  std::vector<notice> notices;  // read with the history
};

struct created_order {
  stored_order order;
  bool created = false;  // false: the idempotency key was already known, nothing was written
};

struct armed_deadline {
  std::string id;
  sla::deadline due;
};

class work_order_store {
 public:
  virtual ~work_order_store() = default;

  // Creates the work order for `key` unless that key is known. `build` turns the new id into
  // the decision to store (it runs at most once, and only when nothing exists yet).
  virtual boost::asio::awaitable<boost::system::result<created_order>> create(
      std::string key, std::function<sla::decision(std::string id)> build) = 0;

  virtual boost::asio::awaitable<boost::system::result<stored_order>> load(std::string id, bool with_history) = 0;

  // Several work orders (no history) in one round trip; ids that are not there are skipped.
  virtual boost::asio::awaitable<boost::system::result<std::vector<sla::work_order>>> load_many(
      std::vector<std::string> ids) = 0;

  // Writes a decision about the work order `before` (as read, with its version): the new
  // record, its events, its deadline moves, its notifications (to the outbox) and its place
  // in the open-jobs index, atomically.
  // errc::conflict when the version moved on since it was read.
  virtual boost::asio::awaitable<boost::system::result<std::int64_t>> apply(sla::decision d,
                                                                           sla::work_order before) = 0;

  // The ids of the open work orders an organisation (a firm or the station) holds now.
  virtual boost::asio::awaitable<boost::system::result<std::vector<std::string>>> open_orders(
      std::string organisation) = 0;

  // Every armed deadline, delivered in chunks to `visit` (a deadline may be seen twice).
  virtual boost::asio::awaitable<boost::system::result<void>> scan_deadlines(
      std::function<void(std::vector<armed_deadline>)> visit) = 0;

  // Deadlines still armed that fell due before `before`, at most `limit` per shard: normally
  // none, as each is removed within milliseconds of firing. What this finds, nobody fired.
  virtual boost::asio::awaitable<boost::system::result<std::vector<armed_deadline>>> overdue(sla::instant before,
                                                                                            std::size_t limit) = 0;

  virtual boost::asio::awaitable<boost::system::result<void>> ping() = 0;
};

// Work orders in Redis, spread over hash-tagged shards so each script touches one slot.
std::unique_ptr<work_order_store> make_redis_store(std::shared_ptr<redis::connection> conn, std::string prefix);

}  // namespace halfhour
