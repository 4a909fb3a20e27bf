// Reading request bodies: a protobuf message from JSON (the proto3 mapping) or protobuf binary,
// chosen by Content-Type, with refusals that name the field and say why in Chinese.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sla/time.hpp"

namespace google::protobuf {
class Message;
}

namespace halfhour {

// A refusal the client can act on: the HTTP status, a stable code, the field, and why.
struct input_error {
  int status = 400;
  std::string code;
  std::string field;
  std::string message;
};

// Fills `m` from the body; unknown JSON fields are ignored (senders may add fields).
std::optional<input_error> read_message(std::string_view body, std::string_view content_type,
                                        google::protobuf::Message& m);

// RFC 3339 ("2026-11-28T09:30:00+08:00") to an instant.
std::optional<sla::instant> parse_rfc3339(const std::string& text);

}  // namespace halfhour
