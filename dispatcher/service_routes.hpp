// The service's own answers: health and readiness, Prometheus metrics, the pages compiled into
// the binary, and the monthly breach report.
#pragma once

#include "dispatcher/endpoint.hpp"

namespace halfhour {

boost::asio::awaitable<http::response> get_healthz(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> get_readyz(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> get_metrics(route_context& c, http::request req, path_params);
// GET /crew/…, /walk-in/…, /board/…, /common/… (the `*` placeholder names the file).
boost::asio::awaitable<http::response> get_page(route_context& c, http::request req, path_params);
// GET /, /crew, /walk-in, /board: to the page's folder.
boost::asio::awaitable<http::response> redirect_to_page(route_context& c, http::request req, path_params);
// GET /v1/reports/breaches?month=2026-10&format=html|xlsx|csv[&view=…]
boost::asio::awaitable<http::response> get_breach_report(route_context& c, http::request req, path_params);

}  // namespace halfhour
