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

}  // namespace
}  // namespace halfhour::config
