// The work-order store port: durable work orders, their history, and their deadlines. Every
// write is one atomic step; nothing is acknowledged to a client before it is stored.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/store_records.hpp"
#include "sla/duplicates.hpp"
#include "sla/machine.hpp"
#include "sla/search.hpp"

namespace halfhour {

namespace redis {
class connection;
}

class work_order_store {
 public:
  virtual ~work_order_store() = default;

  // Creates the work order for `key` unless that key is known. `build` turns the new id into
  // the decision to store; it runs at most once, and its decision is dropped when the key turns
  // out to be known (callers look the key up first, so that is a race lost).
  virtual boost::asio::awaitable<boost::system::result<created_order>> create(
      std::string key, std::function<sla::decision(std::string id)> build) = 0;

  virtual boost::asio::awaitable<boost::system::result<stored_order>> load(std::string id, bool with_history) = 0;

  // Several work orders (no history) in one round trip; ids that are not there are skipped.
  virtual boost::asio::awaitable<boost::system::result<std::vector<sla::work_order>>> load_many(
      std::vector<std::string> ids) = 0;

  // Writes a decision about the work order `before` (as read, with its version): the new
  // record, its events, its deadline moves, its notifications (to the outbox) and its place
  // in the open-jobs index, atomically.
  // errc::conflict when the version moved on since it was read. `firing`: the decision is that
  // step coming due, written only while the step is still armed for that very moment (errc::stale
  // otherwise), so each step fires once whoever else fires it too.
  virtual boost::asio::awaitable<boost::system::result<std::int64_t>> apply(
      sla::decision d, sla::work_order before, std::optional<sla::deadline> firing = std::nullopt) = 0;

  // The ids of the open work orders an organisation (a firm or the station) holds now.
  virtual boost::asio::awaitable<boost::system::result<std::vector<std::string>>> open_orders(
      std::string organisation) = 0;

  // The open job holding a short code (what a crew types in an SMS reply); nothing when no open
  // job holds it.
  virtual boost::asio::awaitable<boost::system::result<std::optional<std::string>>> open_by_code(std::string code) = 0;

  // Every armed deadline, delivered in chunks to `visit` (a deadline may be seen twice).
  virtual boost::asio::awaitable<boost::system::result<void>> scan_deadlines(
      std::function<void(std::vector<armed_deadline>)> visit) = 0;

  // Deadlines still armed that fell due before `before`, at most `limit` per shard: normally
  // none, as each is removed within milliseconds of firing. What this finds, nobody fired.
  virtual boost::asio::awaitable<boost::system::result<std::vector<armed_deadline>>> overdue(sla::instant before,
                                                                                             std::size_t limit) = 0;

  virtual boost::asio::awaitable<boost::system::result<void>> ping() = 0;

  // Whether what this store has written so far for the work order `id` is as durable as a write
  // it answers: on the replicas `min_replicas_acked` asks for (on a cluster, those of the node
  // holding it). A retry that finds its work done calls it before answering, since the first
  // try may have failed only for want of them.
  virtual boost::asio::awaitable<boost::system::result<void>> durable(std::string id) = 0;

  // Marks the store as written in this engine's layout, or errc::incompatible when it holds
  // data of another: an engine must not read records it would misread, nor add to them.
  virtual boost::asio::awaitable<boost::system::result<void>> claim_layout() = 0;

  // Many work orders with their histories (no notices), in pipelined round trips: reports.
  virtual boost::asio::awaitable<boost::system::result<std::vector<stored_order>>> load_histories(
      std::vector<std::string> ids) = 0;

  virtual boost::asio::awaitable<boost::system::result<std::optional<known_key>>> lookup(std::string key) = 0;

  // Points `key` at the work order `id` unless it points somewhere already (`replace`: whatever
  // it pointed at, for a report split off into its own job). Returns where the key points.
  virtual boost::asio::awaitable<boost::system::result<std::string>> remember(std::string key, std::string id,
                                                                              bool replace) = 0;

  // Records `m` under `key` as no request, once: a known key keeps what it stands for.
  virtual boost::asio::awaitable<boost::system::result<known_key>> screen_out(std::string key, screened_message m) = 0;

  // The work orders accepted for a community at or after `since`, in any state, as the
  // community's index keeps them (without reading the work orders).
  virtual boost::asio::awaitable<boost::system::result<std::vector<sla::recent_job>>> accepted_for(
      std::string community, sla::instant since) = 0;

  // The ids of the work orders accepted in [from, to), oldest first, at most `limit`.
  virtual boost::asio::awaitable<boost::system::result<std::vector<std::string>>> accepted_between(
      sla::instant from, sla::instant to, std::size_t limit) = 0;

  // The work orders accepted at or after `from` that come after `below` in the acceptance index
  // read newest first (sla::after), at most `limit`, with their acceptance times: a search's page.
  virtual boost::asio::awaitable<boost::system::result<std::vector<sla::index_position>>> accepted_newest(
      sla::instant from, sla::index_position below, std::size_t limit) = 0;

  // A lease on `name` shared by every engine on the store, held for at most `ttl` unless
  // released: true when this caller holds it now. A brief one (a community's, held for about a
  // millisecond while a report decides whether it repeats a job) is kept in memory only: not
  // written to disk nor to replicas, so taking it costs a report no fsync; lost with a restart or
  // a failover, it lets two reports decide at once, as a lease nobody gives back does after its
  // wait. A lasting one (the archive's) is kept as any write is.
  enum class lease_kind { brief, lasting };
  virtual boost::asio::awaitable<boost::system::result<bool>> lease(std::string name, std::string token,
                                                                    std::chrono::milliseconds ttl, lease_kind kind) = 0;
  virtual boost::asio::awaitable<boost::system::result<void>> release(std::string name, std::string token,
                                                                      lease_kind kind) = 0;
};

// How many replicas must hold a write before it is acknowledged (Redis WAIT), and how long
// to wait for them; 0 replicas: not waited for.
struct replication {
  int replicas = 0;
  std::chrono::milliseconds timeout{1000};
};

// Work orders in Redis, spread over hash-tagged shards so each script touches one slot.
std::unique_ptr<work_order_store> make_redis_store(std::shared_ptr<redis::connection> conn, std::string prefix,
                                                   replication r = {});

}  // namespace halfhour
