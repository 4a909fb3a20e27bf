// The community channels (社区云, WeChat, the committees' walk-in form), Open311 GeoReport v2,
// and the operators' unlink: parse, hand to the engine, answer in the channel's shape.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/channels/open311.hpp"
#include "adapters/http/server.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/reports.hpp"

namespace halfhour {

// What the routes need from the configuration.
struct route_options {
  std::map<std::string, std::string> wechat_groups;
  std::map<std::string, std::string> open311_keys;  // SHA-256 hex -> client
  std::map<std::string, std::string> channel_keys;  // SHA-256 hex -> bot; empty: the bots need none
  std::map<std::string, std::string> hotline_keys;  // the same for the 12345 forwarder
  std::map<std::string, std::string> metrics_keys;  // SHA-256 hex -> scraper; empty: /metrics is open
  std::size_t board_max_streams = 64;
  std::vector<channels::open311::service> services;
  report_settings reports;
  // More Prometheus lines for /metrics (the notification sender's), when set.
  std::function<std::string()> more_metrics;
};

// The answer for the request if it is one of these routes; nothing otherwise.
boost::asio::awaitable<std::optional<http::response>> route_channels(engine& eng, auth& au,
                                                                     const route_options& opt,
                                                                     const http::request& req);

}  // namespace halfhour
