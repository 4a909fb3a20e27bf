#include "dispatcher/router.hpp"

#include <algorithm>

namespace halfhour {

namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t from = path.starts_with('/') ? 1 : 0;
  while (from <= path.size()) {
    const auto slash = path.find('/', from);
    out.push_back(path.substr(from, slash == std::string_view::npos ? std::string_view::npos : slash - from));
    if (slash == std::string_view::npos) break;
    from = slash + 1;
  }
  return out;
}

// One pattern segment against one path segment: a literal, or "{name}" with an optional suffix.
bool match_segment(std::string_view pattern, std::string_view seg, path_params& params) {
  if (!pattern.starts_with('{')) return pattern == seg;
  const auto close = pattern.find('}');
  const auto name = pattern.substr(1, close - 1);
  const auto suffix = pattern.substr(close + 1);
  if (seg.size() <= suffix.size() || !seg.ends_with(suffix)) return false;
  params.emplace(std::string(name), std::string(seg.substr(0, seg.size() - suffix.size())));
  return true;
}

bool match_path(std::string_view pattern, std::string_view path, path_params& params) {
  const auto want = segments(pattern);
  const auto have = segments(path);
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "*" && i + 1 == want.size()) {
      // The rest of the path, from this segment on (empty when the path ends with the slash).
      std::string rest;
      for (std::size_t j = i; j < have.size(); ++j) rest += (j > i ? "/" : "") + std::string(have[j]);
      params.emplace("*", std::move(rest));
      return have.size() >= i + 1 || (have.size() == i && path.ends_with('/'));
    }
    if (i >= have.size() || !match_segment(want[i], have[i], params)) return false;
  }
  return want.size() == have.size();
}

}  // namespace

route_match match_route(const std::vector<route_pattern>& table, std::string_view method, std::string_view path) {
  route_match out;
  for (std::size_t i = 0; i < table.size(); ++i) {
    path_params params;
    if (!match_path(table[i].path, path, params)) continue;
    if (table[i].method == "*" || table[i].method == method) {
      out.what = route_match::kind::found;
      out.index = i;
      out.params = std::move(params);
      return out;
    }
    if (std::find(out.allowed.begin(), out.allowed.end(), table[i].method) == out.allowed.end())
      out.allowed.push_back(table[i].method);
  }
  if (!out.allowed.empty()) out.what = route_match::kind::method_not_allowed;
  return out;
}

}  // namespace halfhour
