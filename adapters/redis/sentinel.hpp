// Finding the primary through Redis Sentinel, as Sentinel's client guidelines ask: the sentinels
// are asked in turn for the primary's address, the first that answers goes first the next time,
// and none answering is a pause before asking again. Pure: the connection carries the actions
// out (adapters/redis/connection.cpp), so every step is tested without a socket.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "adapters/redis/endpoint.hpp"
#include "adapters/redis/reply.hpp"

namespace halfhour::redis {

// What to connect to: one server, or the primary the sentinels name.
struct sentinel_settings {
  std::vector<endpoint> sentinels;  // empty: no Sentinel, the endpoint is used as given
  std::string master;               // the name the sentinels monitor the primary by
  std::string password;             // the sentinels' own (their requirepass), when set
};

// The command that asks a sentinel for the primary of `master`.
std::vector<std::string> master_address_command(const std::string& master);

// The primary's address in a sentinel's answer (["host", "port"]); none for nil (no such
// master) or anything else.
std::optional<endpoint> master_address(const reply& r);

// Whether ROLE's answer is a primary's: a server the sentinels named may have been demoted
// since, and writes to a replica fail.
bool is_primary(const reply& r);

// Whether an error reply says the server is a replica now (writes refused): the connection
// drops it and asks the sentinels again.
bool is_readonly(const reply& r);

class sentinel_discovery {
 public:
  struct action {
    enum class kind { ask, connect, pause };
    kind what = kind::pause;
    std::size_t sentinel = 0;  // ask: the index of the sentinel, in the order of the settings
    endpoint primary;          // connect: where the primary is
  };

  explicit sentinel_discovery(std::size_t sentinels);

  // Begins a round: the first sentinel of the current order.
  action start();
  // The asked sentinel's answer, or none when it could not be reached in time.
  action answered(const reply* r);

  // The order the next round asks the sentinels in.
  const std::vector<std::size_t>& order() const { return order_; }

 private:
  std::vector<std::size_t> order_;
  std::size_t at_ = 0;
};

}  // namespace halfhour::redis
