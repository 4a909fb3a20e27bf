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
#include <iostream>
#include <memory>
#include <unistd.h>

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
#include "adapters/store.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/classify_command.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/outbox_sender.hpp"
#include "dispatcher/reports.hpp"
#include "dispatcher/simulate_command.hpp"
#include "dispatcher/routes.hpp"

namespace asio = boost::asio;

namespace {

struct redis_flags {
  std::string socket;
  std::string address;
};

struct serve_flags {
  std::string listen;
  int port = -1;
};

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

// Waits (bounded) for Redis, stores the member, prints the code. A named coroutine taking
// everything by value or by pointer to the caller's frame, which outlives the io_context run.
asio::awaitable<void> issue_code(std::shared_ptr<halfhour::redis::connection> conn, halfhour::auth* au,
                                 halfhour::sla::member m, int* rc) {
  asio::steady_timer wait(co_await asio::this_coro::executor);
  for (int i = 0; i < 50 && !conn->connected(); ++i) {  // up to 5 s for Redis to answer
    wait.expires_after(std::chrono::milliseconds(100));
    co_await wait.async_wait(asio::use_awaitable);
  }
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
  asio::steady_timer wait(co_await asio::this_coro::executor);
  for (int i = 0; i < 50 && !conn->connected(); ++i) {
    wait.expires_after(std::chrono::milliseconds(100));
    co_await wait.async_wait(asio::use_awaitable);
  }
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
  asio::steady_timer wait(co_await asio::this_coro::executor);
  for (int i = 0; i < 50 && !conn->connected(); ++i) {
    wait.expires_after(std::chrono::milliseconds(100));
    co_await wait.async_wait(asio::use_awaitable);
  }
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
  int rc = 1;
  asio::co_spawn(ioc, report_files(conn, &eng, m, dir, s.reports.district, s.scorecard, &rc), asio::detached);
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
  halfhour::report_settings report_opt{s.reports.district, s.reports.public_url, s.reports.link_secret, s.scorecard};
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

// What the command line says: the options' values and which subcommand was given.
struct command_line {
  std::string config_path;
  redis_flags redis;
  serve_flags flags;
  halfhour::sla::member new_member;
  std::string role_text = "crew";
  std::string remove_phone;
  std::string key_client;
  std::string report_month, out_dir = ".";
  halfhour::simulation sim;
  std::string sim_month;
  bool quiet = false;
  CLI::App* serve_cmd = nullptr;
  CLI::App* crew_cmd = nullptr;
  CLI::App* crew_add_cmd = nullptr;
  CLI::App* crew_remove_cmd = nullptr;
  CLI::App* key_cmd = nullptr;
  CLI::App* report_cmd = nullptr;
  CLI::App* simulate_cmd = nullptr;
  CLI::App* classify_cmd = nullptr;
};

void add_redis_options(CLI::App* cmd, redis_flags& redis) {
  cmd->add_option("--redis-socket", redis.socket, "Redis unix socket path");
  cmd->add_option("--redis", redis.address, "Redis HOST:PORT");
}

// The engine and its people: serve, crew add, crew remove.
void add_serve_and_crew(CLI::App& app, command_line& c) {
  auto add_redis = [&c](CLI::App* cmd) { add_redis_options(cmd, c.redis); };
  c.serve_cmd = app.add_subcommand("serve", "Run the engine: HTTP API, clocks, Redis");
  c.serve_cmd->add_option("--listen", c.flags.listen, "Address to listen on (default 127.0.0.1)");
  c.serve_cmd->add_option("--port", c.flags.port, "Port to listen on (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  add_redis(c.serve_cmd);

  c.crew_cmd = app.add_subcommand("crew", "Manage the people who log in: crews, managers, station, centre");
  c.crew_cmd->require_subcommand(1);
  c.crew_add_cmd =
      c.crew_cmd->add_subcommand("add", "Register a member (or reissue its code) and print its login code");
  c.crew_add_cmd->add_option("--phone", c.new_member.id, "Login phone number")
      ->required()
      ->check([](const std::string& v) {
        return v.size() >= 5 && v.size() <= 20 && v.find_first_not_of("0123456789") == std::string::npos
                   ? std::string{}
                   : std::string("digits only, 5 to 20 of them");
      });
  c.crew_add_cmd->add_option("--name", c.new_member.name, "Name shown in the history, e.g. 李师傅")->required();
  c.crew_add_cmd
      ->add_option("--org", c.new_member.organisation,
                   "Organisation: a property firm of the directory, the station or the centre")
      ->required();
  c.crew_add_cmd->add_option("--role", c.role_text, "crew | manager | station | supervisor | committee (default crew)")
      ->check(CLI::IsMember({"crew", "manager", "station", "supervisor", "committee"}));
  add_redis(c.crew_add_cmd);
  c.crew_remove_cmd = c.crew_cmd->add_subcommand(
      "remove", "Remove a member: its login code stops working and its sessions end at once");
  c.crew_remove_cmd->add_option("--phone", c.remove_phone, "Login phone number")->required();
  add_redis(c.crew_remove_cmd);
}

// The offline commands: key, report, simulate, classify.
void add_offline_commands(CLI::App& app, command_line& c) {
  auto add_redis = [&c](CLI::App* cmd) { add_redis_options(cmd, c.redis); };
  c.key_cmd = app.add_subcommand(
      "key",
      "Make an API key for an Open311 client or a channel bot: prints the key (give it to the client) and the "
      "SHA-256 to put in the configuration");
  c.key_cmd->add_option("--client", c.key_client, "The client's name, e.g. 区城运中心")->required();

  c.report_cmd =
      app.add_subcommand("report", "Write a month's breach report (HTML, XLSX, CSV) from the work orders in Redis");
  c.report_cmd->add_option("--month", c.report_month, "The month, e.g. 2026-10 (Asia/Shanghai)")->required();
  c.report_cmd->add_option("--out", c.out_dir, "Directory to write into (created if missing)");
  add_redis(c.report_cmd);

  c.simulate_cmd = app.add_subcommand(
      "simulate", "Simulate a month of repair requests through the domain and write its report (no Redis needed)");
  c.simulate_cmd
      ->add_option("--month", c.sim_month, "The month to simulate, e.g. 2026-10 (the month before is simulated too)")
      ->required();
  c.simulate_cmd->add_option("--seed", c.sim.seed, "Seed: the same seed gives the same month, byte for byte");
  c.simulate_cmd->add_option("--per-day", c.sim.per_day, "Requests on an ordinary day (default 40)")
      ->check(CLI::Range(1.0, 5000.0));
  c.simulate_cmd->add_option("--slow-firms", c.sim.slow_firms, "Firms whose crews are markedly slower (default 2)")
      ->check(CLI::Range(0, 20));
  c.simulate_cmd->add_option("--out", c.out_dir, "Directory to write the report into");
  c.simulate_cmd->add_flag("--quiet", c.quiet, "No progress on stderr");

  c.classify_cmd = app.add_subcommand(
      "classify",
      "Classify requests offline: reads JSON lines {\"text\":…,\"address\":…} or plain text lines on stdin, "
      "writes one JSON line each");
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
  add_serve_and_crew(app, c);
  add_offline_commands(app, c);
  CLI11_PARSE(app, argc, argv);
  try {
    return run(c);
  } catch (const std::exception& e) {
    std::cerr << "halfhour: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
