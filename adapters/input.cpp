#include "adapters/input.hpp"

#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <regex>

#include "sla/text.hpp"

namespace halfhour {

namespace {

bool media_type_is(std::string_view content_type, std::string_view want) {
  auto base = content_type.substr(0, content_type.find(';'));
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  if (base.size() != want.size()) return false;
  return std::equal(base.begin(), base.end(), want.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

// protobuf's JSON parser names the field in one of three ways ("(ticket_no): invalid value",
// "text: Proto field is not repeating", "… on a scalar field for type text"); pass it on so
// the client knows which field to fix.
std::string field_of(std::string_view message) {
  static const std::regex patterns[] = {std::regex(R"(\(([a-z_]+)\))"), std::regex(R"(^([a-z_]+): )"),
                                        std::regex(R"(for type ([a-z_]+)$)")};
  std::match_results<std::string_view::const_iterator> m;
  for (const auto& re : patterns)
    if (std::regex_search(message.begin(), message.end(), m, re)) return m[1].str();
  return {};
}

}  // namespace

std::optional<input_error> read_message(std::string_view body, std::string_view content_type,
                                        google::protobuf::Message& m) {
  if (media_type_is(content_type, "application/json")) {
    if (!sla::is_valid_utf8(body)) return input_error{400, "invalid_utf8", "", "请求体不是有效的UTF-8文本"};
    google::protobuf::util::JsonParseOptions opts;
    opts.ignore_unknown_fields = true;
    auto st = google::protobuf::util::JsonStringToMessage(std::string(body), &m, opts);
    if (!st.ok()) {
      std::string msg(st.message());
      return input_error{400, "invalid_json", field_of(msg), "JSON无法解析：" + msg};
    }
    return std::nullopt;
  }
  if (media_type_is(content_type, "application/x-protobuf")) {
    if (!m.ParseFromArray(body.data(), static_cast<int>(body.size())))
      return input_error{400, "invalid_protobuf", "", "protobuf请求体无法解析"};
    return std::nullopt;
  }
  return input_error{415, "unsupported_media_type", "", "请以application/json提交"};
}

std::optional<sla::instant> parse_rfc3339(const std::string& text) {
  google::protobuf::Timestamp ts;
  if (!google::protobuf::util::TimeUtil::FromString(text, &ts)) return std::nullopt;
  return sla::from_ms(ts.seconds() * 1000 + ts.nanos() / 1'000'000);
}

}  // namespace halfhour
