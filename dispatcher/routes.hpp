// The HTTP API of the engine: maps requests to the engine and its answers to JSON.
#pragma once

#include "adapters/http/server.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/channel_routes.hpp"
#include "dispatcher/engine.hpp"

namespace halfhour {

// The handler for every route under /v1/, Open311 under /open311/v2/, the pages under /crew/
// and /walk-in/, and /healthz, /readyz and /metrics. `opt` must outlive the handler.
http::handler make_routes(engine& eng, auth& au, const route_options& opt);

}  // namespace halfhour
