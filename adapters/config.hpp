// Loads the engine's configuration (proto3 JSON of halfhour.v1.EngineConfig, Directory and
// ClassifierRules) into the domain's types. Start-up code: errors throw config_error with the
// file and the field.
#pragma once

#include <chrono>
#include <map>
#include <utility>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sla/classifier.hpp"
#include "sla/scorecard.hpp"
#include "sla/directory.hpp"
#include "sla/duplicates.hpp"
#include "sla/work_order.hpp"
#include "sla/workdays.hpp"

namespace halfhour::config {

struct config_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct redis_settings {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_socket;
  std::chrono::milliseconds timeout{2000};
  std::vector<std::pair<std::string, int>> sentinels;  // (host, port); empty: no Sentinel
  std::string sentinel_master;
  std::vector<std::pair<std::string, int>> cluster_nodes;  // (host, port); empty: not a cluster
  int min_replicas_acked = 0;
  std::string password;
  std::string sentinel_password;
};

struct delivery_settings {
  // Where each recipient is reached: an organisation's name, else its recipient kind
  // ("holder", "committee", "centre", "station"), else "default". 企业微信 group-robot format.
  std::map<std::string, std::string> webhooks;
  std::string hotline_url;  // status updates for 12345 tickets, JSON with the ticket_no
  // Recipients without a webhook but with a phone get an SMS through the gateway at sms_url.
  std::map<std::string, std::string> sms_phones;
  std::string sms_url;
  std::string sms_template = "{text}";
  std::chrono::milliseconds timeout{5000};
  int max_attempts = 8;
  std::chrono::milliseconds backoff_first{1000};
  std::chrono::milliseconds backoff_max{60000};
  std::chrono::milliseconds poll{1000};
  std::chrono::milliseconds claim_idle{30000};
  // Outgoing connections kept alive (http::pool_limits): open at once per host, idle kept over
  // all hosts, and how long one may lie idle.
  std::size_t connections_per_host = 16;
  std::size_t idle_connections = 32;
  std::chrono::milliseconds idle_timeout{30000};

  bool enabled() const { return !webhooks.empty() || !hotline_url.empty() || !sms_url.empty(); }
};

struct channel_settings {
  sla::duration link_window = sla::default_link_window;  // zero: never link
  std::map<std::string, std::string> wechat_groups;
  std::map<std::string, std::string> open311_keys;  // SHA-256 hex of the key -> client name
  std::map<std::string, std::string> channel_keys;  // the same for the 社区云 and WeChat bots
  std::map<std::string, std::string> hotline_keys;  // the same for the 12345 forwarder
  std::map<std::string, std::string> sms_keys;      // the same for the SMS gateways; empty: closed
  std::size_t max_linked_per_job = 50;
};

struct report_config {
  std::string district = "东明路街道";
  std::string public_url;
  std::string link_secret;
  bool monthly_message = true;
};

struct settings {
  std::string listen_address = "127.0.0.1";
  int listen_port = 8080;
  std::chrono::seconds http_read_timeout{30};
  std::size_t http_max_connections = 0;  // 0: from the descriptor limit
  // Proxies believed when they say X-Forwarded-Proto or X-Forwarded-For (IP addresses in their
  // usual text form); empty: none.
  std::vector<std::string> trusted_proxies;
  std::map<std::string, std::string> metrics_keys;  // SHA-256 hex -> scraper; empty: /metrics is open
  std::chrono::hours login_code_ttl{72};
  std::size_t board_max_streams = 64;
  redis_settings redis;
  std::string key_prefix = "hh";
  std::chrono::seconds session_ttl{12 * 3600};
  sla::limits limits;
  sla::ladder ladder;
  delivery_settings delivery;
  channel_settings channels;
  report_config reports;
  sla::directory directory;
  sla::classifier_rules rules;
  sla::working_calendar calendar;
  sla::scorecard_rules scorecard;
  // Finished jobs older than retention_months whole months go to monthly files in archive_dir
  // (dispatcher/archiver.hpp); an empty archive_dir keeps everything in Redis.
  std::string archive_dir;
  int retention_months = 13;
};

sla::directory parse_directory(std::string_view json, std::string_view origin);
sla::classifier_rules parse_rules(std::string_view json, std::string_view origin);

// The embedded defaults: the Dongming directory and the shipped rules.
sla::directory default_directory();
sla::classifier_rules default_rules();
// The firms' monthly grade: JSON of halfhour.v1.ScorecardRules, refused whole when a weight or a
// threshold is wrong.
sla::scorecard_rules parse_scorecard(std::string_view json, std::string_view origin);
sla::scorecard_rules default_scorecard();

// One year's holiday notice (proto3 JSON of halfhour.v1.HolidayYear), checked day by day.
sla::holiday_year parse_holiday_year(std::string_view json, std::string_view origin);
// The notices built in (deploy/calendar/), and those in a directory (every *.json in it).
std::vector<sla::holiday_year> default_holiday_years();
std::vector<sla::holiday_year> read_calendar_dir(const std::string& dir);

// Reads an EngineConfig file (empty path: all defaults) and the directory and rules it names.
settings load(const std::string& path);

std::string read_file(const std::string& path);

// True for 127.0.0.0/8, ::1 and "localhost": only this machine reaches the engine.
bool is_loopback(std::string_view address);

// The doors that would take any caller (no keys configured), by their configuration field.
std::vector<std::string> keyless_doors(const settings& s);

}  // namespace halfhour::config
