#include "adapters/channels/sms.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "adapters/crypto.hpp"
#include "sla/text.hpp"

namespace halfhour::channels {

namespace json = boost::json;

namespace {

constexpr std::size_t max_text = 500;  // code points: a reply is a few keys, a long SMS is 5 parts

sms_parse refuse(int status, std::string code, std::string field, std::string message) {
  sms_parse p;
  p.error = {status, std::move(code), std::move(field), std::move(message)};
  return p;
}

bool is_json(std::string_view content_type) {
  auto base = content_type.substr(0, content_type.find(';'));
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  std::string lower(base);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json" || lower == "text/json" || lower == "text/plain";
}

std::optional<json::value> read_json(std::string_view body, sms_parse& failed) {
  if (!sla::is_valid_utf8(body)) {
    failed = refuse(400, "invalid_utf8", "", "请求体不是有效的UTF-8文本");
    return std::nullopt;
  }
  boost::system::error_code ec;
  json::parse_options opt;
  opt.max_depth = 8;
  auto v = json::parse(body, ec, {}, opt);
  if (ec) {
    failed = refuse(400, "invalid_json", "", "JSON无法解析：" + ec.message());
    return std::nullopt;
  }
  return v;
}

// A string member, or a number written as one (gateways differ on ids and codes).
std::optional<std::string> text_of(const json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (const auto* s = v->if_string()) return std::string(*s);
  if (const auto* i = v->if_int64()) return std::to_string(*i);
  if (const auto* u = v->if_uint64()) return std::to_string(*u);
  return std::nullopt;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A mainland number with its country code ("+8613800000000", "8613800000000") is the member's
// login phone without it; other numbers keep theirs.
std::optional<std::string> phone_of(std::string raw, std::string_view nationcode = "86") {
  std::erase_if(raw, [](char c) { return c == ' ' || c == '-'; });
  if (!raw.empty() && raw.front() == '+') raw.erase(0, 1);
  if (!all_digits(raw) || raw.size() < 5 || raw.size() > 20) return std::nullopt;
  if (nationcode != "86") return "+" + std::string(nationcode) + raw;
  if (raw.size() == 13 && raw.starts_with("86")) raw.erase(0, 2);
  return raw;
}

// "2026-12-01 09:30:00" in Beijing time (Aliyun's send_time); nothing when it reads otherwise.
std::optional<sla::instant> beijing_time(const std::string& s) {
  if (s.size() != 19 || s[10] != ' ') return std::nullopt;
  return parse_rfc3339(s.substr(0, 10) + "T" + s.substr(11) + "+08:00");
}

std::optional<input_error> check_text(const std::string& text, std::string_view field) {
  if (sla::code_point_count(text) > max_text)
    return input_error{400, "too_long", std::string(field), "短信内容不得超过500字"};
  return std::nullopt;
}

}  // namespace

sms_parse parse_aliyun_sms(std::string_view body, std::string_view content_type) {
  if (!is_json(content_type)) return refuse(415, "unsupported_media_type", "", "请以application/json提交");
  sms_parse failed;
  auto v = read_json(body, failed);
  if (!v) return failed;
  const auto* list = v->if_array();
  if (!list) return refuse(400, "invalid_json", "", "应为短信数组");
  if (list->empty()) return refuse(400, "missing_field", "", "短信数组为空");
  if (list->size() > max_sms_per_push) return refuse(400, "too_many", "", "一次最多推送100条短信");
  sms_parse p;
  for (const auto& item : *list) {
    const auto* o = item.if_object();
    if (!o) return refuse(400, "invalid_json", "", "短信应为JSON对象");
    auto seq = text_of(*o, "sequence_id");
    if (!seq || !all_digits(*seq) || seq->size() > 32)
      return refuse(400, "invalid_field", "sequence_id", "sequence_id缺失或无效");
    auto raw_phone = text_of(*o, "phone_number");
    auto phone = raw_phone ? phone_of(*raw_phone) : std::nullopt;
    if (!phone) return refuse(400, "invalid_field", "phone_number", "phone_number缺失或无效");
    const auto* content = o->if_contains("content");
    if (!content || !content->is_string()) return refuse(400, "invalid_field", "content", "content缺失或无效");
    inbound_sms m{"aliyun:" + *seq, std::move(*phone), std::string(content->get_string()), std::nullopt};
    if (auto err = check_text(m.text, "content")) return refuse(err->status, err->code, err->field, err->message);
    if (auto at = text_of(*o, "send_time")) m.sent_at = beijing_time(*at);
    p.messages.push_back(std::move(m));
  }
  p.ok = true;
  return p;
}

sms_parse parse_tencent_sms(std::string_view body, std::string_view content_type) {
  if (!is_json(content_type)) return refuse(415, "unsupported_media_type", "", "请以application/json提交");
  sms_parse failed;
  auto v = read_json(body, failed);
  if (!v) return failed;
  const auto* o = v->if_object();
  if (!o) return refuse(400, "invalid_json", "", "应为JSON对象");
  auto nationcode = text_of(*o, "nationcode").value_or("86");
  if (nationcode.empty()) nationcode = "86";
  if (!all_digits(nationcode) || nationcode.size() > 4)
    return refuse(400, "invalid_field", "nationcode", "nationcode无效");
  auto raw_phone = text_of(*o, "mobile");
  auto phone = raw_phone ? phone_of(*raw_phone, nationcode) : std::nullopt;
  if (!phone) return refuse(400, "invalid_field", "mobile", "mobile缺失或无效");
  const auto* text = o->if_contains("text");
  if (!text || !text->is_string()) return refuse(400, "invalid_field", "text", "text缺失或无效");
  const auto* time = o->if_contains("time");
  // Unix seconds up to the year 3000: anything else is not a time.
  if (!time || !time->is_int64() || time->get_int64() < 0 || time->get_int64() > 32'503'680'000)
    return refuse(400, "invalid_field", "time", "time缺失或无效");
  const auto seconds = time->get_int64();
  inbound_sms m;
  m.phone = std::move(*phone);
  m.text = std::string(text->get_string());
  if (auto err = check_text(m.text, "text")) return refuse(err->status, err->code, err->field, err->message);
  m.sent_at = sla::from_ms(seconds * 1000);
  m.id = "tencent:" + m.phone + ":" + std::to_string(seconds) + ":" + crypto::sha256_hex(m.text).substr(0, 16);
  sms_parse p;
  p.ok = true;
  p.messages.push_back(std::move(m));
  return p;
}

}  // namespace halfhour::channels
