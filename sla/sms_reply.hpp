// A job's short code and the SMS replies that name it: the code a crew types on a keypad, the
// reply grammar every SMS about a job carries, and the reading of a reply. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sla/machine.hpp"

namespace halfhour::sla {

// A short code is 4 to 6 ASCII digits without a leading zero.
bool is_short_code(std::string_view code);

// What a crew or a firm is told it may answer: "回复 1 {code} 接单，2 {code} 已联系，…".
std::string reply_grammar(std::string_view code);

// A reply read: the action its number stands for and the job's code.
struct sms_reply {
  action_kind kind = action_kind::acknowledge;
  std::string code;
};

// "1 1234", "１　１２３４", "1,1234", "1-1234" or "11234": an action number (1 接单, 2 已联系,
// 3 到场, 9 转应急站) and a short code, with nothing else but spaces and punctuation. Anything
// else (no such action, no code, words) is not a reply: nothing.
std::optional<sms_reply> read_reply(std::string_view text);

// What the engine answers by SMS to a reply it cannot apply (Chinese). A reply it cannot read,
// or whose code names no open job (`code` then says which), gets the grammar again.
std::string sms_help(std::string_view code = {});
// A reply refused (another firm's job, taken by someone else, done): nothing changed, and why.
std::string sms_refused(std::string_view code, std::string_view why);

// A reply refused on a job the code names goes on the job's record: a REPLY_REFUSED event by
// the sender, with method 短信, saying what was asked and why nothing changed (the sender is
// told the same by SMS). Nothing else moves: no state, clock or notice. A request id already
// on the job (the gateway delivering the message again) records nothing.
decision record_refused_reply(const work_order& wo, const sms_reply& r, const member& by, std::string_view why,
                              const std::string& request_id, instant now);

}  // namespace halfhour::sla
