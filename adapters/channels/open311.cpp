#include "adapters/channels/open311.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <map>

#include "adapters/crypto.hpp"
#include "halfhour/v1/halfhour.pb.h"
#include "sla/calendar.hpp"
#include "sla/machine.hpp"
#include "sla/text.hpp"

namespace halfhour::channels::open311 {

namespace json = boost::json;

namespace {

// Form fields, or the same names in a flat JSON object; the first value of a repeated name.
std::optional<std::map<std::string, std::string>> fields_of(std::string_view body, std::string_view content_type,
                                                            input_error& err) {
  std::map<std::string, std::string> out;
  auto base = content_type.substr(0, content_type.find(';'));
  if (base == "application/x-www-form-urlencoded") {
    auto params = form_params(body);
    if (!params) {
      err = {400, "invalid_form", "", "表单编码无效"};
      return std::nullopt;
    }
    for (auto& [k, v] : *params) out.try_emplace(std::move(k), std::move(v));
  } else if (base == "application/json") {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (ec || !v.is_object()) {
      err = {400, "invalid_json", "", "JSON无法解析，须为一个对象"};
      return std::nullopt;
    }
    for (const auto& [k, val] : v.as_object()) {
      if (val.is_string()) out.emplace(k, std::string(val.as_string()));
      else if (val.is_number()) out.emplace(k, json::serialize(val));
      else {
        err = {400, "invalid_field", std::string(k), std::string(k) + "须为字符串或数字"};
        return std::nullopt;
      }
    }
  } else {
    err = {415, "unsupported_media_type", "", "请以application/x-www-form-urlencoded提交"};
    return std::nullopt;
  }
  for (const auto& [k, v] : out) {
    if (!sla::is_valid_utf8(k) || !sla::is_valid_utf8(v)) {
      err = {400, "invalid_utf8", "", "请求不是有效的UTF-8文本"};
      return std::nullopt;
    }
  }
  return out;
}

std::optional<double> number(const std::string& s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// The place down to the building: a room is the resident's, not the client's.
std::string address_of(const sla::work_order& wo) {
  if (wo.where.community_name.empty()) return sla::redact_personal(wo.address);
  return wo.where.community_name + (wo.where.building.empty() ? "" : wo.where.building + "号");
}

sla::instant updated(const sla::work_order& wo) {
  auto t = wo.accepted_at;
  for (const auto& c : wo.clocks) {
    if (c.stopped) t = std::max(t, *c.stopped);
    if (c.breached) t = std::max(t, *c.breached);
  }
  for (const auto& l : wo.linked) t = std::max(t, l.at);
  return t;
}

json::object request_of(const sla::work_order& wo) {
  json::object o;
  o["service_request_id"] = wo.id;
  o["status"] = wo.state == sla::wo_state::done ? "closed" : "open";
  std::string notes = std::string(sla::name_of(wo.state)) + "（" + wo.holder + "）";
  for (const auto& c : wo.clocks)
    if (c.breached) notes += "；" + std::string(sla::name_of(c.kind)) + "超时";
  if (!wo.linked.empty()) notes += "；另有" + std::to_string(wo.linked.size()) + "条报修并入本工单";
  o["status_notes"] = notes;
  o["service_name"] = wo.cls.category_name;
  o["service_code"] = wo.cls.category;
  o["description"] = sla::redact_personal(wo.content);
  o["agency_responsible"] = wo.holder;
  o["service_notice"] = wo.cls.advice;
  o["requested_datetime"] = sla::shanghai_iso(wo.accepted_at);
  o["updated_datetime"] = sla::shanghai_iso(updated(wo));
  const auto* due = sla::promised_clock(wo);
  o["expected_datetime"] = due ? json::value(sla::shanghai_iso(due->deadline)) : json::value(nullptr);
  o["address"] = address_of(wo);
  o["address_id"] = nullptr;
  o["zipcode"] = nullptr;
  if (wo.reported_position) {
    o["lat"] = wo.reported_position->latitude;
    o["long"] = wo.reported_position->longitude;
  } else {
    o["lat"] = nullptr;
    o["long"] = nullptr;
  }
  o["media_url"] = wo.photos.empty() ? json::value(nullptr) : json::value(wo.photos.front());
  return o;
}

}  // namespace

std::vector<service> services_of(const sla::classifier_rules& rules) {
  std::vector<service> out;
  for (const auto& c : rules.categories) {
    service s;
    s.code = c.code;
    s.name = c.name;
    const bool urgent = c.level == sla::urgency::urgent;
    const bool complaint = c.kind == sla::request_kind::complaint;
    s.group = complaint ? sla::name_of(c.kind) : sla::name_of(c.level);
    s.description = s.group + (complaint ? "：物业按工作日时限先行联系、办结"
                               : urgent  ? "：30分钟内维修人员到场"
                                         : "：30分钟内联系报修人");
    for (const auto& p : c.patterns) {
      if (s.keywords.size() == 5) break;
      if (p.find('+') == std::string::npos) s.keywords.push_back(p);
    }
    out.push_back(std::move(s));
  }
  return out;
}

post parse_post(std::string_view body, std::string_view content_type, std::string_view idempotency_header,
                const std::vector<std::string>& service_codes) {
  post out;
  input_error err;
  auto f = fields_of(body, content_type, err);
  if (!f) {
    out.parsed = refuse(err.status, err.code, err.field, err.message);
    return out;
  }
  out.readable = true;
  auto get = [&](const char* k) {
    auto it = f->find(k);
    return it == f->end() ? std::string() : it->second;
  };
  out.api_key = get("api_key");
  const auto code = get("service_code");
  if (code.empty()) {
    out.parsed = refuse(400, "missing_field", "service_code", "缺少service_code");
    return out;
  }
  if (std::find(service_codes.begin(), service_codes.end(), code) == service_codes.end()) {
    out.parsed = refuse(404, "unknown_service", "service_code", "没有这个service_code：" + code.substr(0, 64));
    return out;
  }
  std::vector<std::string> photos;
  if (auto m = get("media_url"); !m.empty()) photos.push_back(m);
  const auto name = get("first_name") + get("last_name");
  std::optional<input_error> e;
  if ((e = check::text("description", get("description"), 4000, true, "问题描述")) ||
      (e = check::text("address_string", get("address_string"), 500, false, "地址")) ||
      (e = check::text("first_name", name, 100, false, "姓名")) || (e = check::phone("phone", get("phone"))) ||
      (e = check::photos("media_url", photos))) {
    out.parsed = refuse(e->status, e->code, e->field, e->message);
    return out;
  }
  std::optional<sla::position> at;
  const auto lat = get("lat");
  const auto lon = get("long");
  if (!lat.empty() || !lon.empty()) {
    auto la = number(lat);
    auto lo = number(lon);
    if (!la || !lo || std::abs(*la) > 90 || std::abs(*lo) > 180) {
      out.parsed = refuse(400, "invalid_field", "lat", "lat和long须同时给出，为有效的经纬度");
      return out;
    }
    at = sla::position{*la, *lo, 0};
  }
  if (get("address_string").empty() && !at) {
    out.parsed = refuse(400, "missing_field", "address_string", "address_string与lat/long至少给出一项");
    return out;
  }
  if (!idempotency_header.empty()) {
    if (auto bad = check::id("Idempotency-Key", std::string(idempotency_header), "幂等键")) {
      out.parsed = refuse(bad->status, bad->code, bad->field, bad->message);
      return out;
    }
  }
  auto& p = out.parsed;
  p.ok = true;
  auto& in = p.req.intake;
  in.source = sla::channel::open311;
  in.who = {name, without_spaces(get("phone"))};
  in.content = get("description");
  in.address = get("address_string");
  in.photos = std::move(photos);
  in.reported_position = at;
  p.req.hints.category = code;
  p.req.idempotency_key = "open311:" + (idempotency_header.empty()
                                            ? crypto::sha256_hex(out.api_key + "\n" + std::string(body)).substr(0, 32)
                                            : std::string(idempotency_header));
  in.external_no = p.req.idempotency_key.substr(8);
  return out;
}

query_parse parse_query(std::string_view query_string) {
  query_parse out;
  auto params = form_params(query_string);
  if (!params) {
    out.error = {400, "invalid_query", "", "查询参数编码无效"};
    return out;
  }
  for (const auto& [k, v] : *params) {
    if (k == "service_request_id") {
      std::size_t from = 0;
      while (from <= v.size()) {
        auto comma = v.find(',', from);
        auto id = v.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
        if (!id.empty()) out.q.ids.push_back(id);
        if (comma == std::string::npos) break;
        from = comma + 1;
      }
      if (out.q.ids.size() > 100) {
        out.error = {400, "invalid_field", k, "一次最多查询100个service_request_id"};
        return out;
      }
    } else if (k == "service_code") {
      out.q.service_code = v;
    } else if (k == "api_key") {
      out.q.api_key = v;
    } else if (k == "status") {
      if (v != "open" && v != "closed") {
        out.error = {400, "invalid_field", k, "status须为open或closed"};
        return out;
      }
      out.q.status = v;
    } else if (k == "start_date" || k == "end_date") {
      auto t = parse_rfc3339(v);
      if (!t) {
        out.error = {400, "invalid_field", k, k + "须为ISO 8601时间，例如2026-11-01T00:00:00+08:00"};
        return out;
      }
      (k == "start_date" ? out.q.start : out.q.end) = t;
    }
  }
  out.ok = true;
  return out;
}

bool matches(const query& q, const sla::work_order& wo) {
  if (!q.service_code.empty() && wo.cls.category != q.service_code) return false;
  if (q.status == "open" && wo.state == sla::wo_state::done) return false;
  if (q.status == "closed" && wo.state != sla::wo_state::done) return false;
  if (q.start && wo.accepted_at < *q.start) return false;
  if (q.end && wo.accepted_at >= *q.end) return false;
  return true;
}

std::string render_services(const std::vector<service>& services) {
  json::array a;
  for (const auto& s : services) {
    json::array keywords;
    for (const auto& k : s.keywords) keywords.emplace_back(k);
    std::string kw;
    for (const auto& k : s.keywords) kw += (kw.empty() ? "" : ",") + k;
    a.push_back(json::object{{"service_code", s.code},
                             {"service_name", s.name},
                             {"description", s.description},
                             {"metadata", false},
                             {"type", "realtime"},
                             {"keywords", kw},
                             {"group", s.group}});
  }
  return json::serialize(a);
}

std::string render_requests(const std::vector<sla::work_order>& orders) {
  json::array a;
  for (const auto& wo : orders) a.push_back(request_of(wo));
  return json::serialize(a);
}

std::string render_posted(const sla::work_order& wo) {
  json::array a;
  a.push_back(json::object{{"service_request_id", wo.id}, {"service_notice", wo.cls.advice}, {"account_id", nullptr}});
  return json::serialize(a);
}

std::string render_error(int status, std::string_view description) {
  json::array a;
  a.push_back(json::object{{"code", status}, {"description", description}});
  return json::serialize(a);
}

}  // namespace halfhour::channels::open311
