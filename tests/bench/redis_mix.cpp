// The ingest benchmark's Redis baseline: the commands the engine sends Redis for one new 12345
// ticket, in the same round trips, sent with no engine around them — through hiredis on the same
// single asio thread (the project's connection adapter: hiredis's own reader and writer, one
// connection, every client's commands pipelined onto it as the engine's are). What it reaches is
// the rate Redis and the socket allow for that mix; the engine can only come below it.
//
// Per ticket, as `redis-cli MONITOR` shows the engine doing it, one line per round trip:
//   HGET idem, EVALSHA lease (SET NX PX, kept in memory only), 16 × ZRANGEBYSCORE near (one pipeline)
//   GET of each job found that the report could repeat (one pipeline; often none)
//   INCRBY seq 32, once every 32 tickets of a shard
//   EVALSHA create (the same writes, with bodies of the same size)
//   EVALSHA release
//
// --floor sends instead the least any durable design must write for a new ticket, independent of
// this engine's layout: its record (HSET, 800 B), its deadline (ZADD) and its event (XADD), in one
// pipeline — the floor the engine's ingest is measured against. --rate paces tickets open loop
// (each lane starts its tickets on schedule; latency counts from the scheduled start).
// Usage: halfhour_bench_redis_mix --redis-socket S [--inflight 16] [--seconds 5] [--floor] [--rate R]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <random>

#include "adapters/config.hpp"
#include "adapters/redis/connection.hpp"

namespace asio = boost::asio;
using steady = std::chrono::steady_clock;
using namespace halfhour;

namespace {

// The create script's writes, in the order the engine's makes them.
const std::string create_script = R"lua(
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return {0, existing} end
if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('ERR id already in use') end
redis.call('SET', KEYS[2], '1:' .. #ARGV[3] .. '|' .. ARGV[3] .. ARGV[5])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[2])
redis.call('ZADD', KEYS[7], ARGV[4], ARGV[2])
redis.call('ZADD', KEYS[6], ARGV[4], ARGV[8])
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', tonumber(ARGV[4]) - 172800000)
redis.call('HSET', KEYS[8], ARGV[2], 'ack@mwm10f5s,done@mwng3ev4,onsite.0@mwm1da4g,onsite@mwm1q534')
redis.call('ZADD', KEYS[3], ARGV[4] + 600000, ARGV[2])
redis.call('XADD', KEYS[5], '*', 'key', ARGV[2] .. ':ack:due0:holder:' .. ARGV[4], 'to', 'holder', 'org', ARGV[6],
           'kind', 'dispatch', 'wo', ARGV[2], 'text', ARGV[7], 'ref', '')
return {1, ARGV[2]}
)lua";

// The community's lease, brief: in Redis's memory only, as the engine's (lease.lua, release.lua).
const std::string lease_script = R"lua(
redis.set_repl(redis.REPL_NONE)
return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
)lua";

const std::string release_script = R"lua(
redis.set_repl(redis.REPL_NONE)
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

int shard_of(std::string_view key) {
  std::uint32_t h = 2166136261u;  // as the store: FNV-1a
  for (unsigned char c : key) h = (h ^ c) * 16777619u;
  return static_cast<int>(h % 16);
}

std::string sk(int shard, std::string_view what) { return fmt::format("hh:{{s{:02}}}:{}", shard, what); }

struct shared {
  redis::connection& conn;
  std::vector<sla::community> communities;
  std::string create_sha, lease_sha, release_sha, record, journal, text;
  std::size_t next = 0;
  std::array<std::pair<long long, long long>, 16> ids{};  // per shard: next id, end of its block
  std::vector<double> latency_ms;
  std::size_t failed = 0;
  steady::time_point start, end;
  double rate = 0;  // tickets per second in all, open loop; 0: as fast as answers come
  int inflight = 16;
};

// The floor: one pipeline of the three writes a new ticket needs, however a store lays them out.
asio::awaitable<void> floor_client(shared& s, int lane) {
  const std::string record(800, 'r');
  for (std::size_t k = 0;; ++k) {
    auto started = steady::now();
    if (s.rate > 0) {  // lane `lane` starts ticket k at its slot in the common schedule
      const double at = (static_cast<double>(k) * s.inflight + lane) / s.rate;
      started = s.start + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(at));
      if (started >= s.end) break;
      asio::steady_timer t(co_await asio::this_coro::executor, started);
      co_await t.async_wait(asio::use_awaitable);
    } else if (started >= s.end) {
      break;
    }
    const std::string id = fmt::format("F-{}", s.next++);
    const auto due =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count() +
        1'800'000;
    std::vector<std::vector<std::string>> writes{{"HSET", "floor:wo:" + id, "record", record},
                                                 {"ZADD", "floor:deadlines", std::to_string(due), id},
                                                 {"XADD", "floor:events", "*", "wo", id, "kind", "created"}};
    auto r = co_await s.conn.pipeline(std::move(writes));
    bool ok = r.has_value();
    if (r)
      for (const auto& one : *r) ok = ok && !one.is_error();
    if (!ok) ++s.failed;
    s.latency_ms.push_back(std::chrono::duration<double, std::milli>(steady::now() - started).count());
  }
}

std::string sha_of(asio::io_context& ioc, redis::connection& conn, const std::string& script) {
  auto f = asio::co_spawn(ioc, conn.command({"SCRIPT", "LOAD", script}), asio::use_future);
  while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) ioc.run_one();
  auto r = f.get();
  if (!r || r->is_error()) throw std::runtime_error("SCRIPT LOAD failed");
  return r->str;
}

asio::awaitable<void> client(shared& s, int lane) {
  std::mt19937_64 rng(lane);
  while (steady::now() < s.end) {
    const auto started = steady::now();
    const std::size_t n = s.next++;
    const auto& c = s.communities[rng() % s.communities.size()];
    // As the load generator's tickets: one of eight complaints, one of forty buildings.
    const std::string category = std::to_string(rng() % 8), building = std::to_string(1 + rng() % 40);
    const std::string key = fmt::format("12345:R-{}", n);
    const int shard = shard_of(key);
    bool ok = true;
    auto step = [&](const boost::system::result<redis::reply>& r) { ok = ok && r && !r->is_error(); };

    const std::string lease = "hh:{lease}:dup:" + c.name, token = fmt::format("{:016x}", rng());
    const auto now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    std::vector<std::vector<std::string>> near{{"HGET", sk(shard, "idem"), key},
                                               {"EVALSHA", s.lease_sha, "1", lease, token, "3000"}};
    for (int sh = 0; sh < 16; ++sh)
      near.push_back({"ZRANGEBYSCORE", sk(sh, "near:" + c.name), std::to_string(now_ms - 7'200'000), "+inf"});
    auto found = co_await s.conn.pipeline(std::move(near));
    if (!found) ok = false;
    // The engine reads only the jobs its index says the report could repeat.
    std::vector<std::vector<std::string>> jobs;
    if (found)
      for (int sh = 0; sh < 16; ++sh)
        for (const auto& m : (*found)[sh + 2].elements) {
          const auto id = m.str.substr(0, m.str.find('\x1f'));
          if (m.str.find("\x1f" + category + "\x1fu\x1f" + building + "\x1f") != std::string::npos)
            jobs.push_back({"GET", sk(sh, "wo:" + id)});
        }
    if (!jobs.empty()) {
      auto loaded = co_await s.conn.pipeline(std::move(jobs));
      if (!loaded) ok = false;
    }
    auto& block = s.ids[static_cast<std::size_t>(shard)];
    if (block.first >= block.second) {
      std::vector<std::string> incr{"INCRBY", sk(shard, "seq"), "32"};
      auto seq = co_await s.conn.command(std::move(incr));
      step(seq);
      block = {seq ? seq->integer - 31 : 0, seq ? seq->integer + 1 : 1};
    }
    const std::string id = fmt::format("W{:02}-{:06}", shard, block.first++);
    boost::system::result<redis::reply> r;
    std::vector<std::string> create{
        "EVALSHA",
        s.create_sha,
        "8",
        sk(shard, "idem"),
        sk(shard, "wo:" + id),
        sk(shard, "dl"),
        sk(shard, "open:" + c.firm),
        sk(shard, "outbox"),
        sk(shard, "near:" + c.name),
        sk(shard, "accepted"),
        sk(shard, "steps"),
        key,
        id,
        s.record,
        std::to_string(now_ms),
        s.journal,
        c.firm,
        s.text,
        fmt::format("{}\x1f{}\x1fu\x1f{}\x1f{}", id, category, building, 100 + rng() % 1800)};
    r = co_await s.conn.command(std::move(create));
    step(r);
    std::vector<std::string> release{"EVALSHA", s.release_sha, "1", lease, token};
    r = co_await s.conn.command(std::move(release));
    step(r);
    if (!ok) ++s.failed;
    s.latency_ms.push_back(std::chrono::duration<double, std::milli>(steady::now() - started).count());
  }
}

double quantile(const std::vector<double>& v, double q) {
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  std::string socket;
  int inflight = 16;
  double seconds = 5;
  bool floor = false;
  double rate = 0;
  CLI::App app{"halfhour ingest benchmark: the engine's Redis command mix, without the engine"};
  app.add_option("--redis-socket", socket)->required();
  app.add_option("--inflight", inflight, "tickets in flight at once (the load generator's connections)");
  app.add_option("--seconds", seconds);
  app.add_flag("--floor", floor, "send the three writes any durable design needs per ticket, not the engine's mix");
  app.add_option("--rate", rate, "with --floor: tickets per second, open loop (0: closed loop)");
  CLI11_PARSE(app, argc, argv);

  asio::io_context ioc(1);
  auto conn = redis::connection::create(ioc.get_executor(), {"", 0, socket}, {});
  while (!conn->connected()) ioc.run_one_for(std::chrono::milliseconds(10));
  // The sizes of a typical ticket's stored parts, packed (tests/bench/record_packing.py on the
  // corpus's held-out requests): the record ~230 B, its first journal part ~130 B; the dispatch
  // text ~150 B.
  shared s{*conn,
           config::default_directory().communities,
           sha_of(ioc, *conn, create_script),
           sha_of(ioc, *conn, lease_script),
           sha_of(ioc, *conn, release_script),
           std::string(230, 'r'),
           std::string(130, 'j'),
           std::string(150, 't'),
           0,
           {},
           {},
           0,
           {},
           {},
           rate,
           inflight};
  const auto start = steady::now();
  s.start = start;
  s.end = start + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(seconds));
  int running = inflight;
  for (int lane = 0; lane < inflight; ++lane)
    asio::co_spawn(ioc, floor ? floor_client(s, lane) : client(s, lane), [&](std::exception_ptr) { --running; });
  while (running > 0) ioc.run_one();
  const double elapsed = std::chrono::duration<double>(steady::now() - start).count();
  std::sort(s.latency_ms.begin(), s.latency_ms.end());
  fmt::print("rate={:.0f} ok={} failed={} p50={:.3f} p99={:.3f} p999={:.3f} max={:.3f}\n",
             static_cast<double>(s.latency_ms.size()) / elapsed, s.latency_ms.size() - s.failed, s.failed,
             quantile(s.latency_ms, 0.5), quantile(s.latency_ms, 0.99), quantile(s.latency_ms, 0.999),
             s.latency_ms.empty() ? 0.0 : s.latency_ms.back());
  conn->stop();
  return s.failed == 0 ? 0 : 1;
}
