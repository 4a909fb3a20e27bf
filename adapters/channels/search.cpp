#include "adapters/channels/search.hpp"

#include <charconv>

#include "adapters/channels/request.hpp"
#include "adapters/codec.hpp"
#include "sla/text.hpp"

namespace halfhour::channels {

namespace {

constexpr std::size_t max_field = 64;

input_error bad(std::string_view field, std::string message) {
  return {400, "invalid_field", std::string(field), std::move(message)};
}

template <class Int>
std::optional<Int> whole_number(std::string_view s) {
  Int v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// "2026-11-28" as midnight in Shanghai, or an RFC 3339 time.
std::optional<sla::instant> time_of(const std::string& v, bool through_the_day) {
  if (v.size() == 10) {
    auto t = parse_rfc3339(v + "T00:00:00+08:00");
    if (t && through_the_day) *t += std::chrono::hours{24};
    return t;
  }
  return parse_rfc3339(v);
}

std::optional<sla::index_position> cursor_of(std::string_view v) {
  const auto dot = v.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto ms = whole_number<long long>(v.substr(0, dot));
  const auto id = v.substr(dot + 1);
  if (!ms || *ms < 0 || id.empty() || id.size() > max_field) return std::nullopt;
  return sla::index_position{sla::from_ms(*ms), std::string(id)};
}

std::optional<input_error> read_states(const std::string& v, std::vector<sla::wo_state>& out) {
  std::size_t from = 0;
  while (from <= v.size()) {
    const auto comma = v.find(',', from);
    const auto name = std::string_view(v).substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (name == "OPEN") {
      for (auto s : {sla::wo_state::dispatched, sla::wo_state::triage, sla::wo_state::acknowledged,
                     sla::wo_state::contacted, sla::wo_state::on_site})
        out.push_back(s);
    } else if (auto s = codec::state_named(name)) {
      out.push_back(*s);
    } else {
      return bad("state", "state须为DISPATCHED、TRIAGE、ACKNOWLEDGED、CONTACTED、ON_SITE、DONE或OPEN，可用逗号分隔");
    }
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  return std::nullopt;
}

// One parameter into the query; an error when its value cannot be read.
std::optional<input_error> read_param(const std::string& k, const std::string& v, search_query& q) {
  if (v.size() > max_field || !sla::is_valid_utf8(v)) return bad(k, k + "过长或不是有效的UTF-8文本");
  if (k == "ticket_no") {
    q.filter.ticket_no = v;
  } else if (k == "phone") {
    q.filter.phone = sla::phone_digits(v);
    if (!sla::whole_phone(q.filter.phone)) return bad(k, "请输入完整的电话号码（手机11位，座机8位，外地座机加区号）");
  } else if (k == "community") {
    q.filter.community = v;
  } else if (k == "state") {
    return read_states(v, q.filter.states);
  } else if (k == "from" || k == "to") {
    auto t = time_of(v, k == "to");
    if (!t) return bad(k, k + "须为日期（2026-11-28）或ISO 8601时间（2026-11-28T09:30:00+08:00）");
    (k == "from" ? q.from : q.to) = t;
  } else if (k == "limit") {
    auto n = whole_number<std::size_t>(v);
    if (!n || *n < 1 || *n > max_search_limit) return bad(k, "limit须为1至100的整数");
    q.limit = *n;
  } else if (k == "cursor") {
    q.cursor = cursor_of(v);
    if (!q.cursor) return bad(k, "cursor无效：请使用上一页返回的next_cursor");
  } else {
    return bad(k, "不认识的查询参数：" + k);
  }
  return std::nullopt;
}

}  // namespace

search_parse parse_search(std::string_view query_string) {
  search_parse out;
  auto params = form_params(query_string);
  if (!params) {
    out.error = {400, "invalid_query", "", "查询参数编码无效"};
    return out;
  }
  for (const auto& [k, v] : *params) {
    if (v.empty()) continue;  // a form's empty box filters nothing
    if (auto err = read_param(k, v, out.q)) {
      out.error = std::move(*err);
      return out;
    }
  }
  if (out.q.from && out.q.to && *out.q.from >= *out.q.to) {
    out.error = bad("from", "from须早于to");
    return out;
  }
  out.ok = true;
  return out;
}

std::string render_cursor(const sla::index_position& p) { return std::to_string(sla::to_ms(p.at)) + "." + p.id; }

}  // namespace halfhour::channels
