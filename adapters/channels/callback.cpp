#include "adapters/channels/callback.hpp"

#include <regex>

#include "adapters/channels/request.hpp"
#include "halfhour/v1/halfhour.pb.h"
#include "sla/names.hpp"
#include "sla/text.hpp"

namespace halfhour::channels {

namespace pb = halfhour::v1;

callback_parse parse_callback(std::string_view body, std::string_view content_type, callback_from from) {
  callback_parse p;
  pb::CallbackRequest m;
  if (auto err = read_message(body, content_type, m)) {
    p.error = std::move(*err);
    return p;
  }
  const auto fail = [&](std::string code, std::string field, std::string message) {
    p.error = {400, std::move(code), std::move(field), std::move(message)};
    return p;
  };
  auto outcome = sla::rating_from_code(m.outcome());
  if (from == callback_from::reporter && outcome == sla::rating::unreached) outcome.reset();
  if (from == callback_from::reporter && !outcome)
    return fail(m.outcome().empty() ? "missing_field" : "invalid_field", "outcome",
                "请选择满意（SATISFIED）、基本满意（BASICALLY_SATISFIED）或不满意（DISSATISFIED）");
  if (!outcome)
    return fail(
        m.outcome().empty() ? "missing_field" : "invalid_field", "outcome",
        "outcome须为SATISFIED（满意）、BASICALLY_SATISFIED（基本满意）、DISSATISFIED（不满意）或UNREACHED（未接通）");
  if (sla::code_point_count(m.note()) > 500) return fail("invalid_field", "note", "备注最长500字");
  static const std::regex id_re(R"([A-Za-z0-9_\-]{1,64})");
  if (from == callback_from::hotline) {
    if (m.ticket_no().empty()) return fail("missing_field", "ticket_no", "请提供12345工单编号ticket_no");
    if (!std::regex_match(m.ticket_no(), id_re))
      return fail("invalid_field", "ticket_no", "ticket_no只能包含字母、数字、-和_，最长64位");
    if (m.called_at().empty()) return fail("missing_field", "called_at", "请提供回访时间called_at（RFC 3339）");
  } else if (!std::regex_match(m.request_id(), id_re)) {
    return fail(m.request_id().empty() ? "missing_field" : "invalid_field", "request_id",
                "request_id只能包含字母、数字、-和_，最长64位");
  }
  if (!m.called_at().empty() && from != callback_from::reporter) {
    const auto at = parse_rfc3339(m.called_at());
    if (!at) return fail("invalid_field", "called_at", "called_at须为RFC 3339时间，例如2026-12-05T10:00:00+08:00");
    p.cb.called_at = *at;
    p.called_at_given = true;
  }
  p.ok = true;
  p.ticket_no = m.ticket_no();
  p.cb.outcome = *outcome;
  p.cb.note = m.note();
  // The hotline's retry is the same ticket, answer and time of call.
  p.cb.request_id = from == callback_from::hotline
                        ? "cb" + std::to_string(sla::to_ms(p.cb.called_at)) + m.outcome().substr(0, 3)
                        : m.request_id();
  p.cb.by = from == callback_from::hotline ? "12345回访" : from == callback_from::reporter ? "报修人" : "";
  return p;
}

}  // namespace halfhour::channels
