#include "sla/sms_reply.hpp"

#include <vector>

#include "sla/machine_steps.hpp"
#include "sla/normalise_char.hpp"
#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

// The keys a crew replies with, the action each stands for and its name in the record and in
// every SMS that explains the replies: one table, so the three never disagree.
struct reply_key {
  char digit;
  action_kind kind;
  const char* text;
};
constexpr reply_key reply_keys[] = {{'1', action_kind::acknowledge, "接单"},
                                    {'2', action_kind::contact, "已联系"},
                                    {'3', action_kind::arrive, "到场"},
                                    {'9', action_kind::hand_over, "转应急站"}};

std::optional<action_kind> action_of(char digit) {
  for (const auto& k : reply_keys)
    if (k.digit == digit) return k.kind;
  return std::nullopt;
}

// Between the number and the code people type spaces, commas, dashes, dots, '#' or '*'
// (a keypad's keys), in either width.
bool is_separator(char32_t cp) {
  return normalise_drops(cp) || cp == U',' || cp == U'，' || cp == U'、' || cp == U'-' || cp == U'.' || cp == U'。' ||
         cp == U'#' || cp == U'*' || cp == U'+' || cp == U'/' || cp == U'_' || cp == U'—' || cp == U'－';
}

// What each action is called in the record.
const char* action_text(action_kind k) {
  for (const auto& key : reply_keys)
    if (key.kind == k) return key.text;
  return "";
}

// "1 接单，2 已联系，3 到场，9 转应急站", each digit followed by `code` when one is given.
std::string key_list(std::string_view code) {
  std::string out;
  for (const auto& k : reply_keys) {
    if (!out.empty()) out += "，";
    out += std::string(1, k.digit) + " " + (code.empty() ? "" : std::string(code) + " ") + k.text;
  }
  return out;
}

}  // namespace

bool is_short_code(std::string_view code) {
  if (code.size() < 4 || code.size() > 6 || code.front() == '0') return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string reply_grammar(std::string_view code) { return "回复 " + key_list(code); }

std::string sms_help(std::string_view code) {
  std::string head = code.empty() ? "未能识别您的短信回复。" : "工单码 " + std::string(code) + " 没有对应的在办工单。";
  return head + "请回复“数字 空格 工单码”：" + key_list({}) + "，例如“1 1234”。";
}

std::string sms_refused(std::string_view code, std::string_view why) {
  return "工单码 " + std::string(code) + "：" + std::string(why) + "，未作处理。";
}

std::optional<sms_reply> read_reply(std::string_view text) {
  if (text.size() > 256) return std::nullopt;  // a reply is a few keys, never a letter
  std::vector<std::string> runs;
  bool in_run = false;
  for (char32_t cp : to_u32(text)) {
    if (cp == 0xFFFD) return std::nullopt;
    if (is_separator(cp)) {
      in_run = false;
      continue;
    }
    cp = normalise_char(cp);
    if (cp < U'0' || cp > U'9') return std::nullopt;
    if (!in_run) runs.emplace_back();
    in_run = true;
    runs.back().push_back(static_cast<char>(cp));
  }
  std::string number, code;
  if (runs.size() == 2 && runs[0].size() == 1) {
    number = runs[0];
    code = runs[1];
  } else if (runs.size() == 1 && runs[0].size() >= 5) {
    number = runs[0].substr(0, 1);  // the keys typed without a space
    code = runs[0].substr(1);
  } else {
    return std::nullopt;
  }
  auto kind = action_of(number[0]);
  if (!kind || !is_short_code(code)) return std::nullopt;
  return sms_reply{*kind, std::move(code)};
}

decision record_refused_reply(const work_order& wo, const sms_reply& r, const member& by, std::string_view why,
                              const std::string& request_id, instant now) {
  decision d{.next = wo};
  if (detail::known_request(wo, request_id)) {
    d.duplicate = true;
    return d;
  }
  event e{.kind = event_kind::reply_refused,
          .at = now,
          .actor = by.name,
          .actor_id = by.id,
          .organisation = by.organisation};
  e.method = "短信";
  e.note = "短信回复" + std::string(action_text(r.kind)) + "（工单码 " + r.code + "）未执行：" + std::string(why);
  d.events.push_back(std::move(e));
  detail::remember_request(d.next, request_id);
  return d;
}

}  // namespace halfhour::sla
