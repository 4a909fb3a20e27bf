#include "adapters/redis/layout.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "adapters/codec.hpp"
#include "adapters/errors.hpp"
#include "adapters/record_packing.hpp"
#include "sla/sms_reply.hpp"

namespace halfhour::redis::layout {

using boost::system::error_code;
using boost::system::result;

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

sla::instant instant_of_score(std::string_view score) { return sla::from_ms(ms_of_score(score)); }

// A work order's record back into the work order at its version.
result<sla::work_order> decode_record(const order_parts& parts) {
  auto wo = packing::unpack_work_order(parts.record);
  if (!wo) return wo.error();
  wo->version = parts.version;
  return wo;
}

}  // namespace

long long ms_of_score(std::string_view score) {
  double ms = 0;
  std::from_chars(score.data(), score.data() + score.size(), ms);
  return static_cast<long long>(ms);
}

bool is_pair(const reply& r) { return r.type == reply::kind::array && r.elements.size() == 2; }

namespace {
std::uint32_t fnv1a(std::string_view key) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : key) h = (h ^ c) * 16777619u;
  return h;
}
}  // namespace

int shard_of(std::string_view key) { return static_cast<int>(fnv1a(key) % shard_count); }

int shard_of_id(std::string_view id) {
  // "W", two digits, "-", six to twelve digits: nothing else names a shard.
  if (id.size() < 10 || id.size() > 16 || id[0] != 'W' || id[3] != '-') return -1;
  if (!is_digit(id[1]) || !is_digit(id[2])) return -1;
  if (!std::all_of(id.begin() + 4, id.end(), is_digit)) return -1;
  int s = (id[1] - '0') * 10 + (id[2] - '0');
  return s < shard_count ? s : -1;
}

std::optional<long long> number_of(std::string_view text, int base) {
  long long n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n, base);
  if (text.empty() || ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return n;
}

int shard_of_code(std::string_view code) {
  if (!sla::is_short_code(code)) return -1;
  const auto n = *number_of(code, 10);  // digits only: is_short_code says so
  if (n < code_first) return -1;
  return static_cast<int>(n % shard_count);
}

long long number_of_id(std::string_view id) { return shard_of_id(id) < 0 ? -1 : *number_of(id.substr(4), 10); }

std::string id_of(int shard, long long seq) { return fmt::format("W{:02}-{:06}", shard, seq); }

std::string keys::in_shard(int shard, std::string_view what) const {
  return fmt::format("{}:{{s{:02}}}:{}", prefix_, shard, what);
}
std::string keys::steps_bucket(int shard, long long bucket) const {
  return fmt::format("{}:{{s{:02}}}:steps:{}", prefix_, shard, bucket);
}
std::string keys::idempotency_bucket(std::string_view key) const {
  const auto h = fnv1a(key);
  return fmt::format("{}:{{s{:02}}}:idem:{}", prefix_, h % shard_count, (h / shard_count) % idem_buckets);
}
std::string keys::code_bucket(int shard, std::string_view code) const {
  const auto n = number_of(code, 10).value_or(code_first);
  return fmt::format("{}:{{s{:02}}}:codes:{}", prefix_, shard, (n - code_first) / shard_count / bucket_size);
}
std::string keys::open(int shard, std::string_view organisation) const {
  return fmt::format("{}:{{s{:02}}}:open:{}", prefix_, shard, organisation);
}
std::string keys::near(int shard, std::string_view community) const {
  return fmt::format("{}:{{s{:02}}}:near:{}", prefix_, shard, community);
}
std::string keys::once(int shard, std::string_view name) const {
  return fmt::format("{}:{{s{:02}}}:once:{}", prefix_, shard, name);
}
std::string keys::order(std::string_view id) const { return order(shard_of_id(id), id); }
std::string keys::order(int shard, std::string_view id) const {
  return fmt::format("{}:{{s{:02}}}:wo:{}", prefix_, shard, std::max(0LL, number_of_id(id)) / order_bucket_size);
}
std::string keys::older_order(std::string_view id) const {
  return fmt::format("{}:{{s{:02}}}:wo:{}", prefix_, shard_of_id(id), id);
}
std::string keys::lease(std::string_view name) const { return fmt::format("{}:{{lease}}:{}", prefix_, name); }
std::string keys::in_auth(std::string_view kind, std::string_view rest) const {
  return fmt::format("{}:{{auth}}:{}:{}", prefix_, kind, rest);
}

std::string near_member(const sla::work_order& wo) {
  return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", number_of_id(wo.id), wo.cls.category,
                     wo.cls.level == sla::urgency::urgent ? "u" : "g", wo.where.building, wo.where.room);
}

std::optional<sla::recent_job> parse_near_member(std::string_view m, int shard) {
  std::array<std::string_view, 5> f;  // views: a burst puts hundreds here per report
  std::size_t n = 0, from = 0;
  for (; n < f.size(); ++n) {
    const auto to = m.find('\x1f', from);
    f[n] = m.substr(from, to == std::string_view::npos ? std::string_view::npos : to - from);
    if (to == std::string_view::npos) break;
    from = to + 1;
  }
  if (n != f.size() - 1) return std::nullopt;
  // The id's number in the shard; a member written before layout 5 holds the whole id.
  auto number = number_of(f[0], 10);
  auto id = number ? id_of(shard, *number) : std::string(f[0]);
  if (shard_of_id(id) != shard) return std::nullopt;
  return sla::recent_job{std::move(id), std::string(f[1]), f[2] == "u" ? sla::urgency::urgent : sla::urgency::general,
                         std::string(f[3]), std::string(f[4])};
}

error_code error_of(const reply& r) {
  if (r.str.starts_with("LOADING") || r.str.starts_with("MASTERDOWN") || r.str.starts_with("READONLY"))
    return errc::unavailable;
  spdlog::error("redis: {}", r.str);
  return errc::rejected;
}

result<void> ok_of(const reply& r) {
  if (r.is_error()) return error_of(r);
  return {};
}

result<long long> counter_of(const reply& r) {
  if (r.type != reply::kind::integer) return error_of(r);
  return r.integer;
}

result<create_answer> created_of(const reply& r) {
  if (r.type != reply::kind::array || r.elements.size() < 2) return error_of(r);
  if (r.elements[0].integer == 0) return create_answer{false, r.elements[1].str, {}};
  std::string code = r.elements.size() > 2 ? r.elements[2].str : std::string();
  return create_answer{true, {}, std::move(code)};
}

result<std::optional<std::string>> code_holder_of(const reply& r) {
  if (r.type == reply::kind::nil) return std::optional<std::string>();
  if (r.type != reply::kind::string) return error_of(r);
  return std::optional<std::string>(r.str);
}

result<std::int64_t> applied_of(const reply& r) {
  if (!is_pair(r)) return error_of(r);
  switch (r.elements[0].integer) {
    case 1: return r.elements[1].integer;
    case 0: return make_error_code(errc::conflict);
    case -2: return make_error_code(errc::stale);
    default: return make_error_code(errc::not_found);
  }
}

result<order_parts> split_order(std::string_view value) {
  // "<version>:<record length>|<record><journal>"
  const auto colon = value.find(':');
  const auto bar = value.find('|');
  long long version = 0;
  std::size_t size = 0;
  if (colon == std::string_view::npos || bar == std::string_view::npos || bar < colon)
    return make_error_code(errc::corrupt);
  auto v = std::from_chars(value.data(), value.data() + colon, version);
  auto n = std::from_chars(value.data() + colon + 1, value.data() + bar, size);
  if (v.ec != std::errc{} || v.ptr != value.data() + colon || n.ec != std::errc{} || n.ptr != value.data() + bar ||
      size > value.size() - bar - 1)
    return make_error_code(errc::corrupt);
  return order_parts{version, value.substr(bar + 1, size), value.substr(bar + 1 + size)};
}

result<stored_order> order_of(const reply& value, bool with_history) {
  if (value.is_error()) return error_of(value);
  if (value.type != reply::kind::string) return make_error_code(errc::not_found);
  auto parts = split_order(value.str);
  if (!parts) return parts.error();
  auto wo = decode_record(*parts);
  if (!wo) return wo.error();
  stored_order out{std::move(*wo), {}, {}};
  if (with_history) {
    auto j = codec::decode_journal(parts->journal);
    if (!j) return j.error();
    out.history = std::move(j->events);
    out.notices = std::move(j->notices);
  }
  return out;
}

result<std::vector<sla::work_order>> orders_of(const std::vector<reply>& values) {
  std::vector<sla::work_order> out;
  for (const auto& value : values) {
    if (value.is_error()) return error_of(value);
    if (value.type != reply::kind::string) continue;  // gone meanwhile
    auto parts = split_order(value.str);
    if (!parts) return parts.error();
    auto wo = decode_record(*parts);
    if (!wo) return wo.error();
    out.push_back(std::move(*wo));
  }
  return out;
}

result<void> histories_of(const std::vector<reply>& values, std::vector<stored_order>& out) {
  for (const auto& value : values) {
    auto one = order_of(value, true);
    if (!one && one.error() == errc::not_found) continue;  // gone meanwhile
    if (!one) return one.error();
    one->notices.clear();
    out.push_back(std::move(*one));
  }
  return {};
}

result<void> raw_orders_of(const std::vector<reply>& values, const std::vector<std::string>& ids,
                           std::vector<archived_order>& out) {
  for (std::size_t i = 0; i < values.size() && i < ids.size(); ++i) {
    const auto& value = values[i];
    if (value.is_error()) return error_of(value);
    if (value.type != reply::kind::string) continue;  // gone meanwhile
    auto parts = split_order(value.str);
    if (!parts) return parts.error();
    out.push_back({ids[i], parts->version, std::string(parts->record), std::string(parts->journal)});
  }
  return {};
}

result<bool> retired_of(const reply& r) {
  // result<bool> cannot tell an error_code from a bool by conversion: say which it is.
  if (r.type != reply::kind::integer) return result<bool>(boost::system::in_place_error, error_of(r));
  return r.integer != 0;
}

result<std::vector<std::string>> members_of(std::vector<reply> sets) {
  std::vector<std::string> out;
  for (auto& set : sets) {
    if (set.type != reply::kind::array) return error_of(set);
    for (auto& e : set.elements) out.push_back(std::move(e.str));
  }
  return out;
}

result<std::vector<std::string>> oldest_of(std::vector<reply> sets, std::size_t limit) {
  std::vector<std::pair<long long, std::string>> scored;
  for (auto& set : sets) {
    if (set.type != reply::kind::array) return error_of(set);
    for (std::size_t i = 0; i + 1 < set.elements.size(); i += 2)
      scored.emplace_back(ms_of_score(set.elements[i + 1].str), std::move(set.elements[i].str));
  }
  std::sort(scored.begin(), scored.end());
  if (scored.size() > limit) scored.resize(limit);
  std::vector<std::string> ids;
  ids.reserve(scored.size());
  for (auto& [_, id] : scored) ids.push_back(std::move(id));
  return ids;
}

result<std::vector<sla::index_position>> newest_of(std::vector<reply> sets, const sla::index_position& below,
                                                   std::size_t limit) {
  std::vector<sla::index_position> out;
  for (auto& set : sets) {
    if (set.type != reply::kind::array) return error_of(set);
    for (std::size_t i = 0; i + 1 < set.elements.size(); i += 2) {
      sla::index_position p{instant_of_score(set.elements[i + 1].str), std::move(set.elements[i].str)};
      if (sla::after(p, below)) out.push_back(std::move(p));
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return sla::after(b, a); });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.size() > limit) out.resize(limit);
  return out;
}

result<std::vector<sla::recent_job>> recent_jobs_of(std::vector<reply> sets, std::string_view community) {
  std::vector<sla::recent_job> out;
  for (std::size_t shard = 0; shard < sets.size(); ++shard) {
    const auto& set = sets[shard];
    if (set.type != reply::kind::array) return error_of(set);
    for (const auto& m : set.elements) {
      auto job = parse_near_member(m.str, static_cast<int>(shard));
      if (!job) {
        spdlog::error("redis: ignoring malformed entry {} of {}'s recent jobs", m.str, community);
        continue;
      }
      out.push_back(std::move(*job));
    }
  }
  return out;
}

known_key known_of(std::string_view v) {
  if (v.starts_with("screened|")) return {{}, true, std::string(v.substr(9))};
  return {std::string(v), false, {}};
}

result<std::optional<known_key>> lookup_of(const reply& r) {
  if (r.is_error()) return error_of(r);
  if (r.type != reply::kind::string) return std::optional<known_key>{};
  return std::optional<known_key>{known_of(r.str)};
}

result<known_key> screened_of(const reply& r) {
  if (r.type != reply::kind::string) return error_of(r);
  return known_of(r.str);
}

result<std::string> remembered_of(reply r) {
  if (r.type != reply::kind::string) return error_of(r);
  return std::move(r.str);
}

result<bool> lease_of(const reply& r) {
  // result<bool> cannot tell an error_code from a bool by conversion: say which it is.
  if (r.is_error()) return result<bool>(boost::system::in_place_error, error_of(r));
  return r.type == reply::kind::status;  // "OK"; nil when someone holds it
}

result<bool> unmarked_of(const std::vector<reply>& r) {
  auto refuse = [](error_code ec) { return result<bool>(boost::system::in_place_error, ec); };
  if (r.empty()) return refuse(make_error_code(errc::rejected));
  const auto& mark = r[0];
  if (mark.is_error()) return refuse(error_of(mark));
  if (mark.type == reply::kind::string && taken_over(mark.str)) return true;
  if (mark.type == reply::kind::string && mark.str != version) {
    spdlog::critical("redis: the store is marked layout {}; this engine reads and writes layout {}", mark.str, version);
    return refuse(make_error_code(errc::incompatible));
  }
  // Layout 1 never marked its store and kept each record in a hash.
  for (std::size_t i = 1; i < r.size(); ++i) {
    if (r[i].str != "hash") continue;
    spdlog::critical(
        "redis: the store holds work orders of layout 1; this engine reads and writes layout {}: "
        "start it on an empty store",
        version);
    return refuse(make_error_code(errc::incompatible));
  }
  return mark.type != reply::kind::string;
}

std::optional<outbox_entry> entry_of(int shard, const reply& r) {
  if (!is_pair(r)) return std::nullopt;
  if (r.elements[1].type != reply::kind::array) return std::nullopt;  // deleted meanwhile
  outbox_entry e;
  e.shard = shard;
  e.stream_id = r.elements[0].str;
  const auto& kv = r.elements[1].elements;
  for (std::size_t i = 0; i + 1 < kv.size(); i += 2) {
    const auto& f = kv[i].str;
    const auto& v = kv[i + 1].str;
    if (f == "key") e.key = v;
    else if (f == "to") e.to = v;
    else if (f == "org") e.organisation = v;
    else if (f == "kind") e.kind = v;
    else if (f == "wo") e.work_order = v;
    else if (f == "text") e.text = v;
    else if (f == "ref") e.ref = v;
    else if (f == "code") e.short_code = v;
  }
  return e;
}

result<void> groups_of(const std::vector<reply>& per_shard) {
  for (const auto& one : per_shard)
    if (one.is_error() && !one.str.starts_with("BUSYGROUP")) return make_error_code(errc::rejected);
  return {};
}

result<std::vector<outbox_entry>> new_entries_of(const std::vector<reply>& per_shard) {
  std::vector<outbox_entry> out;
  for (std::size_t s = 0; s < per_shard.size(); ++s) {
    const auto& one = per_shard[s];
    if (one.is_error()) return make_error_code(errc::rejected);
    if (one.type != reply::kind::array) continue;  // nil: nothing new
    for (const auto& per_stream : one.elements) {
      if (per_stream.elements.size() != 2) continue;
      for (const auto& entry : per_stream.elements[1].elements)
        if (auto e = entry_of(static_cast<int>(s), entry)) out.push_back(std::move(*e));
    }
  }
  return out;
}

std::vector<outbox_entry> claimed_entries_of(const std::vector<reply>& per_shard) {
  std::vector<outbox_entry> out;
  for (std::size_t s = 0; s < per_shard.size(); ++s) {
    const auto& one = per_shard[s];
    if (one.is_error() || one.type != reply::kind::array || one.elements.size() < 2) continue;
    for (const auto& entry : one.elements[1].elements)
      if (auto e = entry_of(static_cast<int>(s), entry)) out.push_back(std::move(*e));
  }
  return out;
}

result<bool> posted_of(const reply& r) {
  if (r.type != reply::kind::integer)
    return result<bool>(boost::system::in_place_error, make_error_code(errc::rejected));
  return r.integer == 1;
}

result<void> written_of(const reply& r) {
  if (r.is_error()) return make_error_code(errc::rejected);
  return {};
}

std::optional<stored_member> member_of(std::string_view id, const std::vector<reply>& f, std::size_t at) {
  if (f.size() < at + 3) return std::nullopt;
  for (std::size_t i = at; i < at + 3; ++i)
    if (f[i].type != reply::kind::string) return std::nullopt;
  stored_member out{sla::member{std::string(id), f[at].str, f[at + 1].str, sla::role::crew}, {}, {}};
  if (!sla::role_from_code(f[at + 2].str, out.member.kind)) return std::nullopt;
  if (f.size() > at + 3 && f[at + 3].type == reply::kind::string) out.code_hash = f[at + 3].str;
  if (f.size() > at + 4 && f[at + 4].type == reply::kind::string && f[at + 4].str != "0") {
    long long ms = 0;
    try {
      ms = std::stoll(f[at + 4].str);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    out.code_expires = sla::from_ms(ms);
  }
  return out;
}

std::optional<stored_member> found_member_of(std::string_view id, const reply& r) {
  if (r.type != reply::kind::array || r.elements.size() != 5) return std::nullopt;
  return member_of(id, r.elements, 0);
}

result<login_attempt> attempt_of(std::string_view phone, const reply& r) {
  if (r.type != reply::kind::array || r.elements.size() != 7 || r.elements[0].type != reply::kind::integer ||
      r.elements[1].type != reply::kind::integer)
    return make_error_code(errc::rejected);
  return login_attempt{r.elements[0].integer, r.elements[1].integer, member_of(phone, r.elements, 2)};
}

std::optional<sla::member> session_of(const reply& r) {
  if (r.type != reply::kind::array || r.elements.size() != 4 || r.elements[3].type != reply::kind::string)
    return std::nullopt;
  auto m = member_of(r.elements[3].str, r.elements, 0);
  if (!m) return std::nullopt;
  return m->member;
}

}  // namespace halfhour::redis::layout
