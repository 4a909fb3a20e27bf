// Outbound HTTP: one POST with a deadline, over plain TCP or TLS (OpenSSL, the system's CA
// store, the host name checked). Beast stays inside client.cpp.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
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
  // POSTs `body` to `url` ("http://host:port/path" or "https://…"). Connection, TLS, write and
  // read together must finish within `timeout`. Failures to talk at all are errors; any HTTP
  // status is a result.
  virtual boost::asio::awaitable<boost::system::result<post_result>> post(std::string url, std::string body,
                                                                          std::string content_type, header_list headers,
                                                                          std::chrono::milliseconds timeout) = 0;
};

// A new connection per message, TLS for https:// (OpenSSL, the system's CA store).
std::unique_ptr<client> make_client(boost::asio::any_io_executor ex);

// The same POST as a function of its own (the benchmarks' receivers use it).
boost::asio::awaitable<boost::system::result<post_result>> post(boost::asio::any_io_executor ex, std::string url,
                                                                std::string body, std::string content_type,
                                                                header_list headers, std::chrono::milliseconds timeout);

}  // namespace halfhour::http
