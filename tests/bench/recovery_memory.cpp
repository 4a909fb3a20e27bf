// Redis memory per open ticket, and recovery: N open tickets are written through the store (the
// same Lua scripts as live ingest), then a fresh engine recovers them — every step re-armed —
// against a raw chunked scan of the same deadline sets in the same run (the floor any recovery
// pays: reading them). Usage: halfhour_bench_recovery [tickets, default 1000000]
#include <fmt/format.h>
#include <sys/resource.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <charconv>
#include <cstdlib>

#include "adapters/config.hpp"
#include "adapters/redis/connection.hpp"
#include "dispatcher/engine.hpp"
#include "tests/integration/manual_clock.hpp"
#include "tests/integration/redis_server.hpp"
#include "tests/integration/run.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using namespace halfhour;

namespace {

long long used_memory(asio::io_context& ioc, redis::connection& conn) {
  auto r = halfhour::testing::run(ioc, conn.command({"INFO", "memory"}));
  if (!r) throw std::runtime_error("INFO failed");
  auto at = r->str.find("used_memory:");
  long long v = 0;
  std::from_chars(r->str.data() + at + 12, r->str.data() + r->str.size(), v);
  return v;
}

// Like testing::run, without its ten-second bound: a million steps take longer than that.
template <class T>
T run_long(asio::io_context& ioc, asio::awaitable<T> aw) {
  auto f = asio::co_spawn(ioc, std::move(aw), asio::use_future);
  while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) ioc.run_one_for(std::chrono::milliseconds(10));
  return f.get();
}

long long rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Writes `n` tickets through the store, `window` in flight at a time.
asio::awaitable<void> load(work_order_store& store, const sla::classifier& cls, const sla::resolver& res,
                           std::size_t first, std::size_t n, sla::instant now, std::size_t* done) {
  const char* texts[] = {"厨房水管爆了，水漫到客厅", "单元门门禁坏了"};
  for (std::size_t i = first; i < n; i += 64) {
    const std::string key = "12345:M" + std::to_string(i);
    sla::intake in{sla::channel::hotline_12345, "M" + std::to_string(i), {"王", "13900000000"}, texts[i % 2],
                   "丹桂苑" + std::to_string(i) + "号楼", std::nullopt};
    auto c = cls.classify(in.content);
    auto w = res.resolve(in.address, in.content);
    sla::ladder lad;
    lad.station = res.dir().station;
    std::function<sla::decision(std::string)> build = [&](std::string id) {
      return sla::accept(in, std::move(id), c, w, lad, sla::limits{}, now);
    };
    auto r = co_await store.create(key, std::move(build));
    if (!r) throw std::runtime_error("create failed: " + r.error().message());
    ++*done;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  halfhour::testing::redis_server server;
  asio::io_context ioc(1);
  auto conn = redis::connection::create(ioc.get_executor(), {"", 0, server.socket()}, {});
  if (!halfhour::testing::run_until(ioc, [&] { return conn->connected(); })) throw std::runtime_error("no Redis");
  // Loading speed only: the memory a ticket takes does not depend on when it is fsynced.
  (void)halfhour::testing::run(ioc, conn->command({"CONFIG", "SET", "appendfsync", "no"}));
  auto store = make_redis_store(conn, "hh");
  const sla::classifier cls(config::default_rules());
  const sla::resolver res(config::default_directory());
  const auto now = sla::from_ms(1'795'000'000'000);

  const auto before = used_memory(ioc, *conn);
  std::size_t done = 0;
  const auto load_start = std::chrono::steady_clock::now();
  for (std::size_t lane = 0; lane < 64; ++lane)
    asio::co_spawn(ioc, load(*store, cls, res, lane, n, now, &done), asio::detached);
  if (!halfhour::testing::run_until(ioc, [&] { return done >= n; }, std::chrono::minutes{30})) throw std::runtime_error("load");
  const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  const auto after = used_memory(ioc, *conn);

  // Baseline: the raw chunked scan of every shard's deadline set, collecting what it reads.
  std::size_t scanned = 0;
  const auto scan_start = std::chrono::steady_clock::now();
  std::function<void(std::vector<armed_deadline>)> count = [&](std::vector<armed_deadline> chunk) {
    scanned += chunk.size();
  };
  auto s = run_long(ioc, store->scan_deadlines(std::move(count)));
  if (!s) throw std::runtime_error("scan failed");
  const double scan_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - scan_start).count();

  // Recovery: a fresh engine re-arms every step, ready to fire.
  const auto rss_before = rss_kb();
  halfhour::testing::manual_clock clk(ioc.get_executor(), now + 1s);
  engine eng(ioc.get_executor(), *store, clk, cls, res, sla::limits{});
  eng.sweep_every(std::chrono::milliseconds{0}, std::chrono::milliseconds{0});
  const auto rec_start = std::chrono::steady_clock::now();
  run_long(ioc, eng.recover());
  const double rec_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - rec_start).count();
  const auto rss_after = rss_kb();

  fmt::print("tickets: {} written in {:.1f} s ({:.0f}/s, 64 in flight, appendfsync no)\n", n, load_s, n / load_s);
  fmt::print("Redis used_memory per ticket: {:.0f} B (goal 700 B: {:.2f}x)\n",
             static_cast<double>(after - before) / static_cast<double>(n),
             static_cast<double>(after - before) / static_cast<double>(n) / 700.0);
  fmt::print("raw scan of {} armed steps: {:.2f} s | engine recovery (scan + arm): {:.2f} s, {} armed | ratio {:.2f}\n",
             scanned, scan_s, rec_s, eng.armed(), rec_s / scan_s);
  fmt::print("engine peak RSS growth during recovery: {:.0f} B per ticket\n",
             static_cast<double>(rss_after - rss_before) * 1024.0 / static_cast<double>(n));
  if (eng.armed() < scanned) throw std::runtime_error("recovery armed fewer steps than the scan found");
  conn->stop();
  return 0;
}
