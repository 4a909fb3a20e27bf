// Work orders in Redis: each call builds its commands from the layout (adapters/redis/layout.hpp,
// which also describes every key) and sends them; every write is one script of adapters/redis/lua.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>

#include "adapters/codec.hpp"
#include "adapters/errors.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/record_packing.hpp"
#include "adapters/redis/layout.hpp"
#include "adapters/redis/lua.hpp"
#include "adapters/redis/script.hpp"
#include "adapters/redis/take_over.hpp"
#include "adapters/store.hpp"

namespace halfhour {

namespace asio = boost::asio;
namespace layout = redis::layout;
namespace lua = redis::lua;
using boost::system::result;

namespace {

// Both work-order scripts write the record with its journal in one value (journal.lua), move
// the job's armed steps (steps.lua, in the buckets of buckets.lua) and end with the
// notifications owed (owe.lua).
const redis::script create_script(lua::compose({lua::journal(), lua::owe(), lua::buckets(), lua::steps(),
                                                lua::create()}));
const redis::script apply_script(lua::compose({lua::journal(), lua::owe(), lua::buckets(), lua::steps(),
                                               lua::apply()}));
const redis::script due_script(lua::compose({lua::buckets(), lua::due()}));
const redis::script screen_script(lua::compose({lua::buckets(), lua::screen()}));
const redis::script lease_script(lua::lease());
const redis::script release_script(lua::release());

// The lease scripts' word for a kind of lease (lease.lua, release.lua).
std::string kind_arg(work_order_store::lease_kind kind) {
  return kind == work_order_store::lease_kind::brief ? "brief" : "lasting";
}

// The steps to arm, as the scripts read them: a count, then (ms, step) for each.
void append_arms(std::vector<std::string>& args, const std::vector<sla::deadline>& arms) {
  args.push_back(std::to_string(arms.size()));
  for (const auto& a : arms) {
    args.push_back(std::to_string(sla::to_ms(a.at)));
    args.push_back(layout::step_name(a));
  }
}

// The notifications owed, as owe.lua reads them: a count, then six values for each.
void append_notifications(std::vector<std::string>& args, const std::vector<sla::notification>& notify) {
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

class redis_store final : public work_order_store {
 public:
  redis_store(std::shared_ptr<redis::connection> conn, std::string prefix, replication r)
      : conn_(std::move(conn)), keys_(std::move(prefix)), replication_(r) {}

  asio::awaitable<result<created_order>> create(std::string key,
                                                std::function<sla::decision(std::string id)> build) override {
    // A known key is found by the script itself, which answers with its work order: callers
    // look the key up first, so a second look here would cost every ticket a round trip.
    const int shard = layout::shard_of(key);
    auto seq = co_await next_id(shard);
    if (!seq) co_return seq.error();
    auto id = layout::id_of(shard, *seq);

    auto d = build(id);
    d.next.version = 1;
    const auto& community = d.next.where.community_name;
    std::vector<std::string> keys{keys_.idempotency(shard),   keys_.order(id),
                                  keys_.deadlines(shard),     keys_.open(shard, d.next.holder),
                                  keys_.outbox(shard),        keys_.near(shard, community),
                                  keys_.accepted(shard),      keys_.codes(shard),
                                  keys_.code_sequence(shard), keys_.steps(shard),
                                  keys_.codes_held(shard)};
    std::vector<std::string> args{key,
                                  id,
                                  packing::pack_work_order(d.next),
                                  std::to_string(sla::to_ms(d.next.accepted_at)),
                                  community.empty() ? std::string() : layout::near_member(d.next),
                                  packing::pack_journal_part(codec::journal_append(d.events, d.notify)),
                                  std::to_string(shard),
                                  std::to_string(layout::code_first),
                                  std::to_string(layout::code_span)};
    append_arms(args, d.arm);
    append_notifications(args, d.notify);
    auto r = co_await redis::run(*conn_, create_script, std::move(keys), std::move(args));
    if (!r) co_return r.error();
    auto answer = layout::created_of(*r);
    if (!answer) co_return answer.error();
    if (auto w = co_await replicated(shard); !w) co_return w.error();
    if (!answer->created) co_return co_await existing(std::move(answer->id));  // lost a race
    d.next.short_code = std::move(answer->short_code);
    co_return created_order{{std::move(d.next), std::move(d.events)}, true};
  }

  asio::awaitable<result<stored_order>> load(std::string id, bool with_history) override {
    if (layout::shard_of_id(id) < 0) co_return make_error_code(errc::not_found);
    auto r = co_await run("HGET", keys_.order(id), id);
    if (!r) co_return r.error();
    co_return layout::order_of(*r, with_history);
  }

  asio::awaitable<result<std::int64_t>> apply(sla::decision d, sla::work_order before,
                                              std::optional<sla::deadline> firing) override {
    const auto& id = d.next.id;
    const int shard = layout::shard_of_id(id);
    if (shard < 0) co_return make_error_code(errc::not_found);
    // The open-jobs index follows the holder: out of the old holder's set when the job leaves
    // it or closes, into the new holder's set when it arrives there still open.
    const bool was_open = before.state != sla::wo_state::done;
    const bool is_open = d.next.state != sla::wo_state::done;
    const bool moved = before.holder != d.next.holder;
    std::vector<std::string> keys{keys_.order(id),
                                  keys_.deadlines(shard),
                                  keys_.open(shard, before.holder),
                                  keys_.open(shard, d.next.holder),
                                  keys_.outbox(shard),
                                  keys_.codes(shard),
                                  keys_.steps(shard),
                                  keys_.codes_held(shard)};
    std::vector<std::string> args{std::to_string(before.version),
                                  packing::pack_work_order(d.next),
                                  was_open && (!is_open || moved) ? "1" : "0",
                                  is_open && (!was_open || moved) ? "1" : "0",
                                  id,
                                  firing ? layout::step_name(*firing) : std::string(),
                                  firing ? std::to_string(sla::to_ms(firing->at)) : std::string(),
                                  packing::pack_journal_part(codec::journal_append(d.events, d.notify)),
                                  d.next.short_code,
                                  was_open && !is_open ? "1" : "0"};
    args.push_back(std::to_string(d.cancel.size()));
    for (const auto& c : d.cancel) args.push_back(layout::step_name(c));
    append_arms(args, d.arm);
    append_notifications(args, d.notify);
    auto r = co_await redis::run(*conn_, apply_script, std::move(keys), std::move(args));
    if (!r) co_return r.error();
    auto applied = layout::applied_of(*r);
    if (!applied) co_return applied;
    if (auto w = co_await replicated(shard); !w) co_return w.error();
    co_return applied;
  }

  asio::awaitable<result<std::optional<std::string>>> open_by_code(std::string code) override {
    const int shard = layout::shard_of_code(code);
    if (shard < 0) co_return std::optional<std::string>();
    auto r = co_await run("HGET", keys_.code_bucket(shard, code), code);
    if (!r) co_return r.error();
    co_return layout::code_holder_of(*r);
  }

  // Every bucket of each shard's armed steps, up to the one of the last id its counter gave: ids
  // are numbered from that counter only. Each chunk is handed to `visit` while Redis answers the
  // read of the next, so the caller's work on it and Redis's overlap.
  asio::awaitable<result<void>> scan_deadlines(std::function<void(std::vector<armed_deadline>)> visit) override {
    using namespace asio::experimental::awaitable_operators;
    std::vector<std::vector<std::string>> counters;
    for (int shard = 0; shard < layout::shard_count; ++shard) counters.push_back({"GET", keys_.sequence(shard)});
    auto last = co_await conn_->pipeline(std::move(counters));
    if (!last) co_return last.error();
    constexpr long long chunk = 64;    // buckets a round trip: bounds one pipeline's replies in memory
    std::vector<armed_deadline> read;  // the chunk read last, not visited yet
    for (int shard = 0; shard < layout::shard_count; ++shard) {
      auto count = layout::bucket_count_of((*last)[static_cast<std::size_t>(shard)]);
      if (!count) co_return count.error();
      for (long long from = 0; from < *count; from += chunk) {
        std::vector<std::vector<std::string>> commands;
        for (long long b = from; b < std::min(*count, from + chunk); ++b)
          commands.push_back({"HGETALL", keys_.steps_bucket(shard, b)});
        auto r = co_await (conn_->pipeline(std::move(commands)) && visit_soon(visit, std::move(read)));
        if (!r) co_return r.error();
        auto steps = layout::bucket_steps_of(*r);
        if (!steps) co_return steps.error();
        read = std::move(*steps);
      }
    }
    if (!read.empty()) visit(std::move(read));
    co_return result<void>{};
  }

  // Visits `chunk` once the read started beside it has gone out to Redis (its write waits a turn
  // of the event loop, for the socket to be writable).
  static asio::awaitable<void> visit_soon(std::function<void(std::vector<armed_deadline>)>& visit,
                                          std::vector<armed_deadline> chunk) {
    if (chunk.empty()) co_return;
    for (int turn = 0; turn < 2; ++turn) co_await asio::post(asio::use_awaitable);
    visit(std::move(chunk));
  }

  asio::awaitable<result<std::vector<std::string>>> open_orders(std::string organisation) override {
    std::vector<std::vector<std::string>> commands;
    for (int shard = 0; shard < layout::shard_count; ++shard)
      commands.push_back({"SMEMBERS", keys_.open(shard, organisation)});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return layout::members_of(std::move(*r));
  }

  asio::awaitable<result<std::vector<sla::work_order>>> load_many(std::vector<std::string> ids) override {
    std::vector<std::vector<std::string>> commands;
    for (const auto& id : ids)
      if (layout::shard_of_id(id) >= 0) commands.push_back({"HGET", keys_.order(id), id});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return layout::orders_of(*r);
  }

  asio::awaitable<result<std::vector<armed_deadline>>> overdue(sla::instant before, std::size_t limit) override {
    // Every shard in one round trip: the script goes whole (EVAL), as a pipeline cannot retry
    // one command answered NOSCRIPT in its place; it is a few lines.
    std::vector<std::vector<std::string>> commands;
    for (int shard = 0; shard < layout::shard_count; ++shard)
      commands.push_back(redis::eval_command(due_script, {keys_.deadlines(shard), keys_.steps(shard)},
                                             {std::to_string(sla::to_ms(before)), std::to_string(limit)}));
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return layout::overdue_of(*r, before);
  }

  asio::awaitable<result<void>> durable(std::string id) override {
    const auto shard = layout::shard_of_id(id);
    return replicated(shard < 0 ? 0 : shard);
  }

  asio::awaitable<result<void>> ping() override {
    auto r = co_await run("PING");
    if (!r) co_return r.error();
    co_return layout::ok_of(*r);
  }

  // Layouts 2 to 5 are taken over (layout.hpp). Layout 1 never marked its store and kept each
  // record in a hash: a shard's first work order tells (ids start at 1).
  asio::awaitable<result<void>> claim_layout() override {
    std::vector<std::vector<std::string>> commands{{"GET", keys_.mark()}};
    for (int shard = 0; shard < layout::shard_count; ++shard)
      commands.push_back({"TYPE", keys_.older_order(layout::id_of(shard, 1))});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    auto unmarked = layout::unmarked_of(*r);
    if (!unmarked) co_return unmarked.error();
    if (!*unmarked) co_return result<void>{};
    if (layout::taken_over((*r)[0].str)) {
      // What layouts 2 to 5 kept elsewhere moves over first (take_over), and from then on an
      // older engine refuses the store.
      auto marking = co_await run("SET", keys_.mark(), layout::moving);
      if (!marking) co_return marking.error();
      if (auto ok = layout::ok_of(*marking); !ok) co_return ok.error();
      if (auto moved = co_await redis::take_over(*conn_, keys_); !moved) co_return moved.error();
      spdlog::info("redis: the store (marked \"{}\") is now marked layout {}", (*r)[0].str, layout::version);
      auto upgraded = co_await run("SET", keys_.mark(), layout::version);
      if (!upgraded) co_return upgraded.error();
      co_return layout::ok_of(*upgraded);
    }
    auto set = co_await run("SET", keys_.mark(), layout::version, "NX");
    if (!set) co_return set.error();
    co_return layout::ok_of(*set);  // nil: another engine marked it meanwhile, with the same layout
  }

  asio::awaitable<result<std::vector<stored_order>>> load_histories(std::vector<std::string> ids) override {
    std::vector<stored_order> out;
    constexpr std::size_t chunk = 256;  // bounds one pipeline's replies in memory
    for (std::size_t from = 0; from < ids.size(); from += chunk) {
      std::vector<std::vector<std::string>> commands;
      for (std::size_t i = from; i < std::min(ids.size(), from + chunk); ++i) {
        if (layout::shard_of_id(ids[i]) < 0) continue;
        commands.push_back({"HGET", keys_.order(ids[i]), ids[i]});
      }
      auto r = co_await conn_->pipeline(std::move(commands));
      if (!r) co_return r.error();
      if (auto h = layout::histories_of(*r, out); !h) co_return h.error();
    }
    co_return out;
  }

  asio::awaitable<result<std::optional<known_key>>> lookup(std::string key) override {
    auto r = co_await run("HGET", keys_.idempotency_bucket(key), key);
    if (!r) co_return r.error();
    auto known = layout::lookup_of(*r);
    // A retry of a ticket answered 503 for want of replicas is answered only once they have it.
    if (known && *known)
      if (auto w = co_await replicated(layout::shard_of(key)); !w) co_return w.error();
    co_return known;
  }

  asio::awaitable<result<std::string>> remember(std::string key, std::string id, bool replace) override {
    const auto idem = keys_.idempotency_bucket(key);
    if (replace) {
      auto r = co_await run("HSET", idem, key, id);
      if (!r) co_return r.error();
      if (auto ok = layout::ok_of(*r); !ok) co_return ok.error();
      co_return id;
    }
    std::vector<std::vector<std::string>> commands{{"HSETNX", idem, key, id}, {"HGET", idem, key}};
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return layout::remembered_of(std::move((*r)[1]));
  }

  asio::awaitable<result<known_key>> screen_out(std::string key, screened_message m) override {
    const int shard = layout::shard_of(key);
    std::vector<std::string> keys{keys_.idempotency(shard), keys_.screened(shard)};
    std::vector<std::string> args{key,           std::to_string(static_cast<int>(m.source)),
                                  m.external_no, m.community,
                                  m.sender,      m.text,
                                  m.reason,      std::to_string(sla::to_ms(m.at))};
    auto r = co_await redis::run(*conn_, screen_script, std::move(keys), std::move(args));
    if (!r) co_return r.error();
    co_return layout::screened_of(*r);
  }

  asio::awaitable<result<std::vector<sla::recent_job>>> accepted_for(std::string community,
                                                                     sla::instant since) override {
    std::vector<std::vector<std::string>> commands;
    for (int shard = 0; shard < layout::shard_count; ++shard)
      commands.push_back({"ZRANGEBYSCORE", keys_.near(shard, community), std::to_string(sla::to_ms(since)), "+inf"});
    auto r = co_await conn_->pipeline(commands);
    if (r) co_return layout::recent_jobs_of(std::move(*r), community);
    // On a cluster, one node without a primary (a failover under way) fails the whole read: ask
    // shard by shard and go on with what the reachable ones hold. A duplicate on the others is
    // then missed (two jobs, which the station can join); a ticket refused would be worse. With
    // nothing reachable (one Redis, down), the read fails as before.
    std::vector<redis::reply> sets;  // shard i's at i: an unreachable shard's empty
    std::size_t reached = 0;
    for (auto& c : commands) {
      auto one = co_await conn_->command(std::move(c));
      const bool read = one && one->type == redis::reply::kind::array;
      reached += read ? 1 : 0;
      sets.push_back(read ? std::move(*one) : redis::reply{redis::reply::kind::array, {}, 0, {}});
    }
    if (reached == 0) co_return r.error();
    if (reached < commands.size())
      spdlog::warn("redis: {} of {} shards unreachable; {}'s recent jobs there not checked for a duplicate",
                   commands.size() - reached, commands.size(), community);
    co_return layout::recent_jobs_of(std::move(sets), community);
  }

  asio::awaitable<result<std::vector<std::string>>> accepted_between(sla::instant from, sla::instant to,
                                                                     std::size_t limit) override {
    const auto min = std::to_string(sla::to_ms(from));
    const auto max = fmt::format("({}", sla::to_ms(to));  // "(": exclusive
    std::vector<std::vector<std::string>> commands;
    for (int shard = 0; shard < layout::shard_count; ++shard)
      commands.push_back(
          {"ZRANGEBYSCORE", keys_.accepted(shard), min, max, "WITHSCORES", "LIMIT", "0", std::to_string(limit)});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return layout::oldest_of(std::move(*r), limit);
  }

  // Per shard, the `limit` newest entries older than `below`'s moment, and every entry of that very
  // moment (ZREVRANGEBYSCORE cannot start after a member): newest_of keeps those after `below`.
  asio::awaitable<result<std::vector<sla::index_position>>> accepted_newest(sla::instant from,
                                                                            sla::index_position below,
                                                                            std::size_t limit) override {
    const auto min = std::to_string(sla::to_ms(from));
    const auto at = std::to_string(sla::to_ms(below.at));
    std::vector<std::vector<std::string>> commands;
    for (int shard = 0; shard < layout::shard_count; ++shard) {
      commands.push_back({"ZREVRANGEBYSCORE", keys_.accepted(shard), "(" + at, min, "WITHSCORES", "LIMIT", "0",
                          std::to_string(limit)});
      if (below.at >= from) commands.push_back({"ZRANGEBYSCORE", keys_.accepted(shard), at, at, "WITHSCORES"});
    }
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return layout::newest_of(std::move(*r), below, limit);
  }

  asio::awaitable<result<bool>> lease(std::string name, std::string token, std::chrono::milliseconds ttl,
                                      lease_kind kind) override {
    std::vector<std::string> keys{keys_.lease(name)};
    std::vector<std::string> args{std::move(token), std::to_string(std::max<long long>(1, ttl.count())),
                                  kind_arg(kind)};
    auto r = co_await redis::run(*conn_, lease_script, std::move(keys), std::move(args));
    // result<bool> cannot tell an error_code from a bool by conversion: say which it is.
    if (!r) co_return result<bool>(boost::system::in_place_error, r.error());
    co_return layout::lease_of(*r);
  }

  asio::awaitable<result<void>> release(std::string name, std::string token, lease_kind kind) override {
    std::vector<std::string> keys{keys_.lease(name)};
    std::vector<std::string> args{std::move(token), kind_arg(kind)};
    auto r = co_await redis::run(*conn_, release_script, std::move(keys), std::move(args));
    if (!r) co_return r.error();
    co_return layout::ok_of(*r);
  }

 private:
  // Ids come from the shard's counter a block at a time, not one INCR per ticket: a round trip
  // saved on each. Engines take disjoint blocks, so ids stay unique; what an engine had reserved
  // and not used when it stops is never used (ids have gaps, and two engines' ids interleave out
  // of order: the acceptance time orders work orders, not the id).
  asio::awaitable<result<long long>> next_id(int shard) {
    auto& b = ids_[static_cast<std::size_t>(shard)];
    if (b.empty()) {
      auto r = co_await run("INCRBY", keys_.sequence(shard), std::to_string(layout::id_block));
      if (!r) co_return r.error();
      auto counter = layout::counter_of(*r);
      if (!counter) co_return counter.error();
      if (!b.empty()) co_return b.take();  // another ticket refilled it meanwhile; this block is spare
      b = layout::block_ending_at(*counter);
    }
    co_return b.take();
  }

  // What was written on this connection so far, on `replication_.replicas` replicas: WAIT
  // counts every earlier write of the connection, and the engine's writes share it. Short of
  // them within the bound, the write stands on the primary alone, and the caller is not told
  // it is safe: a failover now could lose it. On a cluster the WAIT goes to the node holding
  // the shard, the one that took the write.
  asio::awaitable<result<void>> replicated(int shard) {
    if (replication_.replicas <= 0) co_return result<void>{};
    std::vector<std::string> wait{"WAIT", std::to_string(replication_.replicas),
                                  std::to_string(replication_.timeout.count())};
    auto r = co_await conn_->command_beside(keys_.deadlines(shard), std::move(wait));
    if (!r) co_return r.error();
    if (r->type != redis::reply::kind::integer || r->integer < replication_.replicas)
      co_return make_error_code(errc::unavailable);
    co_return result<void>{};
  }

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

  std::shared_ptr<redis::connection> conn_;
  layout::keys keys_;
  replication replication_;
  std::array<layout::id_range, layout::shard_count> ids_{};
};

}  // namespace

std::unique_ptr<work_order_store> make_redis_store(std::shared_ptr<redis::connection> conn, std::string prefix,
                                                   replication r) {
  return std::make_unique<redis_store>(std::move(conn), std::move(prefix), r);
}

}  // namespace halfhour
