#include "dispatcher/command_line.hpp"

namespace halfhour::cli {

namespace {

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

// The offline commands: key, report, archive, simulate, classify.
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

  c.archive_cmd = app.add_subcommand(
      "archive",
      "Move finished work orders older than retention_months from Redis into the monthly files in archive_dir now "
      "(serve does it every night)");
  add_redis(c.archive_cmd);

  c.classify_cmd = app.add_subcommand(
      "classify",
      "Classify requests offline: reads JSON lines {\"text\":…,\"address\":…} or plain text lines on stdin, "
      "writes one JSON line each");
}

}  // namespace

void add_commands(CLI::App& app, command_line& c) {
  add_serve_and_crew(app, c);
  add_offline_commands(app, c);
}

}  // namespace halfhour::cli
