// Numbers in addresses: Chinese numerals read as digits, road + lane ("凌兆路521弄"), a lane
// written without its road ("555弄"), and the building and room that follow.
#include <algorithm>

#include "sla/resolver.hpp"
#include "sla/resolver_util.hpp"
#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

using namespace resolver_util;

// "709或711", for the station.
std::string join_numbers(const std::vector<int>& numbers) {
  std::string out;
  for (std::size_t i = 0; i < numbers.size(); ++i) out += (i ? "或" : "") + std::to_string(numbers[i]);
  return out;
}

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

// Every numeral lies at or above 〇 (U+3007): the ASCII, Latin and punctuation most of a text is
// are told apart without searching the two lists.
bool is_chinese_numeral(char32_t c) { return c >= U'〇' && (chinese_digit(c) >= 0 || chinese_unit(c) > 0); }

// What a numeral must stand before to be a number of the address rather than part of a name.
bool numbers_a_place(char32_t next) { return next == U'弄' || next == U'号' || next == U'栋' || next == U'幢'; }

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

// The part of a split lane written anywhere ("A区", "(B)"); "?" when both are, or the two are
// written as alternatives ("未说A/B区").
std::string resolver::part_written(std::u32string_view t) {
  const auto has = [&](std::u32string_view what) { return t.find(what) != std::u32string_view::npos; };
  if (!has(U"A") && !has(U"B")) return "";
  for (std::u32string_view both : {U"A/B", U"A、B", U"A或B", U"A还是B", U"AB区", U"A和B", U"A与B", U"A跟B"})
    if (has(both)) return "?";
  const auto any = [&](std::initializer_list<std::u32string_view> forms) {
    return std::any_of(forms.begin(), forms.end(), has);
  };
  const bool a = any({U"A区", U"A块", U"A座", U"(A)"}), b = any({U"B区", U"B块", U"B座", U"(B)"});
  return a && b ? "?" : a ? "A" : b ? "B" : "";
}

// Every "…路" followed by a number: a road of the directory (or one character off it) gives its
// lane; any other road is outside the sub-district ("杨思路1000弄", "莘松路958弄").
void resolver::read_lanes(const reading& r, evidence& ev) const {
  const std::u32string_view t = r.text;
  std::vector<bool> used(t.size(), false);
  for (std::size_t p = 0; p + 1 < t.size(); ++p) {
    if (t[p] != U'路' || !is_digit(t[p + 1])) continue;
    auto exact = std::find_if(r.hits.begin(), r.hits.end(),
                              [&](const word_index::hit& h) { return kind_of(h.id) == word::road && h.end == p + 1; });
    if (exact != r.hits.end() && read_road_lane(r, p + 1, {index_of(exact->id)}, true, used, ev)) continue;
    std::vector<std::size_t> near;
    for (std::size_t k = 0; k < roads_.size(); ++k) {
      const auto& name = roads_[k].name;
      if (p + 1 >= name.size() && edits_up_to_one(t.substr(p + 1 - name.size(), name.size()), name) == 1)
        near.push_back(k);
    }
    if (!near.empty() && read_road_lane(r, p + 1, near, false, used, ev)) continue;
    read_road_outside(t, p, used, ev);
  }
  read_bare_lanes(r, used, ev);
  for (const auto& h : r.hits)
    if (kind_of(h.id) == word::road && (h.end >= t.size() || !is_digit(t[h.end])))
      add_unique(ev.roads, roads_[index_of(h.id)].utf8);
}

// "杨思路1000弄": a road not of the directory with its lane or number is elsewhere.
void resolver::read_road_outside(std::u32string_view t, std::size_t p, std::vector<bool>& used, evidence& ev) {
  std::size_t start = p;
  constexpr std::u32string_view above_road = U"区镇市省道";  // "闵行区莘松路": the road is 莘松路
  while (start > 0 && p - start < 3 && is_han(t[start - 1]) && !in(above_road, t[start - 1])) --start;
  std::size_t pos = p + 1;
  read_number(t, pos);
  if (pos >= t.size() || (t[pos] != U'弄' && t[pos] != U'号')) return;  // "一路3楼" is no address
  ++pos;
  std::fill(used.begin() + static_cast<std::ptrdiff_t>(p + 1), used.begin() + static_cast<std::ptrdiff_t>(pos), true);
  if (start < p) add_unique(ev.outside, to_utf8(t.substr(start, pos - start)));
}

// "上浦路505、565弄3号": the numbers after a road of the directory, their 弄 or 号, A or B. Of
// several roads one character off what was written ("上蒲路" is 上浦路 and 上南路 alike), the one
// that has the lane; none or several: not read here.
namespace {

// "12号楼", "5幢", "3栋", "7号": a building's number.
bool building_follows(std::u32string_view t, std::size_t p) {
  const auto first = p;
  while (p < t.size() && is_digit(t[p])) ++p;
  return p > first && p < t.size() && in(U"号栋幢", t[p]);
}

}  // namespace

bool resolver::read_road_lane(const reading& r, std::size_t pos, const std::vector<std::size_t>& roads, bool exact,
                              std::vector<bool>& used, evidence& ev) const {
  const std::u32string_view t = r.text;
  auto lane = read_lane(t, pos);
  if (lane.numbers.empty()) return false;
  const auto take = [&] {
    std::fill(used.begin() + static_cast<std::ptrdiff_t>(pos), used.begin() + static_cast<std::ptrdiff_t>(lane.end),
              true);
  };
  if (lane.approximate) {  // the road alone is known: the station asks which lane
    take();
    add_unique(ev.roads, roads_[roads.front()].utf8);
    return true;
  }
  std::size_t road = roads.front();
  std::vector<std::size_t> on_lane = on_road(road, lane.numbers, lane.suffix);
  if (roads.size() > 1) {
    std::vector<std::size_t> with_lane;
    for (auto k : roads)
      if (!on_road(k, lane.numbers, lane.suffix).empty()) with_lane.push_back(k);
    if (with_lane.size() != 1) return false;
    road = with_lane.front();
    on_lane = on_road(road, lane.numbers, lane.suffix);
  }
  take();
  // "凌兆路709弄或者711弄" where the road has one of them: the caller is unsure, and the other may
  // be a lane the directory does not know; the station asks.
  if (lane.offered && std::any_of(lane.numbers.begin(), lane.numbers.end(),
                                  [&](int n) { return on_road(road, {n}, lane.suffix).empty(); }))
    ev.undecided = roads_[road].utf8 + "的" + join_numbers(lane.numbers) + "弄，来电人未说定是哪一个";
  // "凌兆路608号12号楼": a number with a building after it is a lane written with 号, when the road
  // has that lane and no such street number.
  std::string read_as;
  if (on_lane.empty() && lane.suffix == "号" && building_follows(t, lane.end)) {
    on_lane = on_road(road, lane.numbers, "弄");
    if (!on_lane.empty()) {
      lane.suffix = "弄";
      read_as = "“" + roads_[road].utf8 + std::to_string(lane.numbers.front()) + "号”后接楼号，按弄号匹配";
    }
  }
  const auto& road_name = roads_[road].utf8;
  const std::string written =
      road_name + std::to_string(lane.numbers.front()) + (lane.suffix.empty() ? "弄" : lane.suffix);
  if (on_lane.empty()) {
    add_unique(ev.unknown, written);
    return true;
  }
  mention m;
  m.exact = exact;
  m.from_content = r.from_content;
  m.begin = pos - std::min(pos, roads_[road].name.size());
  m.written = written;
  if (!exact) m.note = "路名疑似笔误，按“" + road_name + "”匹配";
  if (!read_as.empty()) m.note += (m.note.empty() ? "" : "；") + read_as;
  add_lane(std::move(on_lane), t, lane.end, std::move(m), ev);
  return true;
}

// "505、565弄", "709或711弄", "709还是711弄", "521/555弄": the numbers a lane was written with.
resolver::lane_written resolver::read_lane(std::u32string_view t, std::size_t pos) {
  lane_written lane;
  for (int n = read_number(t, pos); n >= 0; n = read_number(t, pos)) {
    lane.numbers.push_back(n);
    const auto rest = t.substr(pos);
    // "505、565弄" lists one lane's numbers, and "480/6/501" (lane/building/room) goes on as a list;
    // "709或711弄" and "709弄还是711弄" offer alternatives. After a 弄 only these two go on.
    constexpr std::u32string_view listing[] = {U"、", U",", U"/"};
    constexpr std::u32string_view offering[] = {U"或者", U"或", U"还是"};
    const std::size_t lane_mark = rest.starts_with(U"弄") ? 1 : 0;
    const auto after = rest.substr(lane_mark);
    const auto next_number = [&](std::u32string_view sep) {
      return after.starts_with(sep) && after.size() > sep.size() && is_digit(after[sep.size()]);
    };
    const auto offered = std::find_if(std::begin(offering), std::end(offering), next_number);
    const auto listed = std::find_if(std::begin(listing), std::end(listing), [&](std::u32string_view sep) {
      return (lane_mark == 0 || sep == U"/") && next_number(sep);
    });
    if (offered == std::end(offering) && listed == std::end(listing)) break;  // the list goes on only to a number
    lane.offered = lane.offered || offered != std::end(offering);
    pos += lane_mark + (offered != std::end(offering) ? offered->size() : listed->size());
  }
  // "500多弄": roughly 500, so no lane in particular.
  if (!lane.numbers.empty() && pos + 1 < t.size() && in(U"多几来余", t[pos]) && in(U"弄号", t[pos + 1])) {
    lane.approximate = true;
    pos += 1;
  }
  if (pos < t.size() && (t[pos] == U'弄' || t[pos] == U'号')) lane.suffix = to_utf8(t.substr(pos++, 1));
  lane.end = pos;
  return lane;
}

std::vector<std::size_t> resolver::on_road(std::size_t road, const std::vector<int>& numbers,
                                           std::string_view suffix) const {
  std::vector<std::size_t> out;
  for (auto i : roads_[road].communities) {
    const auto& c = dir_.communities[i];
    if (!suffix.empty() && suffix != c.number_suffix) continue;
    if (std::any_of(numbers.begin(), numbers.end(),
                    [&](int n) { return std::find(c.numbers.begin(), c.numbers.end(), n) != c.numbers.end(); }))
      out.push_back(i);
  }
  return out;
}

// "555弄" with no road: people write the lane alone when everyone around knows the road. It
// names a community when that lane number is on one road only ("711弄" is on two). A street
// number alone ("359号") counts only as large as no building is numbered.
void resolver::read_bare_lanes(const reading& r, const std::vector<bool>& used, evidence& ev) const {
  const std::u32string_view t = r.text;
  for (std::size_t p = 0; p < t.size(); ++p) {
    if (!is_digit(t[p]) || used[p] || (p > 0 && (is_digit(t[p - 1]) || t[p - 1] == U'路' || t[p - 1] == U'街')))
      continue;
    if (const auto list = read_lane(t, p); list.numbers.size() > 1 && list.suffix == "弄") {
      // Alternatives ("709还是711弄", "521/555弄"): each its own place, so two lanes stay two.
      for (int n : list.numbers) read_bare_lane(r, n, "弄", p, list.end, ev);
      p = list.end - 1;
      continue;
    }
    std::size_t pos = p;
    const int n = read_number(t, pos);
    if (pos < t.size() && split_part_follows(t, pos, n)) {  // "586A": a split lane's part, 弄 left out
      read_bare_lane(r, n, "弄", p, pos, ev);
      continue;
    }
    if (pos >= t.size() || (t[pos] != U'弄' && !street_number(t, p, pos, n))) continue;
    const std::string suffix = to_utf8(t.substr(pos++, 1));
    read_bare_lane(r, n, suffix, p, pos, ev);
  }
}

// A lane number with the letter of its part right after it ("586A", "530B 7号"), where that lane
// is split into parts: people write it so on chat and at the desk.
bool resolver::split_part_follows(std::u32string_view t, std::size_t pos, int n) const {
  if (t[pos] != U'A' && t[pos] != U'B') return false;
  if (pos + 1 < t.size() && t[pos + 1] >= U'A' && t[pos + 1] <= U'Z') return false;  // a word, not a part
  return std::any_of(dir_.communities.begin(), dir_.communities.end(), [&](const community& c) {
    return !c.part.empty() && c.number_suffix == "弄" &&
           std::find(c.numbers.begin(), c.numbers.end(), n) != c.numbers.end();
  });
}

// One lane number read without its road: the communities with it, the road picked if it can be.
void resolver::read_bare_lane(const reading& r, int n, const std::string& suffix, std::size_t p, std::size_t pos,
                              evidence& ev) const {
  const std::u32string_view t = r.text;
  std::vector<std::size_t> on_lane;
  std::set<std::string> roads;
  for (std::size_t i = 0; i < dir_.communities.size(); ++i) {
    const auto& c = dir_.communities[i];
    if (c.number_suffix == suffix && std::find(c.numbers.begin(), c.numbers.end(), n) != c.numbers.end()) {
      on_lane.push_back(i);
      roads.insert(c.road);
    }
  }
  const std::string written = std::to_string(n) + suffix;
  if (on_lane.empty()) {
    if (suffix == "弄") add_unique(ev.unknown, written);
    return;
  }
  mention m;
  m.exact = false;  // a guess at the road, however good
  m.from_content = r.from_content;
  m.begin = p;
  m.written = written;
  pick_road(t, on_lane, roads, m);
  add_lane(std::move(on_lane), t, pos, std::move(m), ev);
}

// "小区后门 359号": a number before 号 that no building has (100 and up), not after a lane or a
// building, and not before 楼 or 室.
bool resolver::street_number(std::u32string_view t, std::size_t begin, std::size_t end, int n) {
  if (end >= t.size() || t[end] != U'号' || n < 100) return false;
  if (begin > 0 && std::u32string_view(U"弄号楼栋幢室-#").find(t[begin - 1]) != std::u32string_view::npos) return false;
  return end + 1 >= t.size() || (t[end + 1] != U'楼' && t[end + 1] != U'室');
}

// A lane on several roads: a road of the lane written elsewhere in the same text picks it
// ("凌兆路那边的711弄"); else it stays on all of them, and says so.
void resolver::pick_road(std::u32string_view t, std::vector<std::size_t>& on_lane, std::set<std::string>& roads,
                         mention& m) const {
  if (roads.size() > 1) {
    std::set<std::string> named;
    for (const auto& road : roads_)
      if (roads.count(road.utf8) && t.find(road.name) != std::u32string_view::npos) named.insert(road.utf8);
    if (named.size() == 1) {
      std::erase_if(on_lane, [&](std::size_t i) { return dir_.communities[i].road != *named.begin(); });
      m.note = "“" + m.written + "”在多条路上都有，按文中所写的" + *named.begin() + "匹配";
      roads = named;
    }
  }
  if (roads.size() == 1) {
    if (m.note.empty())
      m.note = "只写了“" + m.written + "”，此" + (m.written.ends_with("弄") ? "弄号" : "门牌号") + "只在" +
               *roads.begin() + "上";
  } else {
    std::string list;
    for (const auto& road : roads) list += (list.empty() ? "" : "、") + road;
    m.several = "“" + m.written + "”在" + list + "都有，地址未写路名";
  }
}

// A lane split between two firms (凌兆路586弄 A/B) resolves only with its part written; the part
// may also be written in the other text (settle_parts).
void resolver::add_lane(std::vector<std::size_t> on_lane, std::u32string_view t, std::size_t pos, mention m,
                        evidence& ev) const {
  const bool split =
      std::any_of(on_lane.begin(), on_lane.end(), [&](std::size_t i) { return !dir_.communities[i].part.empty(); });
  std::string part;
  if (split && pos < t.size() && (t[pos] == U'A' || t[pos] == U'B')) part = to_utf8(t.substr(pos++, 1));
  // "530A还是B", "586A/B": the letter right after the number is one of two offered.
  if (!part.empty() && part_written(t) == "?") part = "?";
  if (split && part.empty()) part = part_written(t);
  if (split && (part == "A" || part == "B")) {
    std::erase_if(on_lane, [&](std::size_t i) {
      const auto& c = dir_.communities[i];
      return !c.part.empty() && c.part != part;
    });
  } else if (split) {
    m.several = m.written + "分A、B两区，分属不同物业，地址未注明A区或B区";
    m.part_open = part.empty();
  }
  m.candidates.insert(on_lane.begin(), on_lane.end());
  m.end = pos;
  ev.mentions.push_back(std::move(m));
}

}  // namespace halfhour::sla
