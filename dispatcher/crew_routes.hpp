// The crew API: logging in and out, my jobs, one job, the actions on it, and the dispatchers'
// desk (a manager assigns, the station routes), each checked against the organisation that
// holds the job.
#pragma once

#include "dispatcher/endpoint.hpp"

namespace halfhour {

// POST /v1/auth/login, POST /v1/auth/logout
boost::asio::awaitable<http::response> post_login(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> post_logout(route_context& c, http::request req, path_params);
// GET /v1/crew/jobs, GET /v1/crew/jobs/{id}, POST /v1/crew/jobs/{id}/{action}
boost::asio::awaitable<http::response> get_my_jobs(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> get_my_job(route_context& c, http::request req, path_params p);
boost::asio::awaitable<http::response> post_job_action(route_context& c, http::request req, path_params p);
// POST /v1/manager/jobs/{id}/assign, POST /v1/station/jobs/{id}/route
boost::asio::awaitable<http::response> post_assign(route_context& c, http::request req, path_params p);
boost::asio::awaitable<http::response> post_station_route(route_context& c, http::request req, path_params p);

}  // namespace halfhour
