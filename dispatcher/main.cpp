// halfhour: the command line. The only file that sees concrete adapters: it builds them,
// hands them to the engine as ports, and runs.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <iostream>
#include <memory>
#include <unistd.h>

#include "adapters/archive.hpp"
#include "adapters/clock.hpp"
#include "adapters/config.hpp"
#include "adapters/crypto.hpp"
#include "adapters/http/client.hpp"
#include "adapters/http/server.hpp"
#include "adapters/report/files.hpp"
#include "adapters/identity_store.hpp"
#include "adapters/opinion/fasttext_opinion.hpp"
#include "adapters/outbox_store.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/retention_store.hpp"
#include "adapters/store.hpp"
#include "dispatcher/archiver.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/classify_command.hpp"
#include "dispatcher/command_line.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/outbox_sender.hpp"
#include "dispatcher/reports.hpp"
#include "dispatcher/simulate_command.hpp"
#include "dispatcher/routes.hpp"

namespace asio = boost::asio;

namespace {

using halfhour::cli::command_line;
using halfhour::cli::redis_flags;
using halfhour::cli::serve_flags;

void apply_redis_flags(halfhour::config::settings& s, const redis_flags& f) {
  // A server named on the command line is the one used, Sentinel, cluster or not.
  if (!f.socket.empty() || !f.address.empty()) {
    s.redis.sentinels.clear();
    s.redis.cluster_nodes.clear();
  }
  if (!f.socket.empty()) s.redis.unix_socket = f.socket;
  if (!f.address.empty()) {
    auto colon = f.address.rfind(':');
    if (colon == std::string::npos) throw halfhour::config::config_error("--redis wants HOST:PORT");
    s.redis.host = f.address.substr(0, colon);
    s.redis.port = std::stoi(f.address.substr(colon + 1));
    s.redis.unix_socket.clear();
  }
}

// WAIT is given half the command timeout: the connection gives up on a command at the full one.
halfhour::replication replication_of(const halfhour::config::settings& s) {
  return {s.redis.min_replicas_acked, s.redis.timeout / 2};
}

std::shared_ptr<halfhour::redis::connection> connect(asio::io_context& ioc, const halfhour::config::settings& s) {
  halfhour::redis::endpoint ep{s.redis.host, s.redis.port, s.redis.unix_socket};
  halfhour::redis::options opt;
  opt.command_timeout = s.redis.timeout;
  opt.password = s.redis.password;
  if (!s.redis.cluster_nodes.empty()) {
    std::vector<halfhour::redis::endpoint> seeds;
    for (const auto& [host, port] : s.redis.cluster_nodes) seeds.push_back({host, port, {}});
    return halfhour::redis::connection::create_cluster(ioc.get_executor(), std::move(seeds), opt);
  }
  halfhour::redis::sentinel_settings sentinel;
  sentinel.password = s.redis.sentinel_password;
  for (const auto& [host, port] : s.redis.sentinels) sentinel.sentinels.push_back({host, port, {}});
  sentinel.master = s.redis.sentinel_master;
  return halfhour::redis::connection::create(ioc.get_executor(), ep, opt, std::move(sentinel));
}

// Up to 5 s for Redis to answer, before a command's first request.
asio::awaitable<void> wait_for_redis(const std::shared_ptr<halfhour::redis::connection>& conn) {
  asio::steady_timer wait(co_await asio::this_coro::executor);
  for (int i = 0; i < 50 && !conn->connected(); ++i) {
    wait.expires_after(std::chrono::milliseconds(100));
    co_await wait.async_wait(asio::use_awaitable);
  }
}

// HALFHOUR_FAILPOINT=<step>: the process kills itself with SIGKILL when archiving reaches that
// step (adapters/archive.hpp, dispatcher/archiver.hpp), as a crash there would; for the tests
// that show such a crash loses nothing. Unset, nothing happens.
halfhour::step_hook failpoint() {
  const char* at = std::getenv("HALFHOUR_FAILPOINT");
  if (!at || !*at) return {};
  return [at = std::string(at)](std::string_view step) {
    if (step == at) ::raise(SIGKILL);
  };
}

// The archive the settings name, or nothing when they name none.
std::unique_ptr<halfhour::order_archive> open_archive(const halfhour::config::settings& s) {
  if (s.archive_dir.empty()) return nullptr;
  return halfhour::make_file_archive(s.archive_dir, failpoint());
}

// Waits (bounded) for Redis, stores the member, prints the code. A named coroutine taking
// everything by value or by pointer to the caller's frame, which outlives the io_context run.
asio::awaitable<void> issue_code(std::shared_ptr<halfhour::redis::connection> conn, halfhour::auth* au,
                                 halfhour::sla::member m, int* rc) {
  co_await wait_for_redis(conn);
  auto code = co_await au->issue(m);
  if (code) {
    std::cout << "login code for " << m.name << " (" << m.id << ", " << m.organisation << "): " << *code << "\n";
    *rc = 0;
  } else {
    std::cerr << "halfhour: cannot store the member: " << code.error().message() << "\n";
  }
  conn->stop();
}

// `halfhour crew add`: registers a member and prints its login code, once.
int crew_add(const halfhour::config::settings& s, halfhour::sla::member m) {
  const auto& dir = s.directory;
  using halfhour::sla::role;
  if (!halfhour::sla::role_fits(m.kind, m.organisation, dir)) {
    std::cerr << "halfhour: " << m.organisation << " is not a "
              << (m.kind == role::supervisor  ? dir.centre
                  : m.kind == role::station   ? dir.station
                  : m.kind == role::committee ? "residents' committee of the directory"
                                              : "property firm of the directory, nor the station")
              << " (role " << halfhour::sla::code_of(m.kind) << ")\n";
    return 2;
  }
  asio::io_context ioc(1);
  auto conn = connect(ioc, s);
  auto ids = halfhour::make_redis_identity_store(conn, s.key_prefix);
  auto clk = halfhour::make_system_clock(ioc.get_executor());
  halfhour::auth au(*ids, *clk, {s.session_ttl, s.login_code_ttl});
  int rc = 1;
  asio::co_spawn(ioc, issue_code(conn, &au, m, &rc), asio::detached);
  ioc.run();
  return rc;
}

// Waits (bounded) for Redis, removes the member, says so.
asio::awaitable<void> remove_member(std::shared_ptr<halfhour::redis::connection> conn, halfhour::auth* au,
                                    std::string phone, int* rc) {
  co_await wait_for_redis(conn);
  auto removed = co_await au->remove(phone);
  if (!removed) {
    std::cerr << "halfhour: cannot remove the member: " << removed.error().message() << "\n";
  } else if (!*removed) {
    std::cerr << "halfhour: no member with the phone " << phone << "\n";
  } else {
    std::cout << "removed " << phone << "; its code no longer works and its sessions have ended\n";
    *rc = 0;
  }
  conn->stop();
}

// `halfhour crew remove`: the member's code and sessions end at once.
int crew_remove(const halfhour::config::settings& s, const std::string& phone) {
  asio::io_context ioc(1);
  auto conn = connect(ioc, s);
  auto ids = halfhour::make_redis_identity_store(conn, s.key_prefix);
  auto clk = halfhour::make_system_clock(ioc.get_executor());
  halfhour::auth au(*ids, *clk, {s.session_ttl, s.login_code_ttl});
  int rc = 1;
  asio::co_spawn(ioc, remove_member(conn, &au, phone, &rc), asio::detached);
  ioc.run();
  return rc;
}

// `halfhour report`: waits (bounded) for Redis, loads the month, writes the files.
asio::awaitable<void> report_files(std::shared_ptr<halfhour::redis::connection> conn, halfhour::engine* eng,
                                   halfhour::sla::month m, std::string dir, std::string district,
                                   halfhour::sla::scorecard_rules rules, int* rc) {
  co_await wait_for_redis(conn);
  auto r = co_await halfhour::load_monthly(*eng, m, std::move(rules));
  if (!r) {
    std::cerr << "halfhour: cannot read the work orders: " << r.error().message() << "\n";
  } else {
    try {
      for (const auto& p : halfhour::reports::write_files(dir, halfhour::report_files(*r, district)))
        std::cout << p << "\n";
      *rc = 0;
    } catch (const std::exception& e) {
      std::cerr << "halfhour: " << e.what() << "\n";
    }
  }
  conn->stop();
}

// The rules, with the second opinion carried in the binary when the rules ask for one.
halfhour::sla::classifier make_classifier(const halfhour::sla::classifier_rules& rules) {
  if (rules.opinion_threshold <= 0) return halfhour::sla::classifier(rules);
  static const auto opinion =
      std::make_shared<const halfhour::opinion::fasttext_opinion>(halfhour::opinion::embedded_model());
  return halfhour::sla::classifier(rules, opinion);
}

int write_report(const halfhour::config::settings& s, halfhour::sla::month m, const std::string& dir) {
  const auto classifier = make_classifier(s.rules);
  const halfhour::sla::resolver resolver(s.directory);
  asio::io_context ioc(1);
  auto conn = connect(ioc, s);
  auto store = halfhour::make_redis_store(conn, s.key_prefix, replication_of(s));
  auto clk = halfhour::make_system_clock(ioc.get_executor());
  halfhour::engine eng(ioc.get_executor(), *store, *clk, classifier, resolver, s.limits, s.ladder);
  auto archive = open_archive(s);
  eng.use_archive(archive.get());
  int rc = 1;
  asio::co_spawn(ioc, report_files(conn, &eng, m, dir, s.reports.district, s.scorecard, &rc), asio::detached);
  ioc.run();
  return rc;
}

// `halfhour archive`: one pass now, as serve makes every night.
asio::awaitable<void> archive_now(std::shared_ptr<halfhour::redis::connection> conn, halfhour::archiver* a,
                                  halfhour::sla::instant now, int* rc) {
  co_await wait_for_redis(conn);
  auto pass = co_await a->run(now);
  if (!pass) {
    std::cerr << "halfhour: archiving stopped: " << pass.error().message() << " (run it again: nothing is lost)\n";
  } else if (pass->leased_elsewhere) {
    std::cerr << "halfhour: another engine is archiving now; nothing done\n";
  } else {
    std::cout << fmt::format(
        "months {}, written {}, out of Redis {}, not finished (stay) {}, changed (next pass) {}, old log entries {}\n",
        pass->months, pass->written, pass->retired, pass->kept, pass->moved_on, pass->trimmed);
    *rc = 0;
  }
  conn->stop();
}

int archive(const halfhour::config::settings& s) {
  if (s.archive_dir.empty()) {
    std::cerr << "halfhour: no archive_dir in the configuration: nothing may leave Redis\n";
    return 2;
  }
  asio::io_context ioc(1);
  auto conn = connect(ioc, s);
  auto store = halfhour::make_redis_store(conn, s.key_prefix, replication_of(s));
  auto retention = halfhour::make_redis_retention_store(conn, s.key_prefix);
  auto files = open_archive(s);
  auto clk = halfhour::make_system_clock(ioc.get_executor());
  halfhour::archiver a(*store, *retention, *files, s.retention_months, failpoint());
  int rc = 1;
  asio::co_spawn(ioc, archive_now(conn, &a, clk->now(), &rc), asio::detached);
  ioc.run();
  return rc;
}

int run_simulation(const halfhour::config::settings& s, const halfhour::simulation& sim, const std::string& dir,
                   bool quiet) {
  const auto classifier = make_classifier(s.rules);
  const halfhour::sla::resolver resolver(s.directory);
  const auto started = halfhour::monotonic_now();
  auto records = halfhour::simulate(sim, classifier, resolver, quiet ? nullptr : &std::cerr, isatty(2) == 1);
  // The heading says so: simulated figures must never pass for a real month's.
  const auto district = s.reports.district + "（模拟数据）";
  auto monthly = halfhour::make_monthly(records, sim.m, s.directory.station, s.scorecard);
  for (const auto& p : halfhour::reports::write_files(dir, halfhour::report_files(monthly, district)))
    std::cout << p << "\n";
  if (!quiet)
    std::cerr << "模拟完成：" << records.size() << " 单，" << monthly.current.breaches.size() << " 次超时，用时 "
              << std::chrono::duration_cast<std::chrono::milliseconds>(halfhour::monotonic_now() - started).count()
              << " 毫秒\n";
  return 0;
}

// A door without keys takes any caller: acceptable on loopback (a local trial, the tests), never
// where others can reach the engine.
void check_doors(const halfhour::config::settings& s) {
  const auto keyless = halfhour::config::keyless_doors(s);
  if (keyless.empty()) return;
  std::string list;
  for (const auto& d : keyless) list += (list.empty() ? "" : "; ") + d;
  if (!halfhour::config::is_loopback(s.listen_address))
    throw halfhour::config::config_error("listening on " + s.listen_address +
                                         ", which others can reach, but these doors have no keys: " + list +
                                         ". Make keys with `halfhour key --client NAME` and put their SHA-256 there.");
  spdlog::warn("halfhour: doors without keys take any caller on this machine: {}", list);
  if (s.channels.open311_keys.empty()) spdlog::info("halfhour: no channels.open311_api_keys: Open311 is closed");
}

// Working-day clocks count Monday to Friday in a year whose holiday notice the engine lacks, so
// the 国庆 week would count as five working days: whoever runs it hears of it in time to add the
// year's file (calendar_dir) when the State Council publishes it, each November.
void check_calendar(const halfhour::config::settings& s, halfhour::sla::instant now) {
  constexpr std::chrono::days ahead{92};
  for (const int year : s.calendar.unknown_years(now, now + ahead))
    spdlog::warn(
        "halfhour: no holiday notice for {}: working-day clocks count Monday to Friday in {}; add "
        "its file to calendar_dir (deploy/calendar/ shows the form)",
        year, year);
}

// What the routes are given from the settings.
halfhour::route_options route_options_of(const halfhour::config::settings& s,
                                         const halfhour::sla::classifier& classifier,
                                         const halfhour::report_settings& report_opt) {
  halfhour::route_options channel_opt;
  channel_opt.wechat_groups = s.channels.wechat_groups;
  channel_opt.open311_keys = s.channels.open311_keys;
  channel_opt.channel_keys = s.channels.channel_keys;
  channel_opt.hotline_keys = s.channels.hotline_keys;
  channel_opt.sms_keys = s.channels.sms_keys;
  channel_opt.metrics_keys = s.metrics_keys;
  channel_opt.board_max_streams = s.board_max_streams;
  channel_opt.trusted_proxies = s.trusted_proxies;
  channel_opt.services = halfhour::channels::open311::services_of(classifier.rules());
  channel_opt.reports = report_opt;
  return channel_opt;
}

int serve(halfhour::config::settings s, const serve_flags& f) {
  if (!f.listen.empty()) s.listen_address = f.listen;
  if (f.port >= 0) s.listen_port = f.port;
  check_doors(s);

  const auto classifier = make_classifier(s.rules);
  const halfhour::sla::resolver resolver(s.directory);

  asio::io_context ioc(1);
  auto ex = ioc.get_executor();
  auto conn = connect(ioc, s);
  auto store = halfhour::make_redis_store(conn, s.key_prefix, replication_of(s));
  auto identities = halfhour::make_redis_identity_store(conn, s.key_prefix);
  auto clk = halfhour::make_system_clock(ex);
  check_calendar(s, clk->now());
  halfhour::engine eng(ex, *store, *clk, classifier, resolver, s.limits, s.ladder);
  eng.link_window(s.channels.link_window);
  eng.max_linked(s.channels.max_linked_per_job);
  auto archive = open_archive(s);
  eng.use_archive(archive.get());
  std::unique_ptr<halfhour::retention_store> retention;
  std::optional<halfhour::archiver> archiver;
  auto archive_clock = halfhour::make_system_clock(ex);
  std::optional<halfhour::archive_schedule> nightly;
  if (archive) {
    retention = halfhour::make_redis_retention_store(conn, s.key_prefix);
    archiver.emplace(*store, *retention, *archive, s.retention_months, failpoint());
    nightly.emplace(ex, *archiver, *archive_clock);
  }
  halfhour::report_settings report_opt{s.reports.district, s.reports.public_url, s.reports.link_secret, s.scorecard};
  auto channel_opt = route_options_of(s, classifier, report_opt);
  halfhour::auth au(*identities, *clk, {s.session_ttl, s.login_code_ttl});
  auto outbox = halfhour::make_redis_outbox_store(conn, s.key_prefix);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  auto outgoing = halfhour::http::make_client(
      ex, {s.delivery.connections_per_host, s.delivery.idle_connections, s.delivery.idle_timeout});
  halfhour::outbox_sender sender(ex, *outbox, s.delivery, std::string(host) + "-" + std::to_string(getpid()), *clk,
                                 *outgoing);
  sender.rating_links({s.reports.public_url, s.reports.link_secret}, s.limits.rating_link);
  eng.on_notify([&sender] { sender.poke(); });
  channel_opt.more_metrics = [&sender] { return sender.metrics(); };
  channel_opt.post_once = [store = outbox.get()](halfhour::outbox_entry e, std::string once) {
    return store->post_once(std::move(e), std::move(once));
  };
  // The monthly message keeps its own wake-up: the engine's clock wakes for deadlines only.
  auto report_clock = halfhour::make_system_clock(ex);
  halfhour::monthly_sender monthly(eng, *outbox, *report_clock, report_opt, s.directory.centre);

  halfhour::http::server_options http_opt;
  http_opt.address = s.listen_address;
  http_opt.port = static_cast<unsigned short>(s.listen_port);
  http_opt.read_timeout = s.http_read_timeout;
  http_opt.max_connections = s.http_max_connections;
  auto server = halfhour::http::make_server(ex, http_opt, halfhour::make_routes(eng, au, channel_opt));
  spdlog::info(
      "halfhour: serving on http://{}:{} (redis {})", s.listen_address, server->port(),
      s.redis.unix_socket.empty() ? s.redis.host + ":" + std::to_string(s.redis.port) : "unix:" + s.redis.unix_socket);

  // A store the engine must not touch (another layout) ends the process: the error reaches main.
  asio::co_spawn(ex, eng.recover(), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  sender.start();
  if (s.reports.monthly_message) monthly.start();
  if (nightly) nightly->start();
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    spdlog::info("halfhour: signal {}, stopping", sig);
    server->stop();
    conn->stop();
    ioc.stop();
  });
  ioc.run();
  return 0;
}

int run(command_line& c) {
  auto settings = halfhour::config::load(c.config_path);
  apply_redis_flags(settings, c.redis);
  if (c.serve_cmd->parsed()) return serve(std::move(settings), c.flags);
  if (c.crew_add_cmd->parsed()) {
    halfhour::sla::role_from_code(c.role_text, c.new_member.kind);
    return crew_add(settings, c.new_member);
  }
  if (c.crew_remove_cmd->parsed()) return crew_remove(settings, c.remove_phone);
  if (c.key_cmd->parsed()) {
    const auto key = halfhour::crypto::random_hex(24);
    std::cout << "api key for " << c.key_client << ": " << key << "\n"
              << "configuration: \"" << c.key_client << "\": \"" << halfhour::crypto::sha256_hex(key) << "\"\n";
    return 0;
  }
  if (c.report_cmd->parsed()) {
    auto m = halfhour::sla::month::parse(c.report_month);
    if (!m) {
      std::cerr << "halfhour: --month must be YEAR-MONTH, e.g. 2026-10\n";
      return 2;
    }
    return write_report(settings, *m, c.out_dir);
  }
  if (c.archive_cmd->parsed()) return archive(settings);
  if (c.simulate_cmd->parsed()) {
    auto m = halfhour::sla::month::parse(c.sim_month);
    if (!m) {
      std::cerr << "halfhour: --month must be YEAR-MONTH, e.g. 2026-10\n";
      return 2;
    }
    c.sim.m = *m;
    c.sim.limits = settings.limits;
    c.sim.ladder = settings.ladder;
    return run_simulation(settings, c.sim, c.out_dir, c.quiet);
  }
  if (c.classify_cmd->parsed()) {
    const auto classifier = make_classifier(settings.rules);
    const halfhour::sla::resolver resolver(settings.directory);
    return halfhour::run_classify(std::cin, std::cout, classifier, resolver);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // hiredis writes to its socket with write(): when redis-server dies mid-write, the default
  // SIGPIPE would kill the engine with it. Ignored, the write fails with EPIPE, the connection is
  // marked lost and reconnects (found by tests/fault/test_redis_restart.py).
  std::signal(SIGPIPE, SIG_IGN);
  // Logs go to stderr: stdout belongs to what a command prints (classify's JSON lines, a code).
  spdlog::set_default_logger(spdlog::stderr_color_mt("halfhour"));
  CLI::App app{"halfhour: the 30-minute repair response engine of Dongming Road sub-district"};
  app.require_subcommand(1);
  command_line c;
  app.add_option("-c,--config", c.config_path, "EngineConfig JSON file (default: built-in settings and directory)")
      ->check(CLI::ExistingFile);
  halfhour::cli::add_commands(app, c);
  CLI11_PARSE(app, argc, argv);
  try {
    return run(c);
  } catch (const std::exception& e) {
    std::cerr << "halfhour: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
