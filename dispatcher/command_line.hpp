// The command line's shape: its subcommands and options (CLI11), and what they were given. What
// each command does is main.cpp's, which alone builds the concrete adapters.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "dispatcher/simulate_command.hpp"
#include "sla/access.hpp"

namespace halfhour::cli {

struct redis_flags {
  std::string socket;
  std::string address;
};

struct serve_flags {
  std::string listen;
  int port = -1;
};

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
  CLI::App* archive_cmd = nullptr;
};

// Adds the subcommands to `app`, their values going into `c`.
void add_commands(CLI::App& app, command_line& c);

}  // namespace halfhour::cli
