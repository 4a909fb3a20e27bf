#include "adapters/channels/crew.hpp"

#include <cmath>
#include <regex>

#include "halfhour/v1/halfhour.pb.h"
#include "sla/text.hpp"

namespace halfhour::channels {

namespace pb = halfhour::v1;

login_parse parse_login(std::string_view body, std::string_view content_type) {
  login_parse p;
  pb::LoginRequest m;
  if (auto err = read_message(body, content_type, m)) {
    p.error = std::move(*err);
    return p;
  }
  static const std::regex phone_re(R"([0-9]{5,20})");
  if (!std::regex_match(m.phone(), phone_re)) {
    p.error = {400, "invalid_field", "phone", "请输入手机号（数字）"};
    return p;
  }
  if (m.code().empty() || m.code().size() > 64) {
    p.error = {400, "invalid_field", "code", "请输入登录码"};
    return p;
  }
  p.ok = true;
  p.phone = m.phone();
  p.code = m.code();
  return p;
}

action_parse parse_crew_action(std::string_view body, std::string_view content_type, sla::action_kind kind) {
  action_parse p;
  p.action.kind = kind;
  pb::CrewAction m;
  if (!body.empty()) {
    if (auto err = read_message(body, content_type, m)) {
      p.error = std::move(*err);
      return p;
    }
  }
  static const std::regex request_re(R"([A-Za-z0-9_\-]{0,64})");
  if (!std::regex_match(m.request_id(), request_re)) {
    p.error = {400, "invalid_field", "request_id", "request_id只能包含字母、数字、-和_，最长64位"};
    return p;
  }
  if (sla::code_point_count(m.note()) > 500) {
    p.error = {400, "invalid_field", "note", "备注超过500字"};
    return p;
  }
  if (sla::code_point_count(m.method()) > 20) {
    p.error = {400, "invalid_field", "method", "联系方式过长"};
    return p;
  }
  auto& a = p.action;
  a.request_id = m.request_id();
  a.note = m.note();
  a.method = m.method();
  if (!m.device_time().empty()) {
    a.device_time = parse_rfc3339(m.device_time());
    if (!a.device_time) {
      p.error = {400, "invalid_field", "device_time", "device_time须为RFC 3339时间"};
      return p;
    }
  }
  if (m.has_position()) {
    const auto& pos = m.position();
    bool sane = std::isfinite(pos.latitude()) && std::isfinite(pos.longitude()) && std::isfinite(pos.accuracy_m()) &&
                std::abs(pos.latitude()) <= 90 && std::abs(pos.longitude()) <= 180 && pos.accuracy_m() >= 0;
    if (!sane) {
      p.error = {400, "invalid_field", "position", "位置坐标无效"};
      return p;
    }
    a.where = sla::position{pos.latitude(), pos.longitude(), pos.accuracy_m()};
  }
  if (kind == sla::action_kind::hand_over && a.note.empty()) {
    p.error = {400, "missing_field", "note", "转应急站须说明原因"};
    return p;
  }
  p.ok = true;
  return p;
}

namespace {

template <class Message>
field_parse one_field(std::string_view body, std::string_view content_type, const char* field, const char* missing,
                      std::string (*get)(const Message&)) {
  field_parse p;
  Message m;
  if (auto err = read_message(body, content_type, m)) {
    p.error = std::move(*err);
    return p;
  }
  p.value = get(m);
  if (p.value.empty() || sla::code_point_count(p.value) > 64) {
    p.error = {400, "missing_field", field, missing};
    return p;
  }
  p.ok = true;
  return p;
}

}  // namespace

field_parse parse_assign(std::string_view body, std::string_view content_type) {
  return one_field<pb::AssignRequest>(body, content_type, "member_id", "请指定派给哪位维修人员（member_id）",
                                      [](const pb::AssignRequest& m) { return m.member_id(); });
}

field_parse parse_route(std::string_view body, std::string_view content_type) {
  return one_field<pb::RouteRequest>(body, content_type, "community", "请指定小区（community）",
                                     [](const pb::RouteRequest& m) { return m.community(); });
}

field_parse parse_unlink(std::string_view body, std::string_view content_type) {
  return one_field<pb::UnlinkRequest>(body, content_type, "key", "请指定要拆出的报修（key）",
                                      [](const pb::UnlinkRequest& m) { return m.key(); });
}

reclassify_parse parse_reclassify(std::string_view body, std::string_view content_type) {
  reclassify_parse p;
  pb::ReclassifyRequest m;
  if (auto err = read_message(body, content_type, m)) {
    p.error = std::move(*err);
    return p;
  }
  if (m.urgency() != pb::Urgency::URGENT && m.urgency() != pb::Urgency::GENERAL) {
    p.error = {400, "missing_field", "urgency", "请指定urgency：URGENT（急修）或GENERAL（一般性维修）"};
    return p;
  }
  static const std::regex request_re(R"([A-Za-z0-9_\-]{0,64})");
  static const std::regex code_re(R"([a-z0-9_]{0,64})");
  if (!std::regex_match(m.request_id(), request_re)) {
    p.error = {400, "invalid_field", "request_id", "request_id只能包含字母、数字、-和_，最长64位"};
    return p;
  }
  if (!std::regex_match(m.category(), code_re)) {
    p.error = {400, "invalid_field", "category", "category须为规则中的类别代码，例如burst_pipe"};
    return p;
  }
  if (m.reason().empty() || sla::code_point_count(m.reason()) > 200) {
    p.error = {400, m.reason().empty() ? "missing_field" : "invalid_field", "reason", "请说明改判理由（200字以内）"};
    return p;
  }
  p.ok = true;
  p.level = m.urgency() == pb::Urgency::URGENT ? sla::urgency::urgent : sla::urgency::general;
  p.category = m.category();
  p.reason = m.reason();
  p.request_id = m.request_id();
  return p;
}

std::optional<sla::action_kind> action_from_path(std::string_view segment) {
  if (segment == "acknowledge") return sla::action_kind::acknowledge;
  if (segment == "contact") return sla::action_kind::contact;
  if (segment == "arrive") return sla::action_kind::arrive;
  if (segment == "complete") return sla::action_kind::complete;
  if (segment == "hand-over") return sla::action_kind::hand_over;
  return std::nullopt;
}

}  // namespace halfhour::channels
