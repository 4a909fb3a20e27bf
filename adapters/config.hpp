// Loads the engine's configuration (proto3 JSON of halfhour.v1.EngineConfig, Directory and
// ClassifierRules) into the domain's types. Start-up code: errors throw config_error with the
// file and the field.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sla/classifier.hpp"
#include "sla/directory.hpp"
#include "sla/work_order.hpp"

namespace halfhour::config {

struct config_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct redis_settings {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_socket;
  std::chrono::milliseconds timeout{2000};
};

struct settings {
  std::string listen_address = "127.0.0.1";
  int listen_port = 8080;
  redis_settings redis;
  std::string key_prefix = "hh";
  std::chrono::seconds session_ttl{12 * 3600};
  sla::limits limits;
  sla::ladder ladder;
  sla::directory directory;
  sla::classifier_rules rules;
};

sla::directory parse_directory(std::string_view json, std::string_view origin);
sla::classifier_rules parse_rules(std::string_view json, std::string_view origin);

// The embedded defaults: the Dongming directory and the shipped rules.
sla::directory default_directory();
sla::classifier_rules default_rules();

// Reads an EngineConfig file (empty path: all defaults) and the directory and rules it names.
settings load(const std::string& path);

std::string read_file(const std::string& path);

}  // namespace halfhour::config
