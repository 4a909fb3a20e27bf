// halfhour: the command line. The only file that sees concrete adapters: it builds them,
// hands them to the engine as ports, and runs.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>

#include "adapters/clock.hpp"
#include "adapters/config.hpp"
#include "adapters/http/server.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/store.hpp"
#include "dispatcher/classify_command.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/routes.hpp"

namespace asio = boost::asio;

namespace {

struct serve_flags {
  std::string listen;
  int port = -1;
  std::string redis_socket;
  std::string redis;
};

int serve(halfhour::config::settings s, const serve_flags& f) {
  if (!f.listen.empty()) s.listen_address = f.listen;
  if (f.port >= 0) s.listen_port = f.port;
  if (!f.redis_socket.empty()) s.redis.unix_socket = f.redis_socket;
  if (!f.redis.empty()) {
    auto colon = f.redis.rfind(':');
    if (colon == std::string::npos) throw halfhour::config::config_error("--redis wants HOST:PORT");
    s.redis.host = f.redis.substr(0, colon);
    s.redis.port = std::stoi(f.redis.substr(colon + 1));
    s.redis.unix_socket.clear();
  }

  const halfhour::sla::classifier classifier(s.rules);
  const halfhour::sla::resolver resolver(s.directory);

  asio::io_context ioc(1);
  auto ex = ioc.get_executor();
  halfhour::redis::endpoint ep{s.redis.host, s.redis.port, s.redis.unix_socket};
  halfhour::redis::options opt;
  opt.command_timeout = s.redis.timeout;
  auto conn = halfhour::redis::connection::create(ex, ep, opt);
  auto store = halfhour::make_redis_store(conn, s.key_prefix);
  auto clk = halfhour::make_system_clock(ex);
  halfhour::engine eng(ex, *store, *clk, classifier, resolver, s.limits);

  halfhour::http::server_options http_opt;
  http_opt.address = s.listen_address;
  http_opt.port = static_cast<unsigned short>(s.listen_port);
  auto server = halfhour::http::make_server(ex, http_opt, halfhour::make_routes(eng));
  spdlog::info("halfhour: serving on http://{}:{} (redis {})", s.listen_address, server->port(),
               ep.unix_socket.empty() ? ep.host + ":" + std::to_string(ep.port) : "unix:" + ep.unix_socket);

  asio::co_spawn(ex, eng.recover(), asio::detached);
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"halfhour: the 30-minute repair response engine of Dongming Road sub-district"};
  app.require_subcommand(1);
  std::string config_path;
  app.add_option("-c,--config", config_path, "EngineConfig JSON file (default: built-in settings and directory)")
      ->check(CLI::ExistingFile);

  serve_flags flags;
  auto* serve_cmd = app.add_subcommand("serve", "Run the engine: HTTP API, clocks, Redis");
  serve_cmd->add_option("--listen", flags.listen, "Address to listen on (default 127.0.0.1)");
  serve_cmd->add_option("--port", flags.port, "Port to listen on (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--redis-socket", flags.redis_socket, "Redis unix socket path");
  serve_cmd->add_option("--redis", flags.redis, "Redis HOST:PORT");

  auto* classify_cmd = app.add_subcommand(
      "classify",
      "Classify requests offline: reads JSON lines {\"text\":…,\"address\":…} or plain text lines on stdin, "
      "writes one JSON line each");

  CLI11_PARSE(app, argc, argv);
  try {
    auto settings = halfhour::config::load(config_path);
    if (serve_cmd->parsed()) return serve(std::move(settings), flags);
    if (classify_cmd->parsed()) {
      const halfhour::sla::classifier classifier(settings.rules);
      const halfhour::sla::resolver resolver(settings.directory);
      return halfhour::run_classify(std::cin, std::cout, classifier, resolver);
    }
  } catch (const std::exception& e) {
    std::cerr << "halfhour: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
