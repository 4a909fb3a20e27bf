// Redis Cluster's addressing, without a server: the slot a key hashes to (CRC16 of its hash tag,
// modulo 16384), the slot map CLUSTER SLOTS answers, and the MOVED/ASK redirects a node answers
// for a slot it does not serve. Pure, as sentinel.hpp: a cluster client built on the existing
// connection would carry these out.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
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

// The key that decides which node a command goes to, for the commands the engine sends: the
// first key of EVAL/EVALSHA, the stream after STREAMS, XGROUP's stream, else the first
// argument. None for a command without a key (WAIT, PING, ROLE, CLUSTER …), which a cluster
// client sends to every primary.
std::optional<std::string_view> key_of(const std::vector<std::string>& args);

// "CLUSTERDOWN …" or "TRYAGAIN …": the slot has no primary now (a failover under way), or a
// migration is half done; nothing was done, and the caller retries as when Redis is away.
bool cluster_unavailable(const reply& r);

// Which primary serves each slot, as CLUSTER SLOTS last said, corrected by MOVED redirects.
class slot_map {
 public:
  slot_map() { owner_.fill(-1); }

  void assign(const std::vector<slot_range>& ranges);
  // A MOVED redirect: the slot lives at `to` now (a node the map may not know yet).
  void move(std::uint16_t slot, const endpoint& to);

  const endpoint* primary_of(std::uint16_t slot) const {
    const auto i = owner_[slot];
    return i < 0 ? nullptr : &primaries_[static_cast<std::size_t>(i)];
  }
  // The primaries serving at least one slot, each once.
  std::vector<endpoint> primaries() const;
  // Every node of the last answer, replicas too: where to ask for the map next time.
  const std::vector<endpoint>& known() const { return known_; }
  bool complete() const;

 private:
  std::int16_t index_of(const endpoint& ep);
  void learn(const endpoint& ep);  // into known_, once

  std::vector<endpoint> primaries_;
  std::vector<endpoint> known_;
  std::array<std::int16_t, cluster_slots> owner_{};
};

}  // namespace halfhour::redis
