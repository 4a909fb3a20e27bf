#include "adapters/channels/hotline.hpp"

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

}  // namespace

hotline_parse parse_hotline_ticket(std::string_view body, std::string_view content_type) {
  pb::HotlineTicket m;
  if (auto err = read_message(body, content_type, m)) {
    hotline_parse p;
    p.error = std::move(*err);
    return p;
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
    in.reported_at = parse_rfc3339(m.reported_at());
    if (!in.reported_at)
      return fail(400, "invalid_field", "reported_at", "reported_at须为RFC 3339时间，例如2026-11-28T09:30:00+08:00");
  }
  p.ticket.hints = {m.category_hint(), m.urgency_hint()};
  p.ticket.idempotency_key = "12345:" + m.ticket_no();
  return p;
}

}  // namespace halfhour::channels
