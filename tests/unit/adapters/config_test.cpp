// Configuration files: what is set is read, what is wrong is refused at start-up, naming it.
#include "adapters/config.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace halfhour::config {
namespace {

std::string write_temp(const std::string& text) {
  char name[] = "/tmp/halfhour-config-XXXXXX";
  int fd = mkstemp(name);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(name) << text;
  return name;
}

void expect_refused(const std::string& json, const std::string& mentions) {
  auto path = write_temp(json);
  try {
    load(path);
    ADD_FAILURE() << "accepted: " << json;
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find(mentions), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
}

TEST(config, defaults_are_the_rule_and_the_dongming_directory) {
  auto s = load("");
  EXPECT_EQ(s.limits.on_site, std::chrono::minutes{30});
  EXPECT_EQ(s.limits.ack_urgent, std::chrono::minutes{10});
  EXPECT_EQ(s.directory.communities.size(), 73u);
  EXPECT_EQ(s.ladder.renotify, std::chrono::minutes{15});
  EXPECT_FALSE(s.delivery.enabled());
}

TEST(config, reads_limits_ladder_and_delivery) {
  auto path = write_temp(R"({"limits": {"on_site_seconds": 2},
    "ladder": {"warn_at": [0.5], "renotify_seconds": 60, "quiet_from_hour": 22, "quiet_to_hour": 7},
    "delivery": {"webhooks": {"default": "https://example.invalid/hook"}, "max_attempts": 3}})");
  auto s = load(path);
  std::remove(path.c_str());
  EXPECT_EQ(s.limits.on_site, std::chrono::seconds{2});
  EXPECT_EQ(s.limits.contact, std::chrono::minutes{30});
  EXPECT_EQ(s.ladder.warn_at, std::vector<double>{0.5});
  EXPECT_EQ((std::pair{s.ladder.quiet_from, s.ladder.quiet_to}), (std::pair{22, 7}));
  EXPECT_EQ(s.delivery.max_attempts, 3);
  EXPECT_TRUE(s.delivery.enabled());
  EXPECT_EQ(s.delivery.connections_per_host, 16u);
  EXPECT_EQ(s.delivery.idle_connections, 32u);
  EXPECT_EQ(s.delivery.idle_timeout, std::chrono::seconds{30});
}

TEST(config, reads_the_outgoing_connection_pool) {
  auto path = write_temp(R"({"delivery": {"connections_per_host": 4, "idle_connections": 0,
    "idle_timeout_ms": 5000}})");
  auto s = load(path);
  std::remove(path.c_str());
  EXPECT_EQ(s.delivery.connections_per_host, 4u);
  EXPECT_EQ(s.delivery.idle_connections, 0u);  // set to 0: nothing kept, unlike unset
  EXPECT_EQ(s.delivery.idle_timeout, std::chrono::seconds{5});
  expect_refused(R"({"delivery": {"connections_per_host": -1}})", "connections_per_host");
  expect_refused(R"({"delivery": {"idle_connections": -1}})", "idle_connections");
  expect_refused(R"({"delivery": {"idle_timeout_ms": -1}})", "idle_timeout_ms");
}

TEST(config, refuses_what_cannot_work_and_says_what) {
  expect_refused(R"({"limit": {}})", "limit");  // a typo in a key must not pass silently
  expect_refused(R"({"limits": {"on_site_seconds": -1}})", "on_site_seconds");
  expect_refused(R"({"ladder": {"warn_at": [1.5]}})", "warn_at");
  expect_refused(R"({"ladder": {"quiet_from_hour": 22}})", "quiet");
  expect_refused(R"({"ladder": {"quiet_from_hour": 25, "quiet_to_hour": 7}})", "quiet");
  expect_refused(R"({"delivery": {"webhooks": {"default": "ftp://x"}}})", "webhooks");
  expect_refused(R"({"delivery": {"sms_phones": {"committee": "1"}}})", "sms_url");
  expect_refused(R"({"listen_port": 70000})", "listen_port");
  expect_refused("{not json", "");
  EXPECT_THROW(load("/nonexistent/halfhour.json"), config_error);
}

TEST(config, trusted_proxies_are_addresses_and_none_by_default) {
  EXPECT_TRUE(load("").trusted_proxies.empty()) << "loopback is not trusted unless named";
  auto path = write_temp(R"({"http": {"trusted_proxies": ["10.0.0.5", "0:0:0:0:0:0:0:1"]}})");
  auto s = load(path);
  std::remove(path.c_str());
  EXPECT_EQ(s.trusted_proxies, (std::vector<std::string>{"10.0.0.5", "::1"})) << "in the form a peer is reported";
  expect_refused(R"({"http": {"trusted_proxies": ["proxy.local"]}})", "trusted_proxies");
  expect_refused(R"({"http": {"trusted_proxies": ["10.0.0.0/8"]}})", "trusted_proxies");
}

TEST(config, reads_the_sentinels_and_the_replicas_a_write_waits_for) {
  EXPECT_TRUE(load("").redis.sentinels.empty());
  EXPECT_EQ(load("").redis.min_replicas_acked, 0);
  auto path = write_temp(R"({"redis_sentinels": ["10.0.0.1:26379", "sentinel-b:26380"],
    "redis_sentinel_master": "halfhour", "min_replicas_acked": 1, "redis_password": "pw1",
    "redis_sentinel_password": "pw2"})");
  auto s = load(path);
  std::remove(path.c_str());
  EXPECT_EQ(s.redis.sentinels, (std::vector<std::pair<std::string, int>>{{"10.0.0.1", 26379}, {"sentinel-b", 26380}}));
  EXPECT_EQ(s.redis.sentinel_master, "halfhour");
  EXPECT_EQ(s.redis.min_replicas_acked, 1);
  EXPECT_EQ(s.redis.password, "pw1");
  EXPECT_EQ(s.redis.sentinel_password, "pw2");
  expect_refused(R"({"redis_sentinels": ["10.0.0.1"], "redis_sentinel_master": "m"})", "host:port");
  expect_refused(R"({"redis_sentinels": ["10.0.0.1:0"], "redis_sentinel_master": "m"})", "host:port");
  expect_refused(R"({"redis_sentinels": [":26379"], "redis_sentinel_master": "m"})", "host:port");
  expect_refused(R"({"redis_sentinels": ["10.0.0.1:26379"]})", "go together");
  expect_refused(R"({"redis_sentinel_master": "m"})", "go together");
  expect_refused(R"({"min_replicas_acked": -1})", "min_replicas_acked");
}

TEST(config, reads_the_cluster_nodes_and_refuses_them_beside_sentinels) {
  EXPECT_TRUE(load("").redis.cluster_nodes.empty());
  auto path = write_temp(R"({"redis_cluster_nodes": ["10.0.0.1:7000", "redis-b:7001"], "min_replicas_acked": 1})");
  auto s = load(path);
  std::remove(path.c_str());
  EXPECT_EQ(s.redis.cluster_nodes, (std::vector<std::pair<std::string, int>>{{"10.0.0.1", 7000}, {"redis-b", 7001}}));
  EXPECT_EQ(s.redis.min_replicas_acked, 1);
  expect_refused(R"({"redis_cluster_nodes": ["10.0.0.1"]})", "host:port");
  expect_refused(R"({"redis_cluster_nodes": ["10.0.0.1:7000"], "redis_sentinels": ["10.0.0.2:26379"],
    "redis_sentinel_master": "m"})",
                 "exclude each other");
}

TEST(config, nothing_leaves_redis_without_an_archive_dir_and_a_window_shorter_than_a_report_is_refused) {
  const auto defaults = load("");
  EXPECT_TRUE(defaults.archive_dir.empty());
  EXPECT_EQ(defaults.retention_months, 13);
  auto path = write_temp(R"({"archive_dir": "/var/lib/halfhour/archive", "retention_months": 25})");
  auto s = load(path);
  std::remove(path.c_str());
  EXPECT_EQ(s.archive_dir, "/var/lib/halfhour/archive");
  EXPECT_EQ(s.retention_months, 25);
  expect_refused(R"({"retention_months": 1})", "at least 2");
  expect_refused(R"({"retention_months": -3})", "negative");
}

TEST(config, the_example_file_loads_and_reads_the_channels) {
  auto s = load(std::string(HALFHOUR_SOURCE_DIR) + "/deploy/halfhour.example.json");
  EXPECT_EQ(s.channels.link_window, std::chrono::hours{2});
  EXPECT_EQ(s.channels.wechat_groups.at("东明一家亲"), "丹桂苑");
  EXPECT_EQ(s.channels.open311_keys.begin()->second, "区城运中心");
  EXPECT_EQ(load("").channels.link_window, std::chrono::hours{2}) << "linking is on by default";
  auto off = write_temp(R"({"channels": {"no_linking": true}})");
  EXPECT_EQ(load(off).channels.link_window, sla::duration::zero());
  std::remove(off.c_str());
}

TEST(config, refuses_channel_settings_that_cannot_work) {
  expect_refused(R"({"channels": {"link_window_seconds": 90000}})", "link_window_seconds");
  expect_refused(R"({"channels": {"open311_api_keys": {"x": "the-key-itself"}}})", "open311_api_keys[x]");
  expect_refused(
      R"({"channels": {"channel_api_keys": {"x": "ABCDEF0000000000000000000000000000000000000000000000000000000000"}}})",
      "channel_api_keys[x]");
  expect_refused(R"({"channels": {"sms_inbound_keys": {"aliyun": "the-key-itself"}}})", "sms_inbound_keys[aliyun]");
}

TEST(config, the_built_in_calendar_holds_the_announced_years_and_the_office_day_ends_at_half_past_five) {
  const auto s = load("");
  EXPECT_TRUE(s.calendar.knows(2025));
  EXPECT_TRUE(s.calendar.knows(2026));
  EXPECT_EQ(s.calendar.day_end(), std::chrono::minutes{17 * 60 + 30});
  // Each shipped year is the notice in full: 2026 has 33 days off and 6 weekend days worked.
  for (const auto& y : default_holiday_years()) {
    int off = 0;
    for (const auto& h : y.holidays) off += static_cast<int>((h.last - h.first).count()) + 1;
    if (y.year == 2026) {
      EXPECT_EQ(off, 33);
      EXPECT_EQ(y.workdays.size(), 6u);
    }
    EXPECT_FALSE(y.source.empty()) << y.year;
  }
  EXPECT_FALSE(s.calendar.is_working_day(*sla::parse_day("2026-02-23")));
  EXPECT_TRUE(s.calendar.is_working_day(*sla::parse_day("2026-02-28")));
}

TEST(config, a_calendar_directory_adds_years_or_corrects_one_and_a_bad_file_is_named) {
  char dir_name[] = "/tmp/halfhour-calendar-XXXXXX";
  ASSERT_NE(mkdtemp(dir_name), nullptr);
  const std::string dir = dir_name;
  std::ofstream(dir + "/2027.json") << R"({"year": 2027, "source": "test",
      "holidays": [{"name": "元旦", "first": "2027-01-01", "last": "2027-01-03"}], "workdays": []})";
  // A 2026 corrected: 国庆 a day longer.
  std::ofstream(dir + "/2026.json") << R"({"year": 2026, "source": "test",
      "holidays": [{"name": "国庆节", "first": "2026-10-01", "last": "2026-10-08"}], "workdays": []})";
  std::ofstream(dir + "/notes.txt") << "not a notice";
  auto cfg = write_temp(R"({"calendar_dir": ")" + dir + R"(", "working_day_end": "17:00"})");
  const auto s = load(cfg);
  EXPECT_TRUE(s.calendar.knows(2025)) << "built-in years stay";
  EXPECT_TRUE(s.calendar.knows(2027));
  EXPECT_FALSE(s.calendar.is_working_day(*sla::parse_day("2027-01-01")));
  EXPECT_FALSE(s.calendar.is_working_day(*sla::parse_day("2026-10-08")));
  EXPECT_FALSE(s.calendar.is_working_day(*sla::parse_day("2026-10-10"))) << "the correction replaces the year";
  EXPECT_EQ(s.calendar.day_end(), std::chrono::hours{17});

  std::ofstream(dir + "/2027b.json") << R"({"year": 2027, "holidays": [], "workdays": []})";
  expect_refused(R"({"calendar_dir": ")" + dir + R"("})", "2027 is also given in");
  std::remove((dir + "/2027b.json").c_str());
  std::ofstream(dir + "/2028.json") << R"({"year": 2028, "workdays": ["2028-03-01"]})";
  expect_refused(R"({"calendar_dir": ")" + dir + R"("})", "2028.json: workday 2028-03-01 is not a Saturday or Sunday");
  std::ofstream(dir + "/2028.json") << R"({"year": 2028, "workdays": ["2028-3-4"]})";
  expect_refused(R"({"calendar_dir": ")" + dir + R"("})", "2028.json: workdays \"2028-3-4\" is not a date");
  std::remove((dir + "/2028.json").c_str());
  expect_refused(R"({"working_day_end": "5:30pm"})", "working_day_end");
  expect_refused(R"({"working_day_end": "24:00"})", "working_day_end");
  expect_refused(R"({"calendar_dir": "/nonexistent/calendar"})", "calendar_dir");
  for (const char* f : {"/2026.json", "/2027.json", "/notes.txt"}) std::remove((dir + f).c_str());
  rmdir(dir.c_str());
  std::remove(cfg.c_str());
}

}  // namespace
}  // namespace halfhour::config

namespace halfhour::config {
namespace {

TEST(config, the_shipped_scorecard_weighs_every_part_and_a_wrong_one_is_refused_by_name) {
  const auto r = default_scorecard();
  EXPECT_TRUE(r.problems().empty());
  EXPECT_DOUBLE_EQ(r.on_time + r.first_contact + r.satisfaction + r.breaches + r.redo, 100);
  EXPECT_GT(r.urgent_weight, 1) << "an urgent job's breach weighs more";
  EXPECT_FALSE(r.source.empty());
  try {
    parse_scorecard(R"({"weights": {"on_time": 50}, "thresholds": {"green": 80, "yellow": 90, "orange": 70}})",
                    "my-scorecard.json");
    FAIL() << "thresholds out of order were taken";
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find("my-scorecard.json"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_scorecard(R"({"weights": {"on_time": -5, "redo": 10}})", "x"), config_error);
}

}  // namespace
}  // namespace halfhour::config
