// The HTTP door: a Beast server that reads bounded requests (body, header and time limits)
// and hands each to a plain handler. Beast stays inside server.cpp.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace halfhour::http {

struct request {
  std::string method;
  std::string target;
  std::string content_type;
  std::string accept;
  std::string authorization;
  std::string body;
  std::string idempotency_key;  // Idempotency-Key: a client's own key for a retried POST
  std::string api_key;          // X-Api-Key
  std::string remote;           // the peer's address (not X-Forwarded-For: a client can forge it)
  std::string cookie;           // Cookie: a page's session
  std::string requested_with;   // X-Requested-With: a page's own calls (a cross-site form cannot set it)
  std::string forwarded_proto;  // X-Forwarded-Proto: believed only from a trusted proxy
  std::string forwarded_for;    // X-Forwarded-For: believed only from a trusted proxy
};

// Writes one piece of a streamed body; false once the client is gone.
using body_writer = std::function<boost::asio::awaitable<bool>(std::string)>;

struct response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set for a body written as it comes (server-sent events): the server sends the head, then
  // hands `stream` a writer; the connection closes when `stream` returns.
  std::function<boost::asio::awaitable<void>(body_writer)> stream;
};

using handler = std::function<boost::asio::awaitable<response>(request)>;

struct server_options {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port
  std::size_t body_limit = 64 * 1024;
  std::size_t header_limit = 8 * 1024;
  std::chrono::seconds read_timeout{30};
  // Connections held at once; 0: derived from the process's file-descriptor limit, leaving room
  // for Redis, outgoing deliveries and files. At the cap, a new connection displaces the oldest
  // one that is still waiting for its request; only when every one is being answered is the
  // newcomer told 503.
  std::size_t max_connections = 0;
};

class server {
 public:
  virtual ~server() = default;
  virtual unsigned short port() const = 0;
  virtual void stop() = 0;
};

// Binds and starts accepting; throws if the address cannot be bound (a start-up error).
std::unique_ptr<server> make_server(boost::asio::any_io_executor ex, server_options opt, handler h);

}  // namespace halfhour::http
