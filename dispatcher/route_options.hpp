// What the HTTP routes need from the configuration: the doors' keys, the WeChat groups, the
// Open311 services, the report links, the board's cap, the trusted proxies, and extra metric
// lines.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "adapters/channels/open311.hpp"
#include "adapters/outbox_entry.hpp"
#include "dispatcher/reports.hpp"

namespace halfhour {

struct route_options {
  std::map<std::string, std::string> wechat_groups;
  std::map<std::string, std::string> open311_keys;  // SHA-256 hex -> client
  std::map<std::string, std::string> channel_keys;  // SHA-256 hex -> bot; empty: the bots need none
  std::map<std::string, std::string> hotline_keys;  // the same for the 12345 forwarder
  std::map<std::string, std::string> sms_keys;      // the same for the SMS gateways; empty: closed
  std::map<std::string, std::string> metrics_keys;  // SHA-256 hex -> scraper; empty: /metrics is open
  std::size_t board_max_streams = 64;
  // Proxies whose X-Forwarded-Proto and X-Forwarded-For are believed (exact addresses); empty:
  // nobody's, not even loopback's, so a page's cookie is Secure only when a named proxy says HTTPS.
  std::vector<std::string> trusted_proxies;
  std::vector<channels::open311::service> services;
  report_settings reports;
  // More Prometheus lines for /metrics (the notification sender's), when set.
  std::function<std::string()> more_metrics;
  // Writes a message that belongs to no work order's step to the outbox, once under its name
  // (outbox_store::post_once): the SMS answers to crews' replies.
  std::function<boost::asio::awaitable<boost::system::result<bool>>(outbox_entry, std::string)> post_once;
};

}  // namespace halfhour
