// Numbers in addresses: Chinese numerals read as digits, road + lane ("凌兆路521弄"), a lane
// written without its road ("555弄"), and the building and room that follow.
#include <algorithm>

#include "sla/resolver.hpp"
#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_han(char32_t c) { return c >= 0x4E00 && c <= 0x9FFF; }

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

// Everyday and formal (大写, as on receipts) numerals alike.
int chinese_digit(char32_t c) {
  static constexpr std::u32string_view digits = U"〇一二三四五六七八九", formal = U"零壹贰叁肆伍陆柒捌玖";
  if (c == U'两') return 2;
  auto at = digits.find(c);
  if (at == std::u32string_view::npos) at = formal.find(c);
  return at == std::u32string_view::npos ? -1 : static_cast<int>(at);
}

int chinese_unit(char32_t c) {
  if (c == U'十' || c == U'拾') return 10;
  if (c == U'百' || c == U'佰') return 100;
  return c == U'千' || c == U'仟' ? 1000 : 0;
}

// The value of a run of Chinese numerals: digit by digit ("五二一", "六〇八") or with units
// ("五百二十一", "六百零八", "十四"); -1 when it is neither ("五百五百").
long chinese_value(std::u32string_view run) {
  if (run.size() > 8) return -1;  // no lane or building is numbered so: and it cannot overflow
  const bool units = std::any_of(run.begin(), run.end(), [](char32_t c) { return chinese_unit(c) > 0; });
  long total = 0;
  if (!units) {
    for (char32_t c : run) total = total * 10 + chinese_digit(c);
    return total;
  }
  long digit = -1;
  int last_unit = 10000;
  for (char32_t c : run) {
    if (int u = chinese_unit(c); u > 0) {
      if (u >= last_unit) return -1;
      total += (digit < 0 ? 1 : digit) * u;
      last_unit = u;
      digit = -1;
    } else if (c == U'零' || c == U'〇') {
      digit = -1;  // a place skipped: "六百零八"
    } else {
      if (digit >= 0) return -1;  // two digits in a row beside units: not a number people write
      digit = chinese_digit(c);
    }
  }
  return total + std::max(digit, 0L);
}

bool is_chinese_numeral(char32_t c) { return chinese_digit(c) >= 0 || chinese_unit(c) > 0; }

// What a numeral must stand before to be a number of the address rather than part of a name.
bool numbers_a_place(char32_t next) { return next == U'弄' || next == U'号' || next == U'栋' || next == U'幢'; }

// The part of a split lane written anywhere ("A区", "(B)"); "?" when both are, or the two are
// written as alternatives ("未说A/B区").
std::string part_written(std::u32string_view t) {
  for (std::u32string_view both : {U"A/B", U"A、B", U"A或B", U"A还是B", U"AB区"})
    if (t.find(both) != std::u32string_view::npos) return "?";
  std::string part;
  for (std::u32string_view p : {U"A区", U"A块", U"A座", U"(A)"})
    if (t.find(p) != std::u32string_view::npos) part = "A";
  for (std::u32string_view p : {U"B区", U"B块", U"B座", U"(B)"})
    if (t.find(p) != std::u32string_view::npos) part = part.empty() ? "B" : "?";
  return part;
}

}  // namespace

std::u32string read_chinese_numerals(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_chinese_numeral(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_chinese_numeral(text[end])) ++end;
    const auto run = text.substr(i, end - i);
    const long value = end < text.size() && numbers_a_place(text[end]) ? chinese_value(run) : -1;
    if (value >= 0) {
      for (char c : std::to_string(value)) out.push_back(static_cast<char32_t>(c));
    } else {
      out.append(run);
    }
    i = end;
  }
  return out;
}

// Building and room after the lane ("3号502室", "3号楼502", "12栋301", "8-1102") or a name.
void resolver::read_building_room(std::u32string_view t, std::size_t pos, std::string& building, std::string& room) {
  while (pos < t.size() && !is_digit(t[pos])) ++pos;
  std::size_t start = pos;
  int b = read_number(t, pos);
  if (b < 0) return;
  auto rest = t.substr(pos);
  if (rest.starts_with(U"号楼") || rest.starts_with(U"号") || rest.starts_with(U"栋") || rest.starts_with(U"幢") ||
      rest.starts_with(U"楼")) {
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

// Every "…路" followed by a number: a road of the directory (or one character off it) gives its
// lane; any other road is outside the sub-district ("杨思路1000弄", "莘松路958弄").
void resolver::read_lanes(std::u32string_view t, bool from_content, evidence& ev) const {
  std::vector<bool> used(t.size(), false);
  for (std::size_t p = 0; p + 1 < t.size(); ++p) {
    if (t[p] != U'路' || !is_digit(t[p + 1])) continue;
    std::vector<std::size_t> exact, near;
    for (std::size_t r = 0; r < roads_.size(); ++r) {
      const auto& name = roads_[r].name;
      if (p + 1 < name.size()) continue;
      const auto window = t.substr(p + 1 - name.size(), name.size());
      if (window == name) exact.push_back(r);
      else if (edit_distance(window, name, 1) <= 1) near.push_back(r);
    }
    if (!exact.empty() || near.size() == 1) {
      const bool is_exact = !exact.empty();
      read_road_lane(t, p + 1, is_exact ? exact.front() : near.front(), is_exact, from_content, ev, used);
      continue;
    }
    std::size_t start = p;
    constexpr std::u32string_view above_road = U"区镇市省道";  // "闵行区莘松路": the road is 莘松路
    while (start > 0 && p - start < 3 && is_han(t[start - 1]) &&
           above_road.find(t[start - 1]) == std::u32string_view::npos)
      --start;
    std::size_t pos = p + 1;
    read_number(t, pos);
    if (pos >= t.size() || (t[pos] != U'弄' && t[pos] != U'号')) continue;  // "一路3楼" is no address
    ++pos;
    std::fill(used.begin() + static_cast<std::ptrdiff_t>(p + 1), used.begin() + static_cast<std::ptrdiff_t>(pos), true);
    if (start < p) ev.outside.push_back(to_utf8(t.substr(start, pos - start)));
  }
  read_bare_lanes(t, from_content, used, ev);
  for (const auto& r : roads_) {
    for (auto p = t.find(r.name); p != std::u32string_view::npos; p = t.find(r.name, p + 1))
      if (p + r.name.size() >= t.size() || !is_digit(t[p + r.name.size()])) {
        if (std::find(ev.roads.begin(), ev.roads.end(), r.utf8) == ev.roads.end()) ev.roads.push_back(r.utf8);
      }
  }
}

// "上浦路505、565弄3号": the numbers after a road of the directory, their 弄 or 号, A or B.
void resolver::read_road_lane(std::u32string_view t, std::size_t pos, std::size_t road, bool exact, bool from_content,
                              evidence& ev, std::vector<bool>& used) const {
  const auto start = pos;
  std::vector<int> numbers;
  for (int n = read_number(t, pos); n >= 0; n = read_number(t, pos)) {
    numbers.push_back(n);
    if (pos < t.size() && (t[pos] == U'、' || t[pos] == U',' || t[pos] == U'/')) ++pos;
    else break;
  }
  std::string suffix;
  if (pos < t.size() && (t[pos] == U'弄' || t[pos] == U'号')) suffix = to_utf8(t.substr(pos++, 1));
  std::fill(used.begin() + static_cast<std::ptrdiff_t>(start), used.begin() + static_cast<std::ptrdiff_t>(pos), true);
  const auto& road_name = roads_[road].utf8;
  std::vector<std::size_t> on_lane;
  for (std::size_t i = 0; i < dir_.communities.size(); ++i) {
    const auto& c = dir_.communities[i];
    if (c.road != road_name || (!suffix.empty() && suffix != c.number_suffix)) continue;
    if (std::any_of(numbers.begin(), numbers.end(),
                    [&](int n) { return std::find(c.numbers.begin(), c.numbers.end(), n) != c.numbers.end(); }))
      on_lane.push_back(i);
  }
  const std::string written = road_name + std::to_string(numbers.front()) + (suffix.empty() ? "弄" : suffix);
  if (on_lane.empty()) {
    ev.unknown.push_back(written);
    return;
  }
  mention m;
  m.exact = exact;
  m.from_content = from_content;
  m.written = written;
  if (!exact) m.note = "路名疑似笔误，按“" + road_name + "”匹配";
  add_lane(std::move(on_lane), t, pos, std::move(m), ev);
}

// "555弄" with no road: people write the lane alone when everyone around knows the road. It
// names a community when that lane number is on one road only ("711弄" is on two).
void resolver::read_bare_lanes(std::u32string_view t, bool from_content, const std::vector<bool>& used,
                               evidence& ev) const {
  for (std::size_t p = 0; p < t.size(); ++p) {
    if (!is_digit(t[p]) || used[p] || (p > 0 && (is_digit(t[p - 1]) || t[p - 1] == U'路' || t[p - 1] == U'街')))
      continue;
    std::size_t pos = p;
    const int n = read_number(t, pos);
    if (pos >= t.size() || t[pos] != U'弄') continue;
    ++pos;
    std::vector<std::size_t> on_lane;
    std::set<std::string> roads;
    for (std::size_t i = 0; i < dir_.communities.size(); ++i) {
      const auto& c = dir_.communities[i];
      if (c.number_suffix == "弄" && std::find(c.numbers.begin(), c.numbers.end(), n) != c.numbers.end()) {
        on_lane.push_back(i);
        roads.insert(c.road);
      }
    }
    const std::string written = std::to_string(n) + "弄";
    if (on_lane.empty()) {
      ev.unknown.push_back(written);
      continue;
    }
    mention m;
    m.exact = false;  // a guess at the road, however good
    m.from_content = from_content;
    m.written = written;
    // "凌兆路那边的711弄": a road of the lane written elsewhere in the same text picks it.
    if (roads.size() > 1) {
      std::set<std::string> named;
      for (const auto& r : roads)
        if (t.find(normalise(to_u32(r))) != std::u32string_view::npos) named.insert(r);
      if (named.size() == 1) {
        std::erase_if(on_lane, [&](std::size_t i) { return dir_.communities[i].road != *named.begin(); });
        m.note = "“" + written + "”在多条路上都有，按文中所写的" + *named.begin() + "匹配";
        roads = named;
      }
    }
    if (roads.size() == 1) {
      if (m.note.empty()) m.note = "只写了“" + written + "”，此弄号只在" + *roads.begin() + "上";
    } else {
      std::string list;
      for (const auto& r : roads) list += (list.empty() ? "" : "、") + r;
      m.several = "“" + written + "”在" + list + "都有，地址未写路名";
    }
    add_lane(std::move(on_lane), t, pos, std::move(m), ev);
  }
}

// A lane split between two firms (凌兆路586弄 A/B) resolves only with its part written.
void resolver::add_lane(std::vector<std::size_t> on_lane, std::u32string_view t, std::size_t pos, mention m,
                        evidence& ev) const {
  std::string part;
  if (pos < t.size() && (t[pos] == U'A' || t[pos] == U'B')) part = to_utf8(t.substr(pos++, 1));
  if (part.empty()) part = part_written(t);
  std::set<std::string> lanes_split;
  for (auto i : on_lane)
    if (!dir_.communities[i].part.empty()) lanes_split.insert(dir_.communities[i].road);
  if (!lanes_split.empty() && (part == "A" || part == "B")) {
    std::erase_if(on_lane, [&](std::size_t i) {
      const auto& c = dir_.communities[i];
      return !c.part.empty() && c.part != part;
    });
  } else if (!lanes_split.empty()) {
    m.several = m.written + "分A、B两区，分属不同物业，地址未注明A区或B区";
  }
  m.candidates.insert(on_lane.begin(), on_lane.end());
  m.end = pos;
  ev.mentions.push_back(std::move(m));
}

}  // namespace halfhour::sla
