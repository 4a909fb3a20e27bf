// One non-blocking Redis connection: hiredis bound to an Asio executor, every command with a
// timeout, reconnection with backoff, and fail-fast while Redis is away.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "adapters/redis/reply.hpp"

namespace halfhour::redis {

struct endpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_socket;  // used instead of host/port when set
};

struct options {
  std::chrono::milliseconds command_timeout{2000};
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds backoff_min{20};
  std::chrono::milliseconds backoff_max{250};  // back well within a second of Redis returning
};

class connection {
 public:
  // Starts connecting at once and keeps reconnecting until stop().
  static std::shared_ptr<connection> create(boost::asio::any_io_executor ex, endpoint ep, options opt);

  virtual ~connection() = default;

  // Sends one command. Transport failures (not connected, timed out, connection lost) are
  // error codes; an error reply from Redis is a reply of kind error.
  virtual boost::asio::awaitable<boost::system::result<reply>> command(std::vector<std::string> args) = 0;

  // Sends several commands at once (one write, replies in order) and completes when all have
  // answered: one round trip where awaiting each would take one per command. A transport
  // failure fails the batch; an error reply stands in its own place.
  virtual boost::asio::awaitable<boost::system::result<std::vector<reply>>> pipeline(
      std::vector<std::vector<std::string>> commands) = 0;

  virtual bool connected() const = 0;
  virtual void stop() = 0;
};

}  // namespace halfhour::redis
