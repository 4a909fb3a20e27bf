#include "adapters/channels/hotline.hpp"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <regex>

#include "halfhour/v1/halfhour.pb.h"
#include "sla/text.hpp"

namespace halfhour::channels {

namespace pb = halfhour::v1;

namespace {

hotline_parse fail(int status, std::string code, std::string field, std::string message) {
  hotline_parse p;
  p.error = {status, std::move(code), std::move(field), std::move(message)};
  return p;
}

bool media_type_is(std::string_view content_type, std::string_view want) {
  auto semi = content_type.find(';');
  auto base = content_type.substr(0, semi);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  if (base.size() != want.size()) return false;
  return std::equal(base.begin(), base.end(), want.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

std::size_t code_points(std::string_view s) { return sla::to_u32(s).size(); }

// protobuf's JSON parser names the field in parentheses; pass it on so the client knows.
std::string field_of(std::string_view message) {
  static const std::regex re(R"(\(([a-z_]+)\))");
  std::match_results<std::string_view::const_iterator> m;
  if (std::regex_search(message.begin(), message.end(), m, re)) return m[1].str();
  return {};
}

}  // namespace

hotline_parse parse_hotline_ticket(std::string_view body, std::string_view content_type) {
  pb::HotlineTicket m;
  if (media_type_is(content_type, "application/json")) {
    if (!sla::is_valid_utf8(body)) return fail(400, "invalid_utf8", "", "请求体不是有效的UTF-8文本");
    google::protobuf::util::JsonParseOptions opts;
    opts.ignore_unknown_fields = true;  // the centre may add fields; they must not break intake
    auto st = google::protobuf::util::JsonStringToMessage(std::string(body), &m, opts);
    if (!st.ok()) {
      std::string msg(st.message());
      return fail(400, "invalid_json", field_of(msg), "JSON无法解析：" + msg);
    }
  } else if (media_type_is(content_type, "application/x-protobuf")) {
    if (!m.ParseFromArray(body.data(), static_cast<int>(body.size())))
      return fail(400, "invalid_protobuf", "", "protobuf请求体无法解析");
  } else {
    return fail(415, "unsupported_media_type", "", "请以application/json提交");
  }

  static const std::regex ticket_re(R"([A-Za-z0-9_\-]{1,64})");
  if (m.ticket_no().empty()) return fail(400, "missing_field", "ticket_no", "缺少工单编号ticket_no");
  if (!std::regex_match(m.ticket_no(), ticket_re))
    return fail(400, "invalid_field", "ticket_no", "工单编号只能包含字母、数字、-和_，最长64位");
  if (m.content().find_first_not_of(" \t\r\n") == std::string::npos)
    return fail(400, "missing_field", "content", "缺少诉求内容content");
  if (code_points(m.content()) > 4000) return fail(400, "invalid_field", "content", "诉求内容超过4000字");
  if (code_points(m.address()) > 500) return fail(400, "invalid_field", "address", "地址超过500字");
  if (code_points(m.caller_name()) > 100) return fail(400, "invalid_field", "caller_name", "姓名超过100字");
  static const std::regex phone_re(R"([0-9+\- ]{0,32})");
  if (!std::regex_match(m.caller_phone(), phone_re))
    return fail(400, "invalid_field", "caller_phone", "电话号码只能包含数字、+、-和空格");
  if (m.category_hint().size() > 100 || m.urgency_hint().size() > 100)
    return fail(400, "invalid_field", m.category_hint().size() > 100 ? "category_hint" : "urgency_hint", "提示字段过长");

  hotline_parse p;
  p.ok = true;
  auto& in = p.ticket.intake;
  in.source = sla::channel::hotline_12345;
  in.external_no = m.ticket_no();
  in.who = {m.caller_name(), m.caller_phone()};
  std::erase(in.who.phone, ' ');
  in.content = m.content();
  in.address = m.address();
  if (!m.reported_at().empty()) {
    google::protobuf::Timestamp ts;
    if (!google::protobuf::util::TimeUtil::FromString(m.reported_at(), &ts))
      return fail(400, "invalid_field", "reported_at", "reported_at须为RFC 3339时间，例如2026-11-28T09:30:00+08:00");
    in.reported_at = sla::from_ms(ts.seconds() * 1000 + ts.nanos() / 1'000'000);
  }
  p.ticket.hints = {m.category_hint(), m.urgency_hint()};
  p.ticket.idempotency_key = "12345:" + m.ticket_no();
  return p;
}

}  // namespace halfhour::channels
