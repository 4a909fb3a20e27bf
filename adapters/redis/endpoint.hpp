// Where a Redis server listens, in a header of its own so that the pure pieces of the Redis
// adapter (sentinel discovery) need no Asio.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

namespace halfhour::redis {

struct endpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_socket;  // used instead of host/port when set

  bool operator==(const endpoint&) const = default;
};

// A TCP port written in digits, 1..65535; none for anything else.
inline std::optional<int> port_of(std::string_view digits) {
  int port = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || end != digits.data() + digits.size() || port <= 0 || port > 65535) return std::nullopt;
  return port;
}

// "host:port" as configurations and Redis's redirects write it ("[::1]:6381" keeps its
// brackets); none without a host or a port.
inline std::optional<endpoint> endpoint_of(std::string_view host_port) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const auto port = port_of(host_port.substr(colon + 1));
  if (!port) return std::nullopt;
  return endpoint{std::string(host_port.substr(0, colon)), *port, {}};
}

}  // namespace halfhour::redis
