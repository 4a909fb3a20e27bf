// A call-back's answer (回访) as the 12345 hotline or the centre sends it, checked field by field.
#pragma once

#include <string>
#include <string_view>

#include "adapters/input.hpp"
#include "sla/machine.hpp"

namespace halfhour::channels {

struct callback_parse {
  bool ok = false;
  std::string ticket_no;  // the hotline's: which job
  sla::callback cb;       // called_at unset (epoch) when not given: the engine's time then
  bool called_at_given = false;
  input_error error;
};

// The hotline names the job by ticket_no and must say when it called (its retry is known by
// ticket, outcome and time); the centre names it in the path and sends a request_id; so does the
// reporter's own page (the link names the job), which answers only 满意, 基本满意 or 不满意, now.
enum class callback_from { hotline, centre, reporter };
callback_parse parse_callback(std::string_view body, std::string_view content_type, callback_from from);

}  // namespace halfhour::channels
