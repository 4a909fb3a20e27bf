// The crew API's requests: login, and the actions a crew takes on a job from its phone.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "adapters/input.hpp"
#include "sla/machine.hpp"

namespace halfhour::channels {

struct login_parse {
  bool ok = false;
  std::string phone;
  std::string code;
  input_error error;
};

login_parse parse_login(std::string_view body, std::string_view content_type);

struct action_parse {
  bool ok = false;
  sla::action action;
  input_error error;
};

// An empty body is an action with nothing to add ("接单" needs no note).
action_parse parse_crew_action(std::string_view body, std::string_view content_type, sla::action_kind kind);

// {"member_id": …} for an assignment, {"community": …} for the station's routing.
struct field_parse {
  bool ok = false;
  std::string value;
  input_error error;
};
field_parse parse_assign(std::string_view body, std::string_view content_type);
field_parse parse_route(std::string_view body, std::string_view content_type);
// {"key": …}: the linked report an operator splits off a job.
field_parse parse_unlink(std::string_view body, std::string_view content_type);

// POST /v1/work-orders/{id}/reclassify: urgency required, category (a code) optional, a reason,
// a request_id. The category is checked against the rules by the caller.
struct reclassify_parse {
  bool ok = false;
  sla::urgency level = sla::urgency::urgent;
  std::string category;
  std::string reason;
  std::string request_id;
  input_error error;
};
reclassify_parse parse_reclassify(std::string_view body, std::string_view content_type);

// The last segment of /v1/crew/jobs/{id}/{action}.
std::optional<sla::action_kind> action_from_path(std::string_view segment);

}  // namespace halfhour::channels
