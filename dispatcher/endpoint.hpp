// One entry of the HTTP API's table: its method and path, how long its handler may take, and the
// handler, which gets the engine's services and the path's placeholders.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>

#include "adapters/http/server.hpp"
#include "dispatcher/route_options.hpp"
#include "dispatcher/router.hpp"

namespace halfhour {

class engine;
class auth;
class board_feed;

// What every handler may use; it outlives every request.
struct route_context {
  engine& eng;
  auth& au;
  board_feed& board;
  const route_options& opt;
};

using endpoint_handler =
    std::function<boost::asio::awaitable<http::response>(route_context&, http::request, path_params)>;

struct endpoint {
  route_pattern pattern;
  endpoint_handler handle;
  // Answered for the handler (503) once this has passed; its work goes on and is kept.
  std::chrono::seconds limit{10};
};

}  // namespace halfhour
