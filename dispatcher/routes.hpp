// The HTTP API: one table of endpoints (method, path, time limit, handler), one matcher, and one
// error boundary around every handler.
#pragma once

#include "adapters/http/server.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/endpoint.hpp"
#include "dispatcher/engine.hpp"

namespace halfhour {

// Every endpoint of the engine, in matching order.
std::vector<endpoint> endpoint_table();

// The handler for the whole API: the table's match, 404 and 405 (with Allow) for the rest; a
// handler that throws is answered 500 (and logged), one that has not answered within its limit
// 503 (its work goes on). Open311's paths answer errors in Open311's shape. `opt` must outlive it.
http::handler make_routes(engine& eng, auth& au, const route_options& opt);

}  // namespace halfhour
