// The doors requests come in by: the 12345 hotline, the 社区云 and WeChat bots, and the residents'
// committees' walk-in form. Each parses its own format, hands the request to the engine and
// answers in its caller's shape.
#pragma once

#include "dispatcher/endpoint.hpp"

namespace halfhour {

// POST /v1/hotline/tickets
boost::asio::awaitable<http::response> post_hotline_ticket(route_context& c, http::request req, path_params);
// POST /v1/channels/community-cloud and /v1/channels/wechat
boost::asio::awaitable<http::response> post_community_cloud(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> post_wechat(route_context& c, http::request req, path_params);
// POST /v1/channels/walk-in, GET /v1/channels/walk-in/communities
boost::asio::awaitable<http::response> post_walk_in(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> get_walk_in_communities(route_context& c, http::request req, path_params);

}  // namespace halfhour
