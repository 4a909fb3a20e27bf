// Outbound HTTP: POSTs with a deadline, over plain TCP or TLS (OpenSSL, the system's CA
// store, the host name checked), on connections kept alive per host. Beast stays inside
// client.cpp.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace halfhour::http {

struct post_result {
  int status = 0;
  std::string body;  // the first 4 KiB, for the log
};

using header_list = std::vector<std::pair<std::string, std::string>>;

// The outgoing door: what the notification sender posts through. A port, so a test can stand
// a receiver of its own in for the world.
class client {
 public:
  virtual ~client() = default;
  // POSTs `body` to `url` ("http://host:port/path" or "https://…"). Waiting for a connection,
  // connecting, TLS, write and read together must finish within `timeout`. Failures to talk at
  // all are errors; any HTTP status is a result.
  virtual boost::asio::awaitable<boost::system::result<post_result>> post(std::string url, std::string body,
                                                                          std::string content_type, header_list headers,
                                                                          std::chrono::milliseconds timeout) = 0;
};

// How many connections the client holds and for how long. A host is (scheme, host, port).
// The defaults suit the outbox, which delivers at most 32 messages at once, nearly all to one
// host (every 企业微信 group robot is qyapi.weixin.qq.com).
struct pool_limits {
  // Connections open to one host at once, in use or idle; a post beyond waits for one (its
  // deadline counting) rather than opening more: a burst must not open a connection a message.
  std::size_t per_host = 16;
  // Idle connections kept over all hosts; beyond, the longest idle is closed. 0: nothing is
  // kept, a new connection per message.
  std::size_t idle = 32;
  // An idle connection is closed after this long; many servers drop theirs after 5 to 75 s,
  // and one that went first is noticed before reuse (or answered by one retry, see client.cpp).
  std::chrono::milliseconds idle_timeout{30000};
};

// Connections kept alive per host within `limits`, TLS for https:// (OpenSSL, the system's CA
// store). Destroying the client closes its idle connections.
std::unique_ptr<client> make_client(boost::asio::any_io_executor ex, pool_limits limits = {});

// The same POST as a function of its own, on a connection of its own (the benchmarks' receivers
// use it).
boost::asio::awaitable<boost::system::result<post_result>> post(boost::asio::any_io_executor ex, std::string url,
                                                                std::string body, std::string content_type,
                                                                header_list headers, std::chrono::milliseconds timeout);

}  // namespace halfhour::http
