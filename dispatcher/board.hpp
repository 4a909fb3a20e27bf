// The live board for the city-operations centre and 建管中心: every open job with its clocks,
// who holds it, and today's breaches, as a JSON snapshot and as server-sent events pushed when
// the engine writes (and every ten seconds, for what other engines wrote).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "adapters/http/server.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/engine.hpp"

namespace halfhour {

// GET /v1/board and GET /v1/board/events for the centre (supervisor) and the station. The
// events stream takes the session token as ?access_token= too: EventSource sends no headers.
boost::asio::awaitable<std::optional<http::response>> route_board(engine& eng, auth& au, const http::request& req);

}  // namespace halfhour
