// Redis Cluster's addressing, without a server: the slot a key hashes to (CRC16 of its hash tag,
// modulo 16384), the slot map CLUSTER SLOTS answers, and the MOVED/ASK redirects a node answers
// for a slot it does not serve. Pure, as sentinel.hpp: a cluster client built on the existing
// connection would carry these out.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "adapters/redis/endpoint.hpp"
#include "adapters/redis/reply.hpp"

namespace halfhour::redis {

constexpr std::uint16_t cluster_slots = 16384;

// The slot of `key`: of the part between the first '{' and the next '}' when that part is not
// empty ("hh:{s07}:wo:…" hashes "s07"), else of the whole key.
std::uint16_t key_slot(std::string_view key);

// One range of slots and the nodes that serve it, the primary first.
struct slot_range {
  std::uint16_t first = 0, last = 0;
  endpoint primary;
  std::vector<endpoint> replicas;
};

// CLUSTER SLOTS' answer; none when it is not one (a node without cluster mode answers an error).
std::optional<std::vector<slot_range>> slot_ranges(const reply& r);

// "MOVED 3999 127.0.0.1:6381": the slot now lives there (update the map); "ASK …": ask there
// once, after ASKING, while the slot migrates.
struct redirect {
  enum class kind { moved, ask };
  kind what = kind::moved;
  std::uint16_t slot = 0;
  endpoint to;
};
std::optional<redirect> redirect_of(const reply& r);

}  // namespace halfhour::redis
