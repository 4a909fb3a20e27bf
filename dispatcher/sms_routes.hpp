// The SMS door: crews' replies pushed by the SMS gateways (Aliyun, Tencent Cloud). A reply
// ("1 1234") is the crew page's action on the job whose short code it names, taken through the
// same transition and the same permissions; what cannot be applied is answered by SMS.
#pragma once

#include "dispatcher/endpoint.hpp"

namespace halfhour {

// POST /v1/sms/inbound/aliyun and /v1/sms/inbound/tencent
boost::asio::awaitable<http::response> post_sms_aliyun(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> post_sms_tencent(route_context& c, http::request req, path_params);

}  // namespace halfhour
