// Key layout (prefix "hh", shard s in 00..15, the hash tag keeping a shard in one slot):
//   hh:{s07}:wo:<id>     string "<version>|<WorkOrder (protobuf)>"
//   hh:{s07}:wo:<id>:h   the work order's journal (Journal, protobuf), only ever extended: its
//                        events (the immutable history), the notifications it owes, and what
//                        the outbox's sender did with each
//   hh:{s07}:dl          sorted set of "<id>|<clock>" scored by deadline (ms since epoch)
//   hh:{s07}:idem        hash idempotency key -> id
//   hh:{s07}:seq         counter for ids, taken a block at a time
//   hh:{s07}:open:<org>  set of the ids of open work orders an organisation holds
//   hh:{s07}:outbox      stream of notifications owed (key, to, org, kind, wo, text), written
//                        in the same script as the event that caused them; the sender deletes
//                        an entry once it has settled it
//   hh:{s07}:accepted    sorted set of the ids of the shard's work orders by acceptance (ms)
//   hh:{s07}:near:<community>  the same for one community, trimmed to the last two days, each
//                        member "<id>␟<category>␟<u|g>␟<building>␟<room>" (␟ = \x1f): where a new
//                        report looks for the open job it may repeat, reading only the likely ones
//   hh:{s07}:screened    stream of chat messages screened out as no request
//   hh:{lease}:<name>    a short lease shared by the engines (SET NX PX)
//   hh:layout            "2": the layout described here
// An idempotency key maps to a work order id, or to "screened|<reason>".
// A deadline member is "<id>|<clock>" for the clock's deadline, "<id>|<clock>|warn<i>" for its
// i-th warning and "<id>|<clock>|renotify" for the reminder after a breach.
// A work order's shard comes from its idempotency key, and its id names the shard, so every
// script touches keys of one slot only and runs unchanged on Redis Cluster.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <regex>

#include "adapters/codec.hpp"
#include "adapters/errors.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/redis/script.hpp"
#include "adapters/redis/journal_lua.hpp"
#include "adapters/store.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

namespace {

constexpr int shard_count = 16;
constexpr const char* layout = "2";  // the storage layout below; hh:layout holds it

// Both scripts extend the work order's journal with their events and the notifications they owe,
// and end with the notifications, each to the shard's outbox with its text, for the sender. Both
// store the record as "<version>|<protobuf>": a string is the smallest a Redis value can be.
const std::string shared_lua = std::string(redis::journal_lua) + R"lua(
local function owe(outbox, wo, i)
  local n = tonumber(ARGV[i]); i = i + 1
  for _ = 1, n do
    redis.call('XADD', outbox, '*', 'key', ARGV[i], 'to', ARGV[i + 1], 'org', ARGV[i + 2], 'kind', ARGV[i + 3],
               'wo', wo, 'text', ARGV[i + 4], 'ref', ARGV[i + 5])
    i = i + 6
  end
end
)lua";

const std::string create_script = shared_lua + R"lua(
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return {0, existing} end
if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('ERR id already in use') end
redis.call('SET', KEYS[2], '1|' .. ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[5], ARGV[2])
redis.call('ZADD', KEYS[8], ARGV[4], ARGV[2])
if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[7], ARGV[4], ARGV[5])
  redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', tonumber(ARGV[4]) - 172800000)
end
journal(KEYS[3], ARGV[6])
local i = 7
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZADD', KEYS[4], ARGV[i], ARGV[i + 1]); i = i + 2 end
owe(KEYS[6], ARGV[2], i)
return {1, ARGV[2]}
)lua";

const std::string screen_script = R"lua(
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return existing end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', 100000, '*', 'key', ARGV[1], 'channel', ARGV[2], 'no', ARGV[3],
           'community', ARGV[4], 'sender', ARGV[5], 'text', ARGV[6], 'reason', ARGV[7], 'at', ARGV[8])
redis.call('HSET', KEYS[1], ARGV[1], 'screened|' .. ARGV[7])
return 'screened|' .. ARGV[7]
)lua";

const std::string release_script = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

const std::string apply_script = shared_lua + R"lua(
local record = redis.call('GET', KEYS[1])
if not record then return {-1, 0} end
local v = tonumber(string.sub(record, 1, string.find(record, '|', 1, true) - 1))
if v ~= tonumber(ARGV[1]) then return {0, v} end
-- A step fires only while it is still armed for the moment it was armed for: a second firing
-- of it (a sweep, a recovery, another engine) finds it gone or moved and writes nothing.
if ARGV[6] ~= '' then
  local sc = redis.call('ZSCORE', KEYS[3], ARGV[6])
  if not sc or tonumber(sc) ~= tonumber(ARGV[7]) then return {-2, 0} end
end
local nv = v + 1
redis.call('SET', KEYS[1], nv .. '|' .. ARGV[2])
if ARGV[3] == '1' then redis.call('SREM', KEYS[4], ARGV[5]) end
if ARGV[4] == '1' then redis.call('SADD', KEYS[5], ARGV[5]) end
journal(KEYS[2], ARGV[8])
local i = 9
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZREM', KEYS[3], ARGV[i]); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZADD', KEYS[3], ARGV[i], ARGV[i + 1]); i = i + 2 end
owe(KEYS[6], ARGV[5], i)
return {1, nv}
)lua";

using redis::sha1_hex;

int shard_of(std::string_view key) {
  std::uint32_t h = 2166136261u;  // FNV-1a: stable across builds and machines
  for (unsigned char c : key) h = (h ^ c) * 16777619u;
  return static_cast<int>(h % shard_count);
}

// "W07-000123" -> 7; -1 when the text is not an id of ours.
int shard_of_id(std::string_view id) {
  static const std::regex re(R"(W(\d\d)-\d{6,12})");
  if (!std::regex_match(id.begin(), id.end(), re)) return -1;
  int s = (id[1] - '0') * 10 + (id[2] - '0');
  return s < shard_count ? s : -1;
}

boost::system::error_code from_reply_error(const redis::reply& r) {
  if (r.str.starts_with("LOADING") || r.str.starts_with("MASTERDOWN") || r.str.starts_with("READONLY"))
    return errc::unavailable;
  spdlog::error("redis: {}", r.str);
  return errc::rejected;
}

class redis_store final : public work_order_store {
 public:
  redis_store(std::shared_ptr<redis::connection> conn, std::string prefix)
      : conn_(std::move(conn)), prefix_(std::move(prefix)), create_sha_(sha1_hex(create_script)),
        apply_sha_(sha1_hex(apply_script)), screen_sha_(sha1_hex(screen_script)),
        release_sha_(sha1_hex(release_script)) {}

  asio::awaitable<result<created_order>> create(std::string key,
                                                std::function<sla::decision(std::string id)> build) override {
    // A known key is found by the script itself, which answers with its work order: callers
    // look the key up first, so a second look here would cost every ticket a round trip.
    const int shard = shard_of(key);
    auto seq = co_await next_id(shard);
    if (!seq) co_return seq.error();
    auto id = fmt::format("W{:02}-{:06}", shard, *seq);

    auto d = build(id);
    d.next.version = 1;
    const auto& community = d.next.where.community_name;
    std::vector<std::string> args{"EVALSHA",
                                  create_sha_,
                                  "8",
                                  shard_key(shard, "idem"),
                                  order_key(id),
                                  journal_key(id),
                                  shard_key(shard, "dl"),
                                  open_key(shard, d.next.holder),
                                  shard_key(shard, "outbox"),
                                  near_key(shard, community),
                                  shard_key(shard, "accepted"),
                                  key,
                                  id,
                                  codec::encode_work_order(d.next),
                                  std::to_string(sla::to_ms(d.next.accepted_at)),
                                  community.empty() ? std::string() : near_member(d.next),
                                  codec::journal_append(d.events, d.notify)};
    append_arms(args, id, d.arm);
    append_notifications(args, d.notify);
    auto r = co_await eval(std::move(args), create_script);
    if (!r) co_return r.error();
    if (r->type != redis::reply::kind::array || r->elements.size() != 2) co_return from_reply_error(*r);
    if (r->elements[0].integer == 0) co_return co_await existing(r->elements[1].str);  // lost a race
    co_return created_order{{std::move(d.next), std::move(d.events)}, true};
  }

  asio::awaitable<result<stored_order>> load(std::string id, bool with_history) override {
    if (shard_of_id(id) < 0) co_return make_error_code(errc::not_found);
    std::vector<std::vector<std::string>> commands{{"GET", order_key(id)}};
    if (with_history) commands.push_back({"GET", journal_key(id)});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    const auto& record = (*r)[0];
    if (record.is_error()) co_return from_reply_error(record);
    if (record.type != redis::reply::kind::string) co_return make_error_code(errc::not_found);
    auto wo = decode_stored(record.str);
    if (!wo) co_return wo.error();
    stored_order out{std::move(*wo), {}, {}};
    if (with_history) {
      auto j = decode_journal((*r)[1]);
      if (!j) co_return j.error();
      out.history = std::move(j->events);
      out.notices = std::move(j->notices);
    }
    co_return out;
  }

  asio::awaitable<result<std::int64_t>> apply(sla::decision d, sla::work_order before,
                                              std::optional<sla::deadline> firing) override {
    const auto& id = d.next.id;
    const int shard = shard_of_id(id);
    if (shard < 0) co_return make_error_code(errc::not_found);
    // The open-jobs index follows the holder: out of the old holder's set when the job leaves
    // it or closes, into the new holder's set when it arrives there still open.
    const bool was_open = before.state != sla::wo_state::done;
    const bool is_open = d.next.state != sla::wo_state::done;
    const bool moved = before.holder != d.next.holder;
    std::vector<std::string> args{"EVALSHA",
                                  apply_sha_,
                                  "6",
                                  order_key(id),
                                  journal_key(id),
                                  shard_key(shard, "dl"),
                                  open_key(shard, before.holder),
                                  open_key(shard, d.next.holder),
                                  shard_key(shard, "outbox"),
                                  std::to_string(before.version),
                                  codec::encode_work_order(d.next),
                                  was_open && (!is_open || moved) ? "1" : "0",
                                  is_open && (!was_open || moved) ? "1" : "0",
                                  id,
                                  firing ? member(id, *firing) : std::string(),
                                  firing ? std::to_string(sla::to_ms(firing->at)) : std::string(),
                                  codec::journal_append(d.events, d.notify)};
    args.push_back(std::to_string(d.cancel.size()));
    for (const auto& c : d.cancel) args.push_back(member(id, c));
    append_arms(args, id, d.arm);
    append_notifications(args, d.notify);
    auto r = co_await eval(std::move(args), apply_script);
    if (!r) co_return r.error();
    if (r->type != redis::reply::kind::array || r->elements.size() != 2) co_return from_reply_error(*r);
    switch (r->elements[0].integer) {
      case 1: co_return r->elements[1].integer;
      case 0: co_return make_error_code(errc::conflict);
      case -2: co_return make_error_code(errc::stale);
      default: co_return make_error_code(errc::not_found);
    }
  }

  asio::awaitable<result<void>> scan_deadlines(std::function<void(std::vector<armed_deadline>)> visit) override {
    for (int shard = 0; shard < shard_count; ++shard) {
      std::string cursor = "0";
      do {
        auto r = co_await run("ZSCAN", shard_key(shard, "dl"), cursor, "COUNT", "1000");
        if (!r) co_return r.error();
        if (r->type != redis::reply::kind::array || r->elements.size() != 2) co_return from_reply_error(*r);
        cursor = r->elements[0].str;
        const auto& items = r->elements[1].elements;
        std::vector<armed_deadline> chunk;
        chunk.reserve(items.size() / 2);
        for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
          const auto& m = items[i].str;
          double score = 0;
          std::from_chars(items[i + 1].str.data(), items[i + 1].str.data() + items[i + 1].str.size(), score);
          auto parsed = parse_member(m, sla::from_ms(static_cast<long long>(score)));
          if (!parsed) {
            spdlog::error("redis: ignoring malformed deadline member {}", m);
            continue;
          }
          chunk.push_back(std::move(*parsed));
        }
        if (!chunk.empty()) visit(std::move(chunk));
      } while (cursor != "0");
    }
    co_return result<void>{};
  }

  asio::awaitable<result<std::vector<std::string>>> open_orders(std::string organisation) override {
    std::vector<std::vector<std::string>> commands;
    for (int shard = 0; shard < shard_count; ++shard) commands.push_back({"SMEMBERS", open_key(shard, organisation)});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    std::vector<std::string> ids;
    for (auto& set : *r) {
      if (set.type != redis::reply::kind::array) co_return from_reply_error(set);
      for (auto& e : set.elements) ids.push_back(std::move(e.str));
    }
    co_return ids;
  }

  asio::awaitable<result<std::vector<sla::work_order>>> load_many(std::vector<std::string> ids) override {
    std::vector<std::vector<std::string>> commands;
    for (const auto& id : ids)
      if (shard_of_id(id) >= 0) commands.push_back({"GET", order_key(id)});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    std::vector<sla::work_order> out;
    for (const auto& record : *r) {
      if (record.is_error()) co_return from_reply_error(record);
      if (record.type != redis::reply::kind::string) continue;  // gone meanwhile
      auto wo = decode_stored(record.str);
      if (!wo) co_return wo.error();
      out.push_back(std::move(*wo));
    }
    co_return out;
  }

  asio::awaitable<result<std::vector<armed_deadline>>> overdue(sla::instant before, std::size_t limit) override {
    std::vector<std::vector<std::string>> commands;
    for (int shard = 0; shard < shard_count; ++shard)
      commands.push_back({"ZRANGEBYSCORE", shard_key(shard, "dl"), "-inf", std::to_string(sla::to_ms(before)),
                          "WITHSCORES", "LIMIT", "0", std::to_string(limit)});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    std::vector<armed_deadline> out;
    for (const auto& set : *r) {
      if (set.type != redis::reply::kind::array) co_return from_reply_error(set);
      for (std::size_t i = 0; i + 1 < set.elements.size(); i += 2) {
        double score = 0;
        const auto& sc = set.elements[i + 1].str;
        std::from_chars(sc.data(), sc.data() + sc.size(), score);
        if (auto d = parse_member(set.elements[i].str, sla::from_ms(static_cast<long long>(score))))
          out.push_back(std::move(*d));
      }
    }
    co_return out;
  }

  asio::awaitable<result<void>> ping() override {
    auto r = co_await run("PING");
    if (!r) co_return r.error();
    if (r->is_error()) co_return from_reply_error(*r);
    co_return result<void>{};
  }

  // Layout 2: the record a string, the history a journal string. Layout 1 never marked its
  // store and kept each record in a hash: a shard's first work order tells (ids start at 1).
  asio::awaitable<result<void>> claim_layout() override {
    std::vector<std::vector<std::string>> commands{{"GET", prefix_ + ":layout"}};
    for (int shard = 0; shard < shard_count; ++shard)
      commands.push_back({"TYPE", order_key(fmt::format("W{:02}-{:06}", shard, 1))});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    const auto& mark = (*r)[0];
    if (mark.is_error()) co_return from_reply_error(mark);
    if (mark.type == redis::reply::kind::string && mark.str != layout) {
      spdlog::critical("redis: the store is marked layout {}; this engine reads and writes layout {}", mark.str, layout);
      co_return make_error_code(errc::incompatible);
    }
    for (std::size_t i = 1; i < r->size(); ++i) {
      if ((*r)[i].str != "hash") continue;
      spdlog::critical("redis: the store holds work orders of layout 1; this engine reads and writes layout {}: "
                       "start it on an empty store",
                       layout);
      co_return make_error_code(errc::incompatible);
    }
    if (mark.type == redis::reply::kind::string) co_return result<void>{};
    auto set = co_await run("SET", prefix_ + ":layout", layout, "NX");
    if (!set) co_return set.error();
    if (set->is_error()) co_return from_reply_error(*set);
    co_return result<void>{};  // nil: another engine marked it meanwhile, with the same layout
  }

  asio::awaitable<result<std::vector<stored_order>>> load_histories(std::vector<std::string> ids) override {
    std::vector<stored_order> out;
    constexpr std::size_t chunk = 256;  // bounds one pipeline's replies in memory
    for (std::size_t from = 0; from < ids.size(); from += chunk) {
      std::vector<std::vector<std::string>> commands;
      for (std::size_t i = from; i < std::min(ids.size(), from + chunk); ++i) {
        if (shard_of_id(ids[i]) < 0) continue;
        commands.push_back({"GET", order_key(ids[i])});
        commands.push_back({"GET", journal_key(ids[i])});
      }
      auto r = co_await conn_->pipeline(std::move(commands));
      if (!r) co_return r.error();
      for (std::size_t i = 0; i + 1 < r->size(); i += 2) {
        const auto& record = (*r)[i];
        if (record.is_error()) co_return from_reply_error(record);
        if (record.type != redis::reply::kind::string) continue;  // gone meanwhile
        auto wo = decode_stored(record.str);
        if (!wo) co_return wo.error();
        auto j = decode_journal((*r)[i + 1]);
        if (!j) co_return j.error();
        out.push_back({std::move(*wo), std::move(j->events), {}});
      }
    }
    co_return out;
  }

  asio::awaitable<result<std::optional<known_key>>> lookup(std::string key) override {
    auto r = co_await run("HGET", shard_key(shard_of(key), "idem"), key);
    if (!r) co_return r.error();
    if (r->is_error()) co_return from_reply_error(*r);
    if (r->type != redis::reply::kind::string) co_return std::optional<known_key>{};
    co_return std::optional<known_key>{known_of(r->str)};
  }

  asio::awaitable<result<std::string>> remember(std::string key, std::string id, bool replace) override {
    const auto idem = shard_key(shard_of(key), "idem");
    if (replace) {
      auto r = co_await run("HSET", idem, key, id);
      if (!r) co_return r.error();
      if (r->is_error()) co_return from_reply_error(*r);
      co_return id;
    }
    std::vector<std::vector<std::string>> commands{{"HSETNX", idem, key, id}, {"HGET", idem, key}};
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    if ((*r)[1].type != redis::reply::kind::string) co_return from_reply_error((*r)[1]);
    co_return std::move((*r)[1].str);
  }

  asio::awaitable<result<known_key>> screen_out(std::string key, screened_message m) override {
    const int shard = shard_of(key);
    std::vector<std::string> args{"EVALSHA",
                                  screen_sha_,
                                  "2",
                                  shard_key(shard, "idem"),
                                  shard_key(shard, "screened"),
                                  key,
                                  std::to_string(static_cast<int>(m.source)),
                                  m.external_no,
                                  m.community,
                                  m.sender,
                                  m.text,
                                  m.reason,
                                  std::to_string(sla::to_ms(m.at))};
    auto r = co_await eval(std::move(args), screen_script);
    if (!r) co_return r.error();
    if (r->type != redis::reply::kind::string) co_return from_reply_error(*r);
    co_return known_of(r->str);
  }

  asio::awaitable<result<std::vector<sla::recent_job>>> accepted_for(std::string community,
                                                                   sla::instant since) override {
    std::vector<std::vector<std::string>> commands;
    for (int shard = 0; shard < shard_count; ++shard)
      commands.push_back({"ZRANGEBYSCORE", near_key(shard, community), std::to_string(sla::to_ms(since)), "+inf"});
    auto members = co_await ids_of(std::move(commands), 0);
    if (!members) co_return members.error();
    std::vector<sla::recent_job> out;
    out.reserve(members->size());
    for (const std::string_view m : *members) {
      std::array<std::string_view, 5> f;  // views: a burst puts hundreds here per report
      std::size_t n = 0, from = 0;
      for (; n < f.size(); ++n) {
        const auto to = m.find('\x1f', from);
        f[n] = m.substr(from, to == std::string_view::npos ? std::string_view::npos : to - from);
        if (to == std::string_view::npos) break;
        from = to + 1;
      }
      if (n != f.size() - 1) {
        spdlog::error("redis: ignoring malformed entry {} of {}'s recent jobs", m, community);
        continue;
      }
      out.push_back({std::string(f[0]), std::string(f[1]), f[2] == "u" ? sla::urgency::urgent : sla::urgency::general,
                     std::string(f[3]), std::string(f[4])});
    }
    co_return out;
  }

  asio::awaitable<result<std::vector<std::string>>> accepted_between(sla::instant from, sla::instant to,
                                                                    std::size_t limit) override {
    std::vector<std::vector<std::string>> commands;
    for (int shard = 0; shard < shard_count; ++shard)
      commands.push_back({"ZRANGEBYSCORE", shard_key(shard, "accepted"), std::to_string(sla::to_ms(from)),
                          "(" + std::to_string(sla::to_ms(to)), "WITHSCORES", "LIMIT", "0", std::to_string(limit)});
    co_return co_await ids_of(std::move(commands), limit);
  }

  asio::awaitable<result<bool>> lease(std::string name, std::string token, std::chrono::milliseconds ttl) override {
    auto r = co_await run("SET", lease_key(name), token, "NX", "PX", std::to_string(std::max<long long>(1, ttl.count())));
    // result<bool> cannot tell an error_code from a bool by conversion: say which it is.
    if (!r) co_return result<bool>(boost::system::in_place_error, r.error());
    if (r->is_error()) co_return result<bool>(boost::system::in_place_error, from_reply_error(*r));
    co_return r->type == redis::reply::kind::status;  // "OK"; nil when someone holds it
  }

  asio::awaitable<result<void>> release(std::string name, std::string token) override {
    std::vector<std::string> args{"EVALSHA", release_sha_, "1", lease_key(name), token};
    auto r = co_await eval(std::move(args), release_script);
    if (!r) co_return r.error();
    co_return result<void>{};
  }

 private:
  static known_key known_of(std::string_view v) {
    if (v.starts_with("screened|")) return {{}, true, std::string(v.substr(9))};
    return {std::string(v), false, {}};
  }

  // Ids from one ZRANGEBYSCORE per shard; with `limit`, the replies carry scores and the
  // oldest `limit` across the shards are kept, oldest first.
  asio::awaitable<result<std::vector<std::string>>> ids_of(std::vector<std::vector<std::string>> commands,
                                                           std::size_t limit) {
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    std::vector<std::pair<long long, std::string>> scored;
    std::vector<std::string> ids;
    for (auto& set : *r) {
      if (set.type != redis::reply::kind::array) co_return from_reply_error(set);
      if (limit == 0) {
        for (auto& e : set.elements) ids.push_back(std::move(e.str));
        continue;
      }
      for (std::size_t i = 0; i + 1 < set.elements.size(); i += 2) {
        double score = 0;
        const auto& sc = set.elements[i + 1].str;
        std::from_chars(sc.data(), sc.data() + sc.size(), score);
        scored.emplace_back(static_cast<long long>(score), std::move(set.elements[i].str));
      }
    }
    if (limit == 0) co_return ids;
    std::sort(scored.begin(), scored.end());
    if (scored.size() > limit) scored.resize(limit);
    for (auto& [_, id] : scored) ids.push_back(std::move(id));
    co_return ids;
  }

  static std::string near_member(const sla::work_order& wo) {
    return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", wo.id, wo.cls.category, wo.cls.level == sla::urgency::urgent ? "u" : "g",
                       wo.where.building, wo.where.room);
  }

  // Ids come from the shard's counter a block at a time, not one INCR per ticket: a round trip
  // saved on each. Engines take disjoint blocks, so ids stay unique; what an engine had reserved
  // and not used when it stops is never used (ids have gaps, and two engines' ids interleave out
  // of order: the acceptance time orders work orders, not the id).
  asio::awaitable<result<long long>> next_id(int shard) {
    auto& b = ids_[static_cast<std::size_t>(shard)];
    if (b.next > b.last) {
      auto r = co_await run("INCRBY", shard_key(shard, "seq"), std::to_string(id_block));
      if (!r) co_return r.error();
      if (r->type != redis::reply::kind::integer) co_return from_reply_error(*r);
      if (b.next <= b.last) co_return b.next++;  // another ticket refilled it meanwhile; this block is spare
      b.last = r->integer;
      b.next = r->integer - id_block + 1;
    }
    co_return b.next++;
  }

  std::string lease_key(std::string_view name) const { return fmt::format("{}:{{lease}}:{}", prefix_, name); }

  // Builds the argument vector outside any co_await expression (g++ 12 cannot keep a braced
  // list alive across a suspension).
  template <class... Args>
  asio::awaitable<result<redis::reply>> run(const Args&... args) {
    return conn_->command(std::vector<std::string>{std::string(args)...});
  }

  asio::awaitable<result<created_order>> existing(std::string id) {
    auto o = co_await load(std::move(id), true);
    if (!o) co_return o.error();
    co_return created_order{std::move(*o), false};
  }

  // EVALSHA, and EVAL once when the server does not know the script (after a restart).
  // `body` is one of the scripts above: static storage, so a view is safe across suspensions.
  asio::awaitable<result<redis::reply>> eval(std::vector<std::string> args, std::string_view body) {
    auto r = co_await conn_->command(args);
    if (r && r->is_error() && r->str.starts_with("NOSCRIPT")) {
      args[0] = "EVAL";
      args[1] = std::string(body);
      r = co_await conn_->command(std::move(args));
    }
    if (r && r->is_error()) co_return from_reply_error(*r);
    co_return r;
  }

  // "<version>|<protobuf>" back into the work order at that version.
  static result<sla::work_order> decode_stored(std::string_view record) {
    auto bar = record.find('|');
    if (bar == std::string_view::npos) return make_error_code(errc::corrupt);
    long long v = 0;
    auto [p, ec] = std::from_chars(record.data(), record.data() + bar, v);
    if (ec != std::errc{} || p != record.data() + bar) return make_error_code(errc::corrupt);
    auto wo = codec::decode_work_order(record.substr(bar + 1));
    if (!wo) return wo.error();
    wo->version = v;
    return wo;
  }

  // A journal reply: nil (no journal yet) reads as empty.
  static result<codec::journal> decode_journal(const redis::reply& r) {
    if (r.is_error()) return from_reply_error(r);
    if (r.type != redis::reply::kind::string) return codec::journal{};
    return codec::decode_journal(r.str);
  }

  static void append_arms(std::vector<std::string>& args, std::string_view id, const std::vector<sla::deadline>& arms) {
    args.push_back(std::to_string(arms.size()));
    for (const auto& a : arms) {
      args.push_back(std::to_string(sla::to_ms(a.at)));
      args.push_back(member(id, a));
    }
  }

  static void append_notifications(std::vector<std::string>& args, const std::vector<sla::notification>& notify) {
    args.push_back(std::to_string(notify.size()));
    for (const auto& n : notify) {
      args.push_back(n.key);
      args.push_back(sla::code_of(n.to));
      args.push_back(n.organisation);
      args.push_back(n.kind);
      args.push_back(n.text);
      args.push_back(n.ref);
    }
  }

  std::string shard_key(int shard, std::string_view what) const {
    return fmt::format("{}:{{s{:02}}}:{}", prefix_, shard, what);
  }
  std::string open_key(int shard, std::string_view organisation) const {
    return fmt::format("{}:{{s{:02}}}:open:{}", prefix_, shard, organisation);
  }
  std::string near_key(int shard, std::string_view community) const {
    return fmt::format("{}:{{s{:02}}}:near:{}", prefix_, shard, community);
  }
  std::string order_key(std::string_view id) const {
    return fmt::format("{}:{{s{:02}}}:wo:{}", prefix_, shard_of_id(id), id);
  }
  std::string journal_key(std::string_view id) const { return order_key(id) + ":h"; }
  static std::string member(std::string_view id, const sla::deadline& d) {
    switch (d.s) {
      case sla::step::due: return fmt::format("{}|{}", id, sla::code_of(d.kind));
      case sla::step::warn: return fmt::format("{}|{}|warn{}", id, sla::code_of(d.kind), d.index);
      case sla::step::renotify: return fmt::format("{}|{}|renotify", id, sla::code_of(d.kind));
    }
    return {};
  }

  // "<id>|<clock>[|warn<i>|renotify]" back into a deadline; nothing for anything else.
  static std::optional<armed_deadline> parse_member(std::string_view m, sla::instant at) {
    auto bar = m.find('|');
    if (bar == std::string_view::npos) return std::nullopt;
    armed_deadline out{std::string(m.substr(0, bar)), {}};
    auto rest = m.substr(bar + 1);
    auto bar2 = rest.find('|');
    auto kind = sla::clock_from_code(rest.substr(0, bar2));
    if (!kind) return std::nullopt;
    out.due = {*kind, at};
    if (bar2 != std::string_view::npos) {
      auto step = rest.substr(bar2 + 1);
      if (step == "renotify") {
        out.due.s = sla::step::renotify;
      } else if (step.starts_with("warn") && step.size() > 4) {
        out.due.s = sla::step::warn;
        auto [p, ec] = std::from_chars(step.data() + 4, step.data() + step.size(), out.due.index);
        if (ec != std::errc{} || p != step.data() + step.size()) return std::nullopt;
      } else {
        return std::nullopt;
      }
    }
    return out;
  }

  std::shared_ptr<redis::connection> conn_;
  std::string prefix_;
  static constexpr long long id_block = 32;
  struct id_block_range {
    long long next = 1, last = 0;  // empty until the first INCRBY
  };
  std::array<id_block_range, shard_count> ids_{};
  std::string create_sha_;
  std::string apply_sha_;
  std::string screen_sha_;
  std::string release_sha_;
};

}  // namespace

std::unique_ptr<work_order_store> make_redis_store(std::shared_ptr<redis::connection> conn, std::string prefix) {
  return std::make_unique<redis_store>(std::move(conn), std::move(prefix));
}

}  // namespace halfhour
