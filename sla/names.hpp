// The domain's enums as people and machines spell them: stable ASCII codes for keys and logs,
// Chinese names for pages and messages, one table per enum.
#pragma once

#include <optional>
#include <string_view>

namespace halfhour::sla {

// Declared without their members (they live beside the types that use them), so that
// work_order.hpp can include this header and every user of a work order sees the names.
enum class urgency;
enum class request_kind;
enum class rating;
struct classification;
enum class channel;
enum class wo_state;
enum class clock_kind;
enum class step;
enum class event_kind;
enum class recipient;
enum class role;
enum class action_kind;

const char* name_of(urgency u);       // "急修" or "一般性维修": the rule's own words
const char* name_of(request_kind k);  // "维修" or "物业投诉"
const char* name_of(rating r);        // "满意", "基本满意", "不满意", "未接通"
const char* code_of(rating r);        // the hotline's: "SATISFIED" …
std::optional<rating> rating_from_code(std::string_view code);
// What a call is, in a word: "急修", "一般性维修" or "物业投诉".
const char* name_of(const classification& c);
const char* name_of(clock_kind k);  // Chinese, for notes and pages: "到场"
const char* name_of(wo_state s);    // Chinese: "已接单"
const char* name_of(channel c);     // Chinese: "居民微信群"

const char* code_of(clock_kind k);  // stable ASCII code, for keys: "onsite"
const char* code_of(step s);        // for keys: "warn"
const char* code_of(recipient r);   // for keys and the journal: "committee"
const char* code_of(event_kind k);  // for logs: "clock_breached"
const char* code_of(role r);        // for the identity store: "manager"

std::optional<clock_kind> clock_from_code(std::string_view code);
bool role_from_code(std::string_view code, role& out);  // false: no such role, `out` untouched

// The status a 12345 ticket is sent when a crew takes this action ("acknowledged", …);
// nullptr for an action the hotline is not told of (a hand-over).
const char* hotline_status_of(action_kind k);

}  // namespace halfhour::sla
