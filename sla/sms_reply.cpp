#include "sla/sms_reply.hpp"

namespace halfhour::sla {

bool is_short_code(std::string_view code) {
  if (code.size() < 4 || code.size() > 6 || code.front() == '0') return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string reply_grammar(std::string_view code) {
  const std::string c(code);
  return "回复 1 " + c + " 接单，2 " + c + " 已联系，3 " + c + " 到场，9 " + c + " 转应急站";
}

}  // namespace halfhour::sla
