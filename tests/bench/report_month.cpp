// How long the monthly report takes for a month of 40,000 jobs. A simulated month and the month
// before (halfhour simulate: call-backs, re-dos and complaints included) are written into a real
// Redis through the store, then the report is made as GET /v1/reports/breaches makes it
// (load_monthly: the acceptance index, every record and journal of the two months, both months
// computed, the firms graded, the tables built) and rendered to HTML, XLSX and every CSV view.
// Baseline in the same run: the least any report of these jobs must do, a pipelined raw GET of
// the same records and journals, their bytes only touched. Usage: halfhour_bench_report [per_day]
#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>

#include "adapters/config.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/redis/layout.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/reports.hpp"
#include "dispatcher/simulate_command.hpp"
#include "tests/bench/preload.hpp"
#include "tests/integration/manual_clock.hpp"
#include "tests/integration/redis_server.hpp"
#include "tests/integration/run.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using namespace halfhour;

namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// One lane of the writer: records first, first + lanes, … each created with its whole history.
asio::awaitable<void> write_lane(work_order_store& store, const std::vector<sla::order_record>& records,
                                 std::size_t first, std::size_t lanes, std::vector<std::string>& ids) {
  for (std::size_t i = first; i < records.size(); i += lanes) {
    const auto& rec = records[i];
    auto made = co_await store.create("bench:" + std::to_string(i), [&rec](std::string id) {
      sla::decision d{.next = rec.wo};
      d.next.id = std::move(id);
      d.events = rec.history;
      return d;
    });
    if (!made) throw std::runtime_error("create failed: " + made.error().message());
    ids[i] = made->order.wo.id;
  }
}

// The floor: every work order (its record and journal) read raw, a thousand keys a round trip.
asio::awaitable<std::size_t> read_raw(redis::connection& conn, const std::vector<std::string>& ids) {
  const redis::layout::keys keys("hh");
  std::size_t bytes = 0;
  for (std::size_t at = 0; at < ids.size(); at += 1000) {
    std::vector<std::vector<std::string>> commands;
    for (std::size_t i = at; i < std::min(ids.size(), at + 1000); ++i) commands.push_back({"GET", keys.order(ids[i])});
    auto r = co_await conn.pipeline(std::move(commands));
    if (!r) throw std::runtime_error("pipeline failed");
    for (const auto& reply : *r) bytes += reply.str.size();
  }
  co_return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  const double per_day = argc > 1 ? std::strtod(argv[1], nullptr) : 1290;  // ≈ 40,000 in October
  const auto rules = config::default_rules();
  const auto dir = config::default_directory();
  const sla::classifier cls(rules);
  const sla::resolver res(dir);
  simulation sim{.m = sla::month::containing(sla::from_ms(1'791'000'000'000)), .seed = 7, .per_day = per_day};
  sim.ladder.station = dir.station;
  sim.ladder.centre = dir.centre;
  auto start = std::chrono::steady_clock::now();
  const auto records = simulate(sim, cls, res, nullptr, false);
  const double simulated_s = since(start);
  std::size_t in_month = 0;
  for (const auto& r : records) in_month += sla::month::containing(r.wo.accepted_at) == sim.m;

  halfhour::testing::redis_server server;
  asio::io_context ioc(1);
  auto conn = bench::connect_for_loading(ioc, server);
  auto store = make_redis_store(conn, "hh");
  std::vector<std::string> ids(records.size());
  start = std::chrono::steady_clock::now();
  constexpr std::size_t lanes = 32;
  std::size_t done = 0;
  for (std::size_t l = 0; l < lanes; ++l)
    asio::co_spawn(ioc, write_lane(*store, records, l, lanes, ids), [&](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
      ++done;
    });
  while (done < lanes) ioc.run_one();
  const double written_s = since(start);

  start = std::chrono::steady_clock::now();
  const auto bytes = bench::run_long(ioc, read_raw(*conn, ids));
  const double raw_s = since(start);

  halfhour::testing::manual_clock clk(ioc.get_executor(), sim.m.end() + 48h);
  engine eng(ioc.get_executor(), *store, clk, cls, res, sla::limits{});
  start = std::chrono::steady_clock::now();
  auto monthly = bench::run_long(ioc, load_monthly(eng, sim.m, config::default_scorecard()));
  if (!monthly) throw std::runtime_error("report failed: " + monthly.error().message());
  const double report_s = since(start);
  start = std::chrono::steady_clock::now();
  const auto files = report_files(*monthly, "东明路街道");
  const double render_s = since(start);
  std::size_t file_bytes = 0;
  for (const auto& [name, body] : files) file_bytes += body.size();

  fmt::print("simulated {} jobs ({} accepted in {}) in {:.1f} s; written to Redis in {:.1f} s\n", records.size(),
             in_month, sim.m.label(), simulated_s, written_s);
  fmt::print("baseline, raw read of their records and journals: {:.2f} s ({:.0f} MB)\n", raw_s, bytes / 1e6);
  fmt::print("report (read, decode, two months computed, firms graded, tables): {:.2f} s | ratio {:.2f}\n", report_s,
             report_s / raw_s);
  fmt::print("rendered HTML, XLSX and {} CSV views ({:.1f} MB) in {:.2f} s | total {:.2f} s, ratio {:.2f}\n",
             files.size() - 2, file_bytes / 1e6, render_s, report_s + render_s, (report_s + render_s) / raw_s);
  fmt::print("month's jobs reported: {}, breaches listed: {}, firms graded: {}\n", monthly->current.total.received,
             monthly->current.breaches.size(), monthly->scorecard.size());
  if (monthly->current.total.received != static_cast<int>(in_month))
    throw std::runtime_error("the report counts another number of jobs than were written");
}
