// The HTTP API of the engine: maps requests to the engine and its answers to JSON.
#pragma once

#include "adapters/http/server.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/engine.hpp"

namespace halfhour {

// The handler for every route under /v1/, the crew page under /crew/, and /healthz, /readyz
// and /metrics.
http::handler make_routes(engine& eng, auth& au);

}  // namespace halfhour
