// A job's short code and the SMS replies that name it: the code a crew types on a keypad and the
// reply grammar every SMS about a job carries. Pure.
#pragma once

#include <string>
#include <string_view>

namespace halfhour::sla {

// A short code is 4 to 6 ASCII digits without a leading zero.
bool is_short_code(std::string_view code);

// What a crew or a firm is told it may answer: "回复 1 {code} 接单，2 {code} 已联系，…".
std::string reply_grammar(std::string_view code);

}  // namespace halfhour::sla
