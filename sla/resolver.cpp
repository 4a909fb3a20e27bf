#include "sla/resolver.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

std::u32string norm32(std::string_view s) { return normalise(to_u32(s)); }

// Reads digits at `pos`; returns the number (capped so hostile input cannot overflow) and
// advances `pos`. Returns -1 when no digit is there.
int read_number(std::u32string_view t, std::size_t& pos) {
  if (pos >= t.size() || !is_digit(t[pos])) return -1;
  long long n = 0;
  while (pos < t.size() && is_digit(t[pos])) {
    if (n < 1000000) n = n * 10 + (t[pos] - U'0');
    ++pos;
  }
  return static_cast<int>(n);
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// Building and room after the lane ("3号502室", "3号楼502", "12栋301") or in an estate address.
void read_building_room(std::u32string_view t, std::size_t pos, std::string& building, std::string& room) {
  while (pos < t.size() && !is_digit(t[pos])) ++pos;
  std::size_t start = pos;
  int b = read_number(t, pos);
  if (b < 0) return;
  auto rest = t.substr(pos);
  if (rest.starts_with(U"号楼") || rest.starts_with(U"号") || rest.starts_with(U"栋") ||
      rest.starts_with(U"幢") || rest.starts_with(U"楼")) {
    building = std::to_string(b);
    pos += rest.starts_with(U"号楼") ? 2 : 1;
    while (pos < t.size() && (t[pos] == U'-' || t[pos] == U'楼')) ++pos;
    std::size_t room_start = pos;
    int r = read_number(t, pos);
    if (r >= 0) room = to_utf8(t.substr(room_start, pos - room_start));
  } else if (!rest.empty() && rest[0] == U'-') {
    // "3-502": building 3, room 502.
    building = std::to_string(b);
    ++pos;
    std::size_t room_start = pos;
    if (read_number(t, pos) >= 0) room = to_utf8(t.substr(room_start, pos - room_start));
  } else if (rest.starts_with(U"室")) {
    room = to_utf8(t.substr(start, pos - start));
  }
}

}  // namespace

struct resolver::text_result {
  std::set<std::size_t> candidates;
  bool signal = false;  // the text named a known road or a community at all
  std::string reason;
  std::string building;
  std::string room;
  std::string note;
};

resolver::resolver(directory dir) : dir_(std::move(dir)) {
  std::set<std::u32string> seen;
  auto add_name = [&](std::string_view name, std::vector<std::size_t> idx) {
    auto n = norm32(name);
    if (n.empty()) return;
    if (!seen.insert(n).second) throw std::invalid_argument("directory: name used twice: " + std::string(name));
    names_.push_back({std::move(n), std::move(idx)});
  };
  std::set<std::string> road_names;
  for (std::size_t i = 0; i < dir_.communities.size(); ++i) {
    const auto& c = dir_.communities[i];
    if (c.name.empty() || c.firm.empty())
      throw std::invalid_argument("directory: community " + std::to_string(c.seq) + " lacks a name or firm");
    if (!c.road.empty()) {
      if (c.numbers.empty()) throw std::invalid_argument("directory: " + c.name + " has a road but no number");
      road_names.insert(c.road);
      continue;  // matched by road + number, not by its written name
    }
    add_name(c.name, {i});
    for (const auto& a : c.aliases) add_name(a, {i});
  }
  for (const auto& s : dir_.shared_names) {
    std::vector<std::size_t> idx;
    for (const auto& name : s.communities) {
      auto it = std::find_if(dir_.communities.begin(), dir_.communities.end(),
                             [&](const community& c) { return c.name == name; });
      if (it == dir_.communities.end())
        throw std::invalid_argument("directory: shared name " + s.name + " names unknown " + name);
      idx.push_back(static_cast<std::size_t>(it - dir_.communities.begin()));
    }
    add_name(s.name, std::move(idx));
  }
  for (const auto& r : road_names) roads_.push_back({norm32(r), r});
}

resolver::text_result resolver::resolve_text(std::u32string_view t) const {
  text_result out;

  // Road + number. Exact road names first; a near miss ("凌召路") only when no exact one is there.
  struct road_hit {
    std::size_t road;
    std::size_t after;
    bool exact;
  };
  std::vector<road_hit> hits;
  for (std::size_t r = 0; r < roads_.size(); ++r) {
    for (auto p = t.find(roads_[r].name); p != std::u32string_view::npos; p = t.find(roads_[r].name, p + 1))
      hits.push_back({r, p + roads_[r].name.size(), true});
  }
  if (hits.empty()) {
    for (std::size_t r = 0; r < roads_.size(); ++r) {
      const auto& name = roads_[r].name;
      for (std::size_t p = 0; p + name.size() <= t.size(); ++p) {
        auto window = t.substr(p, name.size());
        if (window.back() != U'路' || p + name.size() >= t.size() || !is_digit(t[p + name.size()])) continue;
        if (edit_distance(window, name, 1) <= 1) hits.push_back({r, p + name.size(), false});
      }
    }
  }
  std::vector<std::string> unknown_numbers;
  for (const auto& h : hits) {
    std::size_t pos = h.after;
    std::vector<int> numbers;
    for (int n = read_number(t, pos); n >= 0; n = read_number(t, pos)) {
      numbers.push_back(n);
      if (pos < t.size() && (t[pos] == U'、' || t[pos] == U',' || t[pos] == U'/')) ++pos;
      else break;
    }
    if (numbers.empty()) continue;
    std::u32string suffix;
    if (pos < t.size() && (t[pos] == U'弄' || t[pos] == U'号')) suffix = t.substr(pos++, 1);
    std::string part;
    if (pos < t.size() && (t[pos] == U'A' || t[pos] == U'B')) part = to_utf8(t.substr(pos++, 1));
    if (part.empty()) {
      for (std::u32string_view p : {U"A区", U"A块", U"A座", U"(A)"})
        if (t.find(p) != std::u32string_view::npos) part = "A";
      for (std::u32string_view p : {U"B区", U"B块", U"B座", U"(B)"})
        if (t.find(p) != std::u32string_view::npos) part = part.empty() ? "B" : "?";
    }
    std::string suffix8 = to_utf8(suffix);
    out.signal = true;
    std::vector<std::size_t> on_lane;
    for (std::size_t i = 0; i < dir_.communities.size(); ++i) {
      const auto& c = dir_.communities[i];
      if (c.road != roads_[h.road].utf8) continue;
      if (!suffix8.empty() && suffix8 != c.number_suffix) continue;
      bool has = std::any_of(numbers.begin(), numbers.end(), [&](int n) {
        return std::find(c.numbers.begin(), c.numbers.end(), n) != c.numbers.end();
      });
      if (has) on_lane.push_back(i);
    }
    if (on_lane.empty()) {
      unknown_numbers.push_back(roads_[h.road].utf8 + std::to_string(numbers.front()) +
                                (suffix8.empty() ? "弄" : suffix8));
      continue;
    }
    bool split = on_lane.size() > 1 && std::all_of(on_lane.begin(), on_lane.end(), [&](std::size_t i) {
                   return !dir_.communities[i].part.empty();
                 });
    if (split && (part == "A" || part == "B")) {
      std::erase_if(on_lane, [&](std::size_t i) { return dir_.communities[i].part != part; });
    } else if (split) {
      out.reason = roads_[h.road].utf8 + std::to_string(numbers.front()) +
                   "弄分A、B两区，分属不同物业，地址未注明A区或B区";
    }
    if (!h.exact) out.note = "路名疑似笔误，按“" + roads_[h.road].utf8 + "”匹配";
    out.candidates.insert(on_lane.begin(), on_lane.end());
    if (out.building.empty()) read_building_room(t, pos, out.building, out.room);
  }

  // Community names, longest first: "古银杏苑" must not also count as "银杏苑".
  struct name_hit {
    std::size_t begin, end, entry;
  };
  std::vector<name_hit> named;
  for (std::size_t e = 0; e < names_.size(); ++e) {
    const auto& n = names_[e].name;
    for (auto p = t.find(n); p != std::u32string_view::npos; p = t.find(n, p + 1))
      named.push_back({p, p + n.size(), e});
  }
  std::erase_if(named, [&](const name_hit& a) {
    return std::any_of(named.begin(), named.end(), [&](const name_hit& b) {
      return b.begin <= a.begin && b.end >= a.end && (b.end - b.begin) > (a.end - a.begin);
    });
  });
  std::set<std::size_t> by_name;
  for (const auto& h : named) by_name.insert(names_[h.entry].communities.begin(), names_[h.entry].communities.end());

  // Near misses ("丹桂园", "金禾新园"): only when nothing matched exactly, and never across digits
  // or a road, so "三林路" is not read as "三林苑".
  if (by_name.empty() && !out.signal) {
    std::size_t best = 2;
    std::set<std::size_t> fuzzy;
    std::string fuzzy_name;
    for (const auto& entry : names_) {
      const auto& n = entry.name;
      if (n.size() < 3) continue;
      // A dropped or added character is allowed only in names of four or more: for "品新苑",
      // two shared characters ("新苑") are too little evidence to send a crew anywhere.
      const std::size_t slack = n.size() >= 4 ? 1 : 0;
      for (std::size_t len = n.size() - slack; len <= n.size() + slack; ++len) {
        for (std::size_t p = 0; p + len <= t.size(); ++p) {
          // Within one edit of the name, a window starts with the name's first or second
          // character, or has one of them second: most windows fail this and cost no more.
          const char32_t w0 = t[p], w1 = t[p + 1];
          if (w0 != n[0] && w0 != n[1] && w1 != n[0] && w1 != n[1]) continue;
          auto window = t.substr(p, len);
          if (std::any_of(window.begin(), window.end(), [](char32_t c) { return is_digit(c) || c == U'路'; }))
            continue;
          auto d = edit_distance(window, n, 1);
          if (d > 1) continue;
          if (d < best) {
            best = d;
            fuzzy.clear();
          }
          if (d == best) {
            fuzzy.insert(entry.communities.begin(), entry.communities.end());
            fuzzy_name = to_utf8(n);
          }
        }
      }
    }
    if (!fuzzy.empty()) {
      by_name = fuzzy;
      if (fuzzy.size() == 1) out.note = "小区名疑似笔误，按“" + fuzzy_name + "”匹配";
    }
  }

  if (!by_name.empty()) {
    out.signal = true;
    if (out.building.empty()) {
      std::size_t after = 0;
      for (const auto& h : named) after = std::max(after, h.end);
      read_building_room(t, after, out.building, out.room);
    }
    if (out.candidates.empty()) {
      out.candidates = by_name;
    } else {
      std::set<std::size_t> both;
      std::set_intersection(out.candidates.begin(), out.candidates.end(), by_name.begin(), by_name.end(),
                            std::inserter(both, both.begin()));
      if (both.empty()) {
        out.reason = "地址中的小区名与路弄号指向不同小区";
        out.candidates.insert(by_name.begin(), by_name.end());
      } else {
        out.candidates = both;
      }
    }
  }
  if (out.candidates.empty() && !unknown_numbers.empty())
    out.reason = join(unknown_numbers, "、") + "不在" + dir_.district + "的小区目录中";
  return out;
}

resolution resolver::finish(const text_result& r) const {
  resolution out;
  out.building = r.building;
  out.room = r.room;
  for (auto i : r.candidates) out.candidates.push_back(dir_.communities[i].name);
  if (r.candidates.size() == 1) {
    auto i = *r.candidates.begin();
    const auto& c = dir_.communities[i];
    out.to = route::firm;
    out.community_name = c.name;
    out.committee = c.committee;
    out.firm = c.firm;
    out.reason = "地址匹配“" + c.name + "”，由" + c.firm + "负责";
    if (!r.note.empty()) out.reason += "（" + r.note + "）";
    return out;
  }
  out.to = route::station;
  if (!r.reason.empty()) {
    out.reason = r.reason;
  } else if (r.candidates.size() > 1) {
    out.reason = "地址可能属于多个小区：" + join(out.candidates, "、") + "，需应急维修服务站确认";
  } else {
    out.reason = "地址未能匹配" + dir_.district + "的小区，转应急维修服务站分拣";
  }
  // All candidates in one committee: the committee is still known, and is told.
  std::set<std::string> committees;
  for (auto i : r.candidates) committees.insert(dir_.communities[i].committee);
  if (committees.size() == 1) out.committee = *committees.begin();
  return out;
}

resolution resolver::resolve(std::string_view address, std::string_view content) const {
  auto from_address = resolve_text(norm32(address));
  if (from_address.candidates.size() == 1 || from_address.signal || content.empty()) return finish(from_address);
  auto from_content = resolve_text(norm32(content));
  if (!from_content.signal) return finish(from_address);
  auto out = finish(from_content);
  out.reason += address.empty() ? "（地址为空，从报修内容中识别）" : "（地址无法识别，从报修内容中识别）";
  return out;
}

}  // namespace halfhour::sla
