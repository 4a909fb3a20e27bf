// The crew API: login, my jobs, one job, and the actions, each checked against the
// organisation that holds the job.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "adapters/http/server.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/engine.hpp"

namespace halfhour {

// Answers /v1/auth/…, /v1/crew/…, /v1/manager/… and /v1/station/…; nothing for any other path.
boost::asio::awaitable<std::optional<http::response>> route_crew(engine& eng, auth& au, const http::request& req);

}  // namespace halfhour
