// The endpoint table's matcher: which entry a method and path name, and what its {placeholders}
// hold. Pure: no Asio, no HTTP types, so every path rule is unit-tested on its own.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halfhour {

// A path pattern: literal segments, `{name}` standing for one non-empty segment (with an optional
// literal suffix inside it: "{id}.json"), and a last segment `*` for any rest (static pages).
struct route_pattern {
  std::string method;  // "GET", "POST", … or "*" for any
  std::string path;
};

using path_params = std::map<std::string, std::string, std::less<>>;

struct route_match {
  enum class kind { found, method_not_allowed, not_found };
  kind what = kind::not_found;
  std::size_t index = 0;             // found: the entry
  path_params params;                // found: the placeholders' values ("*" holds the rest)
  std::vector<std::string> allowed;  // method_not_allowed: the methods the path takes
};

// The first entry whose path and method fit, in table order. A path that fits entries of other
// methods only is method_not_allowed with those methods.
route_match match_route(const std::vector<route_pattern>& table, std::string_view method, std::string_view path);

}  // namespace halfhour
