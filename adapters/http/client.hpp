// Outbound HTTP: one POST with a deadline, over plain TCP or TLS (OpenSSL, the system's CA
// store, the host name checked). Beast stays inside client.cpp.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace halfhour::http {

struct post_result {
  int status = 0;
  std::string body;  // the first 4 KiB, for the log
};

// POSTs `body` to `url` ("http://host:port/path" or "https://…"). Connection, TLS, write and
// read together must finish within `timeout`. Failures to talk at all are errors; any HTTP
// status is a result.
boost::asio::awaitable<boost::system::result<post_result>> post(
    boost::asio::any_io_executor ex, std::string url, std::string body, std::string content_type,
    std::vector<std::pair<std::string, std::string>> headers, std::chrono::milliseconds timeout);

}  // namespace halfhour::http
