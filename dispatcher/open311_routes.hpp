// Open311 GeoReport v2: the services (the categories), posting a request and reading requests
// back, each with a client's key, answered in the spec's shapes and errors.
#pragma once

#include <string_view>

#include "dispatcher/endpoint.hpp"

namespace halfhour {

boost::asio::awaitable<http::response> get_open311_services(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> get_open311_service_definition(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> post_open311_request(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> get_open311_requests(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> get_open311_request(route_context& c, http::request req, path_params p);

// An error in Open311's shape: [{"code": status, "description": …}].
http::response open311_error(int status, std::string_view description);

}  // namespace halfhour
