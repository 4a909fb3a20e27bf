#include "adapters/redis/cluster.hpp"

#include <algorithm>
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

namespace {

bool named(std::string_view arg, std::string_view upper) {
  return std::equal(arg.begin(), arg.end(), upper.begin(), upper.end(),
                    [](char a, char b) { return (a >= 'a' && a <= 'z' ? static_cast<char>(a - 32) : a) == b; });
}

}  // namespace

std::optional<std::string_view> key_of(const std::vector<std::string>& args) {
  if (args.size() < 2) return std::nullopt;
  const std::string_view name = args[0];
  if (named(name, "EVAL") || named(name, "EVALSHA")) {
    if (args.size() < 4 || args[2] == "0") return std::nullopt;
    return args[3];
  }
  if (named(name, "XREADGROUP") || named(name, "XREAD")) {
    const auto streams =
        std::find_if(args.begin(), args.end(), [](const std::string& a) { return named(a, "STREAMS"); });
    if (streams == args.end() || streams + 1 == args.end()) return std::nullopt;
    return *(streams + 1);
  }
  if (named(name, "XGROUP")) return args.size() >= 3 ? std::optional<std::string_view>(args[2]) : std::nullopt;
  for (std::string_view keyless : {"WAIT", "PING", "ROLE", "INFO", "CLUSTER", "SCRIPT", "ASKING", "AUTH"})
    if (named(name, keyless)) return std::nullopt;
  return args[1];
}

bool cluster_unavailable(const reply& r) {
  return r.is_error() && (r.str.starts_with("CLUSTERDOWN") || r.str.starts_with("TRYAGAIN"));
}

std::int16_t slot_map::index_of(const endpoint& ep) {
  const auto it = std::find(primaries_.begin(), primaries_.end(), ep);
  if (it != primaries_.end()) return static_cast<std::int16_t>(it - primaries_.begin());
  primaries_.push_back(ep);
  return static_cast<std::int16_t>(primaries_.size() - 1);
}

void slot_map::learn(const endpoint& ep) {
  if (std::find(known_.begin(), known_.end(), ep) == known_.end()) known_.push_back(ep);
}

void slot_map::assign(const std::vector<slot_range>& ranges) {
  primaries_.clear();
  known_.clear();
  owner_.fill(-1);
  for (const auto& r : ranges) {
    const auto i = index_of(r.primary);
    std::fill(owner_.begin() + r.first, owner_.begin() + r.last + 1, i);
    learn(r.primary);
    for (const auto& replica : r.replicas) learn(replica);
  }
}

void slot_map::move(std::uint16_t slot, const endpoint& to) {
  owner_[slot] = index_of(to);
  learn(to);
}

std::vector<endpoint> slot_map::primaries() const {
  std::vector<bool> serving(primaries_.size(), false);
  for (const auto i : owner_)
    if (i >= 0) serving[static_cast<std::size_t>(i)] = true;
  std::vector<endpoint> out;
  for (std::size_t i = 0; i < primaries_.size(); ++i)
    if (serving[i]) out.push_back(primaries_[i]);
  return out;
}

bool slot_map::complete() const {
  return std::none_of(owner_.begin(), owner_.end(), [](std::int16_t i) { return i < 0; });
}

}  // namespace halfhour::redis
