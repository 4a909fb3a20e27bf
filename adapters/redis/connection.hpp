// One non-blocking Redis connection: hiredis bound to an Asio executor, every command with a
// timeout, reconnection with backoff, and fail-fast while Redis is away. Through Sentinel, it
// connects to the primary the sentinels name and follows a failover.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "adapters/redis/endpoint.hpp"
#include "adapters/redis/reply.hpp"
#include "adapters/redis/sentinel.hpp"

namespace halfhour::redis {

struct options {
  std::chrono::milliseconds command_timeout{2000};
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds backoff_min{20};
  std::chrono::milliseconds backoff_max{250};  // back well within a second of Redis returning
  std::string password;                        // sent with AUTH on every connect when set
};

class connection {
 public:
  // Starts connecting at once and keeps reconnecting until stop(). With sentinels, `ep` is not
  // used: every connect asks them where the primary is, and a server that is not the primary
  // (ROLE) or turns out a replica (READONLY) is dropped and asked for again. Until a primary
  // answers, commands fail at once as when Redis is away.
  static std::shared_ptr<connection> create(boost::asio::any_io_executor ex, endpoint ep, options opt,
                                            sentinel_settings sentinel = {});

  // Redis Cluster (adapters/redis/cluster_connection.cpp): one connection per node, found from
  // `seeds` (any nodes of the cluster) by CLUSTER SLOTS. Each command goes to the primary of its
  // key's slot; a command without a key (WAIT) goes to every primary. MOVED and ASK are
  // followed; a node lost (a failover) makes it ask for the map again until one is whole.
  static std::shared_ptr<connection> create_cluster(boost::asio::any_io_executor ex, std::vector<endpoint> seeds,
                                                    options opt);

  virtual ~connection() = default;

  // Sends one command. Transport failures (not connected, timed out, connection lost) are
  // error codes; an error reply from Redis is a reply of kind error.
  virtual boost::asio::awaitable<boost::system::result<reply>> command(std::vector<std::string> args) = 0;

  // Sends several commands at once (one write, replies in order) and completes when all have
  // answered: one round trip where awaiting each would take one per command. A transport
  // failure fails the batch; an error reply stands in its own place.
  virtual boost::asio::awaitable<boost::system::result<std::vector<reply>>> pipeline(
      std::vector<std::vector<std::string>> commands) = 0;

  // Sends a command that names no key (WAIT) to the node holding `key`: on a cluster, the one
  // a write of that key went to; on one server, the same as command().
  virtual boost::asio::awaitable<boost::system::result<reply>> command_beside(std::string key,
                                                                              std::vector<std::string> args) {
    (void)key;
    return command(std::move(args));
  }

  virtual bool connected() const = 0;
  virtual void stop() = 0;
};

}  // namespace halfhour::redis
