// Call-backs after 完工 (回访): the 12345 hotline's answers by ticket number, and the centre's by
// hand. Both go through sla::rate: 不满意 sends the job back to be done again.
#pragma once

#include "dispatcher/endpoint.hpp"

namespace halfhour {

// POST /v1/hotline/callbacks: the hotline's key, like its tickets.
boost::asio::awaitable<http::response> post_hotline_callback(route_context& c, http::request req, path_params p);
// POST /v1/work-orders/{id}/callback: the centre (建管中心) only.
boost::asio::awaitable<http::response> post_work_order_callback(route_context& c, http::request req, path_params p);

}  // namespace halfhour
