// Redis memory over simulated months of the sub-district's volume, through the real engine, store
// and archive: every day's reports come in, are done ten minutes later, their notices delivered;
// at 03:30 on each month's first day the archiver runs, as serve does every night. Memory should
// grow for the retention window and stay flat after it. The baseline is the same run's own
// growth before the window closes: the month-on-month growth a store without retention keeps.
// Usage: halfhour_bench_retention [months, default 24] [reports a day, default 40]
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <charconv>
#include <cstdlib>
#include <filesystem>

#include "adapters/archive.hpp"
#include "adapters/config.hpp"
#include "adapters/outbox_store.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/retention_store.hpp"
#include "dispatcher/archiver.hpp"
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

long long info_field(asio::io_context& ioc, redis::connection& conn, const char* section, std::string_view field) {
  auto r = bench::run_long(ioc, conn.command({"INFO", section}));
  if (!r) throw std::runtime_error("INFO failed");
  const auto at = r->str.find(field);
  if (at == std::string::npos) throw std::runtime_error("no " + std::string(field));
  long long v = 0;
  std::from_chars(r->str.data() + at + field.size(), r->str.data() + r->str.size(), v);
  return v;
}

// What the outbox's sender does once it delivered each notice.
void deliver_all(asio::io_context& ioc, outbox_store& outbox, sla::instant at) {
  for (;;) {
    auto batch = bench::run_long(ioc, outbox.read_new("bench", 256));
    if (!batch) throw std::runtime_error("outbox read failed");
    if (batch->empty()) return;
    for (auto& e : *batch)
      if (!bench::run_long(ioc, outbox.ack(std::move(e), at))) throw std::runtime_error("outbox ack failed");
  }
}

const char* const texts[] = {"楼道灯不亮了", "单元门禁坏了，刷卡打不开", "小区路灯坏了一盏", "信报箱的门掉了"};

// One day's reports from 09:00, twenty minutes apart, each done ten minutes after it came in.
void one_day(asio::io_context& ioc, engine& eng, halfhour::testing::manual_clock& clk, int per_day, long long& serial) {
  for (int i = 0; i < per_day; ++i, ++serial) {
    channels::request r;
    r.intake.external_no = "Y" + std::to_string(serial);
    r.intake.content = texts[serial % 4];
    r.intake.who = sla::reporter{"王", fmt::format("139{:08d}", serial % 100'000'000)};
    r.intake.address = fmt::format("丹桂苑{}号楼{}0{}室", serial % 40 + 1, serial % 6 + 1, serial % 4 + 1);
    r.idempotency_key = "12345:" + r.intake.external_no;
    auto c = bench::run_long(ioc, eng.ingest(std::move(r)));
    if (!c) throw std::runtime_error("ingest failed: " + c.error().message());
    clk.advance(10min);
    if (c->what == ingest_outcome::kind::created) {
      const auto& wo = c->order.wo;
      const sla::member crew{"13800000002", "张师傅", wo.holder, sla::role::crew};
      sla::action done{sla::action_kind::complete, "张师傅", crew.id, wo.holder, sla::role::crew, "", "done-" + wo.id};
      auto out = bench::run_long(ioc, eng.act(crew, wo.id, std::move(done)));
      if (!out || out->what != act_outcome::kind::applied) throw std::runtime_error("complete failed for " + wo.id);
    }
    clk.advance(10min);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int months = argc > 1 ? std::atoi(argv[1]) : 24;
  const int per_day = argc > 2 ? std::atoi(argv[2]) : 40;
  spdlog::set_level(spdlog::level::warn);  // a line per job would bury the table
  halfhour::testing::redis_server server;
  char tmpl[] = "/tmp/halfhour-year-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  asio::io_context ioc(1);
  auto conn = redis::connection::create(ioc.get_executor(), {"", 0, server.socket()}, {});
  if (!halfhour::testing::run_until(ioc, [&] { return conn->connected(); })) throw std::runtime_error("no Redis");
  // Loading speed only: the memory a job takes does not depend on when it is fsynced.
  (void)bench::run_long(ioc, conn->command({"CONFIG", "SET", "appendfsync", "no"}));
  auto store = make_redis_store(conn, "hh");
  auto outbox = make_redis_outbox_store(conn, "hh");
  auto retention = make_redis_retention_store(conn, "hh");
  auto archive = make_file_archive(dir);
  if (!bench::run_long(ioc, outbox->ensure_groups())) throw std::runtime_error("outbox groups");
  const sla::classifier cls(config::default_rules());
  const sla::resolver res(config::default_directory());
  const sla::month first{2025, 1};
  halfhour::testing::manual_clock clk(ioc.get_executor(), first.start());
  engine eng(ioc.get_executor(), *store, clk, cls, res, sla::limits{});
  eng.use_archive(archive.get());
  archiver a(*store, *retention, *archive, sla::default_retention_months);

  const auto base = info_field(ioc, *conn, "memory", "used_memory:");
  std::vector<long long> used;  // at each month's end, after that night's pass
  long long serial = 0;
  const auto started = std::chrono::steady_clock::now();
  fmt::print("month    jobs in Redis  used_memory (MB)  archived (MB)\n");
  for (auto m = first; used.size() < static_cast<std::size_t>(months); m = m.next()) {
    for (int d = 0; d < m.days(); ++d) {
      clk.advance(m.start() + 24h * d + 9h - clk.now());
      one_day(ioc, eng, clk, per_day, serial);
      deliver_all(ioc, *outbox, clk.now());
    }
    clk.advance(m.end() + 3h + 30min - clk.now());
    auto pass = bench::run_long(ioc, a.run(clk.now()));
    if (!pass) throw std::runtime_error("archive pass failed: " + pass.error().message());
    used.push_back(info_field(ioc, *conn, "memory", "used_memory:") - base);
    long long on_disk = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) on_disk += static_cast<long long>(e.file_size());
    auto jobs = bench::run_long(ioc, store->accepted_between(sla::instant{}, m.end(), 10'000'000));
    fmt::print("{}  {:>13}  {:>16.2f}  {:>13.2f}\n", m.label(), jobs ? jobs->size() : 0, used.back() / 1e6,
               on_disk / 1e6);
  }
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::size_t window = sla::default_retention_months + 1;  // the months kept, the present one too
  fmt::print("{} reports in {} months through the engine in {:.0f} s\n", serial, months, took);
  if (used.size() > window) {
    // Growth a month while the window fills (what a store without retention keeps doing), against
    // growth a month after it closed.
    const double filling = static_cast<double>(used[window - 1] - used[0]) / static_cast<double>(window - 1);
    const double after =
        static_cast<double>(used.back() - used[window - 1]) / static_cast<double>(used.size() - window);
    fmt::print(
        "Redis growth a month: {:.0f} KB while the {}-month window fills, {:.0f} KB after it "
        "(ratio {:.3f}); at the end {:.2f} MB, {:.2f}x the size when the window closed\n",
        filling / 1e3, window, after / 1e3, after / filling, used.back() / 1e6,
        static_cast<double>(used.back()) / static_cast<double>(used[window - 1]));
  }
  conn->stop();
  std::filesystem::remove_all(dir);
  return 0;
}
