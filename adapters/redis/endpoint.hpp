// Where a Redis server listens, in a header of its own so that the pure pieces of the Redis
// adapter (sentinel discovery) need no Asio.
#pragma once

#include <string>

namespace halfhour::redis {

struct endpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_socket;  // used instead of host/port when set

  bool operator==(const endpoint&) const = default;
};

}  // namespace halfhour::redis
