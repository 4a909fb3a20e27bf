#include "adapters/redis/cluster.hpp"

#include <array>
#include <charconv>
#include <string>

namespace halfhour::redis {

namespace {

// CRC16-CCITT (XMODEM: polynomial 0x1021, initial 0), as Redis Cluster specifies, by table.
constexpr std::array<std::uint16_t, 256> crc_table = [] {
  std::array<std::uint16_t, 256> t{};
  for (unsigned i = 0; i < 256; ++i) {
    std::uint16_t crc = static_cast<std::uint16_t>(i << 8);
    for (int bit = 0; bit < 8; ++bit) crc = static_cast<std::uint16_t>(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
    t[i] = crc;
  }
  return t;
}();

std::uint16_t crc16(std::string_view bytes) {
  std::uint16_t crc = 0;
  for (unsigned char b : bytes) crc = static_cast<std::uint16_t>((crc << 8) ^ crc_table[((crc >> 8) ^ b) & 0xFF]);
  return crc;
}

// A node in CLUSTER SLOTS: [host, port, id, ...].
std::optional<endpoint> node_of(const reply& r) {
  if (r.type != reply::kind::array || r.elements.size() < 2) return std::nullopt;
  const auto& host = r.elements[0];
  const auto& port = r.elements[1];
  if (host.type != reply::kind::string || host.str.empty() || port.type != reply::kind::integer) return std::nullopt;
  if (port.integer <= 0 || port.integer > 65535) return std::nullopt;
  return endpoint{host.str, static_cast<int>(port.integer), {}};
}

}  // namespace

std::uint16_t key_slot(std::string_view key) {
  const auto open = key.find('{');
  if (open != std::string_view::npos) {
    const auto close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) key = key.substr(open + 1, close - open - 1);
  }
  return static_cast<std::uint16_t>(crc16(key) % cluster_slots);
}

std::optional<std::vector<slot_range>> slot_ranges(const reply& r) {
  if (r.type != reply::kind::array) return std::nullopt;
  std::vector<slot_range> out;
  for (const auto& e : r.elements) {
    if (e.type != reply::kind::array || e.elements.size() < 3) return std::nullopt;
    const auto& first = e.elements[0];
    const auto& last = e.elements[1];
    if (first.type != reply::kind::integer || last.type != reply::kind::integer) return std::nullopt;
    if (first.integer < 0 || last.integer < first.integer || last.integer >= cluster_slots) return std::nullopt;
    slot_range range;
    range.first = static_cast<std::uint16_t>(first.integer);
    range.last = static_cast<std::uint16_t>(last.integer);
    auto primary = node_of(e.elements[2]);
    if (!primary) return std::nullopt;
    range.primary = std::move(*primary);
    for (std::size_t i = 3; i < e.elements.size(); ++i) {
      auto replica = node_of(e.elements[i]);
      if (!replica) return std::nullopt;
      range.replicas.push_back(std::move(*replica));
    }
    out.push_back(std::move(range));
  }
  return out;
}

std::optional<redirect> redirect_of(const reply& r) {
  if (!r.is_error()) return std::nullopt;
  std::string_view s = r.str;
  redirect out;
  if (s.starts_with("MOVED ")) out.what = redirect::kind::moved;
  else if (s.starts_with("ASK ")) out.what = redirect::kind::ask;
  else return std::nullopt;
  s.remove_prefix(s.find(' ') + 1);
  const auto space = s.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto digits = s.substr(0, space);
  unsigned slot = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), slot);
  if (ec != std::errc() || end != digits.data() + digits.size() || slot >= cluster_slots) return std::nullopt;
  out.slot = static_cast<std::uint16_t>(slot);
  auto to = endpoint_of(s.substr(space + 1));
  if (!to) return std::nullopt;
  out.to = std::move(*to);
  return out;
}

}  // namespace halfhour::redis
