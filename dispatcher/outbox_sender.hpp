// Delivers the outbox: reads what the engine wrote (woken at once when it writes, and every
// poll interval for what other engines left), posts each message to its recipient's address
// with its idempotency key, retries with exponential backoff, claims back what a dead sender
// held, and dead-letters what cannot be delivered.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <memory>
#include <string>

#include "adapters/clock.hpp"
#include "adapters/config.hpp"
#include "adapters/http/client.hpp"
#include "adapters/outbox_store.hpp"
#include "dispatcher/rating_link.hpp"

namespace halfhour {

using config::delivery_settings;

struct delivery_stats {
  std::uint64_t delivered = 0;
  std::uint64_t failed_attempts = 0;
  std::uint64_t dead = 0;
};

class outbox_sender {
 public:
  // `clk` stamps what was settled when; `out` is the door the messages leave by.
  outbox_sender(boost::asio::any_io_executor ex, outbox_store& store, delivery_settings settings, std::string consumer,
                clock& clk, http::client& out);

  // The completion SMS to a reporter carries their link to rate the job, open for `valid`; without
  // links configured it only says the job is done.
  void rating_links(rating_link::settings s, sla::duration valid) {
    links_ = std::move(s);
    link_valid_ = valid;
  }

  void start();
  void poke();  // new entries were written: look now rather than at the next poll
  const delivery_stats& stats() const { return stats_; }
  // Its Prometheus series: delivered, failed attempts, dead, in flight.
  std::string metrics() const;
  std::size_t in_flight() const { return in_flight_.size(); }

 private:
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<void> deliver(outbox_entry e);
  void settle(const outbox_entry& e);
  // Where and how an entry goes: the URL and the body to post there (empty URL: nowhere).
  std::pair<std::string, std::string> route_of(const outbox_entry& e) const;

  boost::asio::any_io_executor ex_;
  outbox_store& store_;
  delivery_settings settings_;
  rating_link::settings links_;
  sla::duration link_valid_ = std::chrono::days{7};
  std::string consumer_;
  clock& clock_;
  http::client& out_;
  boost::asio::steady_timer wake_;
  delivery_stats stats_;
  // Entries this sender is delivering (shard:stream id): a claim round must not start a second
  // delivery of one it is still retrying.
  std::set<std::string> in_flight_;
  // A poke that came while the loop was reading, not waiting: look again before sleeping.
  bool woken_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace halfhour
