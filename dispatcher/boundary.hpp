// The error boundary every handler runs inside: an exception becomes a 500 with a log line, and
// a handler that has not answered within its limit is answered for (503) while its work goes on.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "adapters/http/server.hpp"

namespace halfhour {

using answer_fn = std::function<boost::asio::awaitable<http::response>()>;
// Builds the error answer in the caller's shape: (status, code, message).
using error_fn = std::function<http::response(int, std::string_view, std::string_view)>;

// `what` names the handler in the log ("POST /v1/hotline/tickets").
boost::asio::awaitable<http::response> answer_within(std::chrono::milliseconds limit, answer_fn handle, error_fn error,
                                                     std::string what);

}  // namespace halfhour
