// One work order for the operators: reading it, splitting a wrongly joined report off it, and
// correcting its urgent/general call — each for whoever sla/access says may.
#pragma once

#include "dispatcher/endpoint.hpp"

namespace halfhour {

// GET /v1/work-orders/{id}
boost::asio::awaitable<http::response> get_work_order(route_context& c, http::request req, path_params p);
boost::asio::awaitable<http::response> get_work_orders(route_context& c, http::request req, path_params p);
boost::asio::awaitable<http::response> get_directory_communities(route_context& c, http::request req, path_params p);
// POST /v1/work-orders/{id}/unlink
boost::asio::awaitable<http::response> post_unlink(route_context& c, http::request req, path_params p);
// POST /v1/work-orders/{id}/reclassify
boost::asio::awaitable<http::response> post_reclassify(route_context& c, http::request req, path_params p);

}  // namespace halfhour
