#include "adapters/channels/request.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <algorithm>

#include "sla/text.hpp"

namespace halfhour::channels {

parsed_request refuse(int status, std::string code, std::string field, std::string message) {
  parsed_request p;
  p.error = {status, std::move(code), std::move(field), std::move(message)};
  return p;
}

std::vector<std::string> keys_of(const sla::work_order& wo) {
  std::vector<std::string> keys;
  if (!wo.key.empty()) keys.push_back(wo.key);
  // A job from before it kept its key: as the doors make them (hotline.cpp, community.cpp,
  // open311.cpp). A walk-in's names the committee that entered it, most likely the one its
  // community belongs to; a wrong guess drops nothing, as only a key naming the job is dropped.
  else switch (wo.source) {
      case sla::channel::hotline_12345: keys.push_back("12345:" + wo.external_no); break;
      case sla::channel::community_cloud: keys.push_back("cloud:" + wo.external_no); break;
      case sla::channel::wechat: keys.push_back("wechat:" + wo.external_no); break;
      case sla::channel::open311: keys.push_back("open311:" + wo.external_no); break;
      case sla::channel::walk_in:
      case sla::channel::suggestion_box: keys.push_back("walkin:" + wo.where.committee + ":" + wo.external_no); break;
    }
  for (const auto& l : wo.linked) keys.push_back(l.key);
  // Reports counted past those kept whole: only 12345's numbers are kept, and make their keys.
  for (const auto& t : wo.linked_more_tickets) keys.push_back("12345:" + t);
  return keys;
}

namespace check {

namespace {

input_error bad(std::string_view field, std::string message) {
  return {400, "invalid_field", std::string(field), std::move(message)};
}

}  // namespace

std::optional<input_error> id(std::string_view field, const std::string& value, std::string_view name) {
  if (value.empty())
    return input_error{400, "missing_field", std::string(field), "缺少" + std::string(name) + std::string(field)};
  const bool ok = value.size() <= 128 && std::all_of(value.begin(), value.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
                  });
  if (!ok) return bad(field, std::string(name) + "只能包含字母、数字和-_.:，最长128位");
  return std::nullopt;
}

std::optional<input_error> text(std::string_view field, const std::string& value, std::size_t max, bool required,
                                std::string_view name) {
  if (required && value.find_first_not_of(" \t\r\n") == std::string::npos)
    return input_error{400, "missing_field", std::string(field), "缺少" + std::string(name) + std::string(field)};
  if (sla::code_point_count(value) > max) return bad(field, std::string(name) + "超过" + std::to_string(max) + "字");
  // Control characters have no place in a name or a complaint; newlines and tabs do.
  if (std::any_of(value.begin(), value.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t'; }))
    return bad(field, std::string(name) + "含有控制字符");
  return std::nullopt;
}

std::optional<input_error> phone(std::string_view field, const std::string& value) {
  const bool ok = value.size() <= 32 && std::all_of(value.begin(), value.end(), [](char c) {
                    return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == ' ';
                  });
  if (!ok) return bad(field, "电话号码只能包含数字、+、-和空格");
  return std::nullopt;
}

std::optional<input_error> photos(std::string_view field, const std::vector<std::string>& urls) {
  if (urls.size() > 9) return bad(field, "照片最多9张");
  for (const auto& u : urls) {
    auto parsed = boost::urls::parse_absolute_uri(u);
    if (u.size() > 1000 || !parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") ||
        parsed->encoded_host().empty())
      return bad(field, "照片须为http或https链接：" + u.substr(0, 100));
  }
  return std::nullopt;
}

}  // namespace check

std::optional<input_error> read_time(std::string_view field, const std::string& value,
                                     std::optional<sla::instant>& out) {
  if (value.empty()) return std::nullopt;
  out = parse_rfc3339(value);
  if (!out)
    return input_error{400, "invalid_field", std::string(field),
                       std::string(field) + "须为RFC 3339时间，例如2026-11-28T09:30:00+08:00"};
  return std::nullopt;
}

std::string without_spaces(std::string s) {
  std::erase(s, ' ');
  return s;
}

std::optional<std::vector<std::pair<std::string, std::string>>> form_params(std::string_view text) {
  // Boost.URL 1.81's parse_query reads its argument up to a NUL (strlen), whatever the view's
  // length: a view with no buffer crashes it and one into a longer buffer reads past its end
  // (found by fuzz_channels). It gets a NUL-terminated copy.
  const std::string terminated(text);
  auto params = boost::urls::parse_query(terminated);
  if (!params) return std::nullopt;
  const boost::urls::encoding_opts form{true};
  std::vector<std::pair<std::string, std::string>> out;
  for (auto p : *params) out.emplace_back(p.key.decode(form), p.has_value ? p.value.decode(form) : std::string());
  return out;
}

}  // namespace halfhour::channels
