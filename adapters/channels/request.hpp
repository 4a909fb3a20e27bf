// What every door hands the engine: the intake mapped from its own payload, the hints it gave,
// and its idempotency key, plus the field checks the doors share so that each refuses bad
// input the same way: a 4xx naming the field, in Chinese.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/input.hpp"
#include "sla/classifier.hpp"
#include "sla/machine.hpp"

namespace halfhour::channels {

using halfhour::input_error;

struct request {
  sla::intake intake;
  sla::classification_hints hints;
  std::string idempotency_key;  // "<channel>:<the channel's own id>"
  bool screen = false;          // a chat message: screened for "not a request" before dispatch
};

struct parsed_request {
  bool ok = false;
  request req;
  input_error error;
};

parsed_request refuse(int status, std::string code, std::string field, std::string message);

// The idempotency keys a stored job may be known by: its own (kept on the job; for a job from
// before, as its door makes it), each linked report's, and those of the 12345 tickets counted
// past the reports kept whole.
std::vector<std::string> keys_of(const sla::work_order& wo);

// Field checks: nothing when the value is acceptable, else the refusal.
namespace check {

// A channel's own id: letters, digits, '-', '_', '.', ':', 1..128 characters.
std::optional<input_error> id(std::string_view field, const std::string& value, std::string_view name);
// Text of at most `max` code points; `required` refuses empty or whitespace-only text.
std::optional<input_error> text(std::string_view field, const std::string& value, std::size_t max, bool required,
                                std::string_view name);
// A phone number: digits, '+', '-', spaces; at most 32 characters.
std::optional<input_error> phone(std::string_view field, const std::string& value);
// At most 9 absolute http(s) URLs of at most 1,000 characters each.
std::optional<input_error> photos(std::string_view field, const std::vector<std::string>& urls);

}  // namespace check

// An optional RFC 3339 time: nothing when empty; refusal when malformed.
std::optional<input_error> read_time(std::string_view field, const std::string& value,
                                     std::optional<sla::instant>& out);

std::string without_spaces(std::string s);

// A query string or form body as its (key, value) pairs in order, decoded as a form ('+' a
// space; a key without '=' has the value ""); nothing when its encoding is invalid.
std::optional<std::vector<std::pair<std::string, std::string>>> form_params(std::string_view text);

}  // namespace halfhour::channels
