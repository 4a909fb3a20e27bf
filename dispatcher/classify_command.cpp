#include "dispatcher/classify_command.hpp"

#include <boost/json.hpp>
#include <istream>
#include <ostream>
#include <string>

#include "sla/text.hpp"

namespace halfhour {

namespace json = boost::json;

namespace {

json::value nullable(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

json::object decide(const sla::classifier& cls, const sla::resolver& res, const std::string& text,
                    const std::string& address) {
  auto c = cls.classify(text);
  auto r = res.resolve(address, text);
  json::array reasons;
  for (const auto& why : c.reasons) {
    json::array words;
    for (const auto& w : why.words) words.emplace_back(w);
    reasons.emplace_back(json::object{{"rule", why.rule}, {"words", std::move(words)}, {"note", why.note}});
  }
  json::array candidates;
  for (const auto& name : r.candidates) candidates.emplace_back(name);
  json::object out{
      {"kind", c.kind == sla::request_kind::complaint ? "COMPLAINT" : "REPAIR"},
      {"urgency", c.level == sla::urgency::urgent ? "URGENT" : "GENERAL"},
      {"category", c.category},
      {"class", nullable(c.group)},
      {"category_name", c.category_name},
      {"confidence", c.confidence},
      {"uncertain", c.uncertain},
      {"community", nullable(r.community_name)},
      {"committee", nullable(r.committee)},
      {"firm", r.to == sla::route::firm ? json::value(r.firm) : json::value(nullptr)},
      {"route", r.to == sla::route::firm ? "FIRM" : "STATION"},
      {"route_reason", r.reason},
      {"reasons", std::move(reasons)},
  };
  if (!r.candidates.empty() && r.to == sla::route::station) out["candidates"] = std::move(candidates);
  if (!c.advice.empty()) out["advice"] = c.advice;
  return out;
}

}  // namespace

int run_classify(std::istream& in, std::ostream& out, const sla::classifier& cls, const sla::resolver& res) {
  int rc = 0;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto fail = [&](const std::string& why) {
      out << json::serialize(json::object{{"line", number}, {"error", why}}) << '\n';
      rc = 1;
    };
    if (!sla::is_valid_utf8(line)) {
      fail("not valid UTF-8");
      continue;
    }
    std::string text = line, address;
    if (line.find_first_not_of(" \t") == line.find('{')) {
      boost::system::error_code ec;
      auto v = json::parse(line, ec);
      if (ec || !v.is_object()) {
        fail("not a JSON object: " + (ec ? ec.message() : std::string("expected {...}")));
        continue;
      }
      const auto& o = v.as_object();
      const auto* t = o.if_contains("text");
      if (!t || !t->is_string()) {
        fail("\"text\" is missing or not a string");
        continue;
      }
      text = std::string(t->as_string());
      if (const auto* a = o.if_contains("address")) {
        if (!a->is_string() && !a->is_null()) {
          fail("\"address\" is not a string");
          continue;
        }
        if (a->is_string()) address = std::string(a->as_string());
      }
    }
    out << json::serialize(decide(cls, res, text, address)) << '\n';
  }
  out.flush();
  return rc;
}

}  // namespace halfhour
