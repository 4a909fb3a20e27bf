// The HTTP API of the engine: maps requests to the engine and its answers to JSON.
#pragma once

#include "adapters/http/server.hpp"
#include "dispatcher/engine.hpp"

namespace halfhour {

// The handler for every route under /v1/ plus /healthz, /readyz and /metrics.
http::handler make_routes(engine& eng);

}  // namespace halfhour
