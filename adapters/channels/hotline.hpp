// The 12345 hotline's door: a ticket forwarded by the city-operations centre, checked field
// by field and mapped onto the work-order intake.
#pragma once

#include <string>
#include <string_view>

#include "adapters/input.hpp"
#include "sla/classifier.hpp"
#include "sla/machine.hpp"

namespace halfhour::channels {

using halfhour::input_error;

struct hotline_ticket {
  sla::intake intake;
  sla::classification_hints hints;
  std::string idempotency_key;  // "12345:" + ticket_no
};

struct hotline_parse {
  bool ok = false;
  hotline_ticket ticket;
  input_error error;
};

// `content_type` is the request's Content-Type: JSON (the proto3 JSON mapping) or protobuf.
hotline_parse parse_hotline_ticket(std::string_view body, std::string_view content_type);

}  // namespace halfhour::channels
