// The 12345 hotline's door: a ticket forwarded by the city-operations centre, checked field
// by field and mapped onto the work-order intake. Idempotent on the ticket number.
#pragma once

#include <string_view>

#include "adapters/channels/request.hpp"

namespace halfhour::channels {

// `content_type` is the request's Content-Type: JSON (the proto3 JSON mapping) or protobuf.
parsed_request parse_hotline_ticket(std::string_view body, std::string_view content_type);

}  // namespace halfhour::channels
