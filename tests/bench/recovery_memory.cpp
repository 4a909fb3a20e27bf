// Redis memory per open ticket, and recovery: N open tickets are written through the store (the
// same Lua scripts as live ingest), then a fresh engine recovers them — every step re-armed —
// against a raw chunked scan of the same armed steps in the same run (the floor any recovery
// pays: reading them). One ticket in a thousand has a deadline that passed while the engine was
// down: how long after ready it fires. Usage: halfhour_bench_recovery [tickets, default 1000000]
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>
#include <cstdio>
#include <cstdlib>

#include "adapters/config.hpp"
#include "adapters/outbox_store.hpp"
#include "adapters/redis/connection.hpp"
#include "dispatcher/engine.hpp"
#include "tests/bench/preload.hpp"
#include "tests/integration/manual_clock.hpp"
#include "tests/integration/redis_server.hpp"
#include "tests/integration/run.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using namespace halfhour;
using boost::system::result;

namespace {

long long used_memory(asio::io_context& ioc, redis::connection& conn) {
  auto r = halfhour::testing::run(ioc, conn.command({"INFO", "memory"}));
  if (!r) throw std::runtime_error("INFO failed");
  auto at = r->str.find("used_memory:");
  long long v = 0;
  std::from_chars(r->str.data() + at + 12, r->str.data() + r->str.size(), v);
  return v;
}

// What each kind of key holds, summed over the store (MEMORY USAGE, every element counted): where
// a ticket's bytes go. A key's kind is its name with the shard tag, ids and names taken out. One
// SCAN page a call, so no call holds Redis long: {next cursor, kind, bytes, string length, ...}.
const char* const memory_by_kind = R"lua(
local sums, strings = {}, {}
local page = redis.call("SCAN", ARGV[1], "COUNT", 1000)
for _, key in ipairs(page[2]) do
  local kind = key:gsub("^[^:]*:{[^}]*}:", ""):gsub("^wo:[^:]+", "wo"):gsub("^(%a+):.*$", "%1:*")
  sums[kind] = (sums[kind] or 0) + redis.call("MEMORY", "USAGE", key, "SAMPLES", "0")
  if redis.call("TYPE", key).ok == "string" then strings[kind] = (strings[kind] or 0) + redis.call("STRLEN", key) end
end
local out = {page[1]}
for kind, bytes in pairs(sums) do out[#out + 1] = kind; out[#out + 1] = bytes; out[#out + 1] = strings[kind] or 0 end
return out
)lua";

void print_memory_by_kind(asio::io_context& ioc, redis::connection& conn, std::size_t n) {
  std::map<std::string, std::pair<long long, long long>> sums;  // kind -> (memory, string lengths)
  std::string cursor = "0";
  do {
    auto r = bench::run_long(ioc, conn.command({"EVAL", memory_by_kind, "0", cursor}));
    if (!r || r->type != redis::reply::kind::array || r->elements.empty())
      throw std::runtime_error("MEMORY USAGE by kind failed");
    cursor = r->elements[0].str;
    for (std::size_t i = 1; i + 2 < r->elements.size(); i += 3) {
      auto& [bytes, value] = sums[r->elements[i].str];
      bytes += r->elements[i + 1].integer;
      value += r->elements[i + 2].integer;
    }
  } while (cursor != "0");
  std::vector<std::tuple<long long, std::string, long long>> kinds;
  for (const auto& [kind, sum] : sums) kinds.emplace_back(sum.first, kind, sum.second);
  std::sort(kinds.rbegin(), kinds.rend());
  const auto per = [n](long long bytes) { return static_cast<double>(bytes) / static_cast<double>(n); };
  fmt::print("  by kind of key (MEMORY USAGE per ticket; of a string, its value's length):");
  for (const auto& [bytes, kind, value] : kinds) {
    if (bytes < static_cast<long long>(n)) continue;
    if (value > 0) fmt::print(" {} {:.0f} B (value {:.0f} B),", kind, per(bytes), per(value));
    else fmt::print(" {} {:.0f} B,", kind, per(bytes));
  }
  fmt::print("\n");
}

// Settles every notification owed as the sender does once it delivered one: the outbox keeps
// only what is still owed, and the work order's journal records the delivery.
void deliver_all(asio::io_context& ioc, outbox_store& outbox, sla::instant at) {
  if (!bench::run_long(ioc, outbox.ensure_groups())) throw std::runtime_error("outbox groups");
  for (;;) {
    auto batch = bench::run_long(ioc, outbox.read_new("bench", 256));
    if (!batch) throw std::runtime_error("outbox read failed");
    if (batch->empty()) return;
    std::size_t left = batch->size();
    for (auto& e : *batch)
      asio::co_spawn(ioc, outbox.ack(std::move(e), at), [&](std::exception_ptr, result<void> r) {
        if (!r) throw std::runtime_error("outbox ack failed");
        --left;
      });
    while (left > 0) ioc.run_one();
  }
}

long long rss_now_kb() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  halfhour::testing::redis_server server;
  asio::io_context ioc(1);
  // Loading speed only: the memory a ticket takes does not depend on when it is fsynced.
  auto conn = bench::connect_for_loading(ioc, server);
  // No AOF rewrite while measuring: the load grows the file past Redis's trigger, and a rewrite's
  // fork of a gigabyte Redis, landing in the scan or the recovery but not both, would time Redis's
  // housekeeping (the same as breach_lateness.cpp does, for the same reason).
  (void)halfhour::testing::run(ioc, conn->command({"CONFIG", "SET", "auto-aof-rewrite-percentage", "0"}));
  auto store = make_redis_store(conn, "hh");
  auto outbox = make_redis_outbox_store(conn, "hh");
  const sla::classifier cls(config::default_rules());
  const sla::resolver res(config::default_directory());
  const auto now = sla::from_ms(1'795'000'000'000);

  // One ticket in a thousand was accepted 16 minutes before the engine comes back: its
  // acknowledge deadline (10 minutes urgent, 15 general) passed while the engine was down.
  const std::size_t late = std::max<std::size_t>(1, n / 1000);
  const auto before = used_memory(ioc, *conn);
  double load_s = bench::preload(ioc, *store, cls, res, 0, late, now - 16min);
  load_s += bench::preload(ioc, *store, cls, res, late, n, now);
  const auto owed = used_memory(ioc, *conn);
  deliver_all(ioc, *outbox, now);
  const auto after = used_memory(ioc, *conn);

  // A first read of every shard's armed steps, untimed: whatever of Redis's memory this machine
  // had set aside comes back before anything is timed.
  std::size_t scanned = 0;
  std::function<void(std::vector<armed_deadline>)> count = [&](std::vector<armed_deadline> chunk) {
    scanned += chunk.size();
  };
  if (!bench::run_long(ioc, store->scan_deadlines(count))) throw std::runtime_error("scan failed");

  // Recovery: a fresh engine re-arms every step, ready to fire; then the overdue steps fire.
  (void)halfhour::testing::run(ioc, conn->command({"CONFIG", "SET", "appendfsync", "always"}));
  const auto rss_before = rss_now_kb();
  halfhour::testing::manual_clock clk(ioc.get_executor(), now + 1s);
  engine eng(ioc.get_executor(), *store, clk, cls, res, sla::limits{});
  eng.sweep_every(std::chrono::milliseconds{0}, std::chrono::milliseconds{0});
  const auto rec_start = std::chrono::steady_clock::now();
  bench::run_long(ioc, eng.recover());
  const auto ready = std::chrono::steady_clock::now();
  const double rec_s = std::chrono::duration<double>(ready - rec_start).count();
  if (!halfhour::testing::run_until(
          ioc, [&] { return eng.stats().breaches_on_recovery >= late; }, 60s))
    throw std::runtime_error("the deadlines that passed while the engine was down did not all fire");
  const double fired_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - ready).count();
  const auto rss_after = rss_now_kb();

  // Baselines, after the engine (which keeps its memory, so each starts on new memory as it did):
  // the raw chunked scan of the same armed steps, reading them, then keeping what it reads as it
  // reads it, the least any recovery does, which holds every deadline in memory until it falls
  // due. On this machine new memory is slow to touch, so both are shown.
  const auto read_start = std::chrono::steady_clock::now();
  std::size_t read = 0;
  std::function<void(std::vector<armed_deadline>)> read_only = [&](std::vector<armed_deadline> chunk) {
    read += chunk.size();
  };
  if (!bench::run_long(ioc, store->scan_deadlines(std::move(read_only)))) throw std::runtime_error("scan failed");
  const double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - read_start).count();
  std::vector<std::vector<armed_deadline>> kept;
  const auto scan_start = std::chrono::steady_clock::now();
  std::function<void(std::vector<armed_deadline>)> keep = [&](std::vector<armed_deadline> chunk) {
    kept.push_back(std::move(chunk));
  };
  if (!bench::run_long(ioc, store->scan_deadlines(std::move(keep)))) throw std::runtime_error("scan failed");
  const double scan_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - scan_start).count();

  const auto per = [&](long long bytes) { return static_cast<double>(bytes) / static_cast<double>(n); };
  fmt::print("tickets: {} written in {:.1f} s ({:.0f}/s, 64 in flight, appendfsync no)\n", n, load_s, n / load_s);
  fmt::print(
      "Redis used_memory per ticket: {:.0f} B with its dispatch notice owed, {:.0f} B once delivered "
      "(goal 700 B: {:.2f}x)\n",
      per(owed - before), per(after - before), per(after - before) / 700.0);
  print_memory_by_kind(ioc, *conn, n);
  fmt::print(
      "raw scan of {} armed steps: {:.2f} s reading, {:.2f} s keeping them | engine recovery (scan + arm): {:.2f} s, "
      "{} armed | ratio {:.2f} (to reading alone {:.2f})\n",
      scanned, read_s, scan_s, rec_s, eng.armed(), rec_s / scan_s, rec_s / read_s);
  fmt::print("{} deadlines passed while the engine was down: all fired {:.3f} s after ready (appendfsync always)\n",
             late, fired_s);
  fmt::print("engine RSS held by the armed clocks: {:.0f} B per ticket\n", per((rss_after - rss_before) * 1024));
  if (eng.armed() + late < scanned) throw std::runtime_error("recovery armed fewer steps than the scan found");
  conn->stop();
  return 0;
}
