// Names in addresses: communities, their nicknames and shared names, residents' committees,
// near-miss spellings, and the names of places outside the sub-district.
#include <algorithm>

#include "sla/resolver.hpp"
#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_han(char32_t c) { return c >= 0x4E00 && c <= 0x9FFF; }
bool in(std::u32string_view set, char32_t c) { return set.find(c) != std::u32string_view::npos; }

// The last character of most community names ("苑", "园", "公寓"): people swap 苑 and 园 freely,
// and a near miss of such a name must still end in one, so "三林镇", "三林那边" are not 三林苑
// and "凌云公司" is not 凌云公寓.
bool place_suffix(char32_t c) { return in(U"苑园院寓墅", c); }

// How far `window` is from `name`, when within one edit: 1 for 苑 and 园 swapped ("丹桂园"),
// 2 for a character dropped or added ("锦丽苑" for 锦丽新苑, "湾流域第二期"), 3 for one wrong
// ("丹贵苑"); 0 when it is no near miss. A wrong character is the weakest evidence: "金禾苑" is
// 金禾新苑 with 新 dropped before it is 金桂苑 misspelt.
int typo_cost(std::u32string_view window, std::u32string_view name) {
  if (place_suffix(name.back()) && !place_suffix(window.back())) return 0;
  if (edit_distance(window, name, 1) != 1) return 0;  // 0 is the name itself, inside a longer name
  if (window.size() != name.size()) return 2;
  std::size_t at = 0;
  while (window[at] == name[at]) ++at;
  return place_suffix(window[at]) && place_suffix(name[at]) ? 1 : 3;
}

// A committee's bare name ("新一", "金光") inside a word is not the committee: "重新一轮",
// "新一代", "金光闪闪". Written with 居委 it always is.
bool committee_written(std::u32string_view t, std::size_t begin, std::size_t end, bool bare) {
  if (!bare) return true;
  if (begin > 0 && in(U"重最全崭更刷焕", t[begin - 1])) return false;
  return end >= t.size() || !in(U"轮代批届次年版板期季闪号", t[end]);
}

}  // namespace

// Exact names, longest first: "古银杏苑" must not also count as "银杏苑", nor "尚桂苑居委" as the
// community 尚桂苑.
void resolver::read_names(std::u32string_view t, bool from_content, evidence& ev) const {
  struct hit {
    std::size_t begin, end, entry;
  };
  std::vector<hit> hits;
  for (std::size_t e = 0; e < names_.size(); ++e) {
    const auto& n = names_[e].name;
    for (auto p = t.find(n); p != std::u32string_view::npos; p = t.find(n, p + 1)) hits.push_back({p, p + n.size(), e});
  }
  std::erase_if(hits, [&](const hit& a) {
    return std::any_of(hits.begin(), hits.end(), [&](const hit& b) {
      return b.begin <= a.begin && b.end >= a.end && (b.end - b.begin) > (a.end - a.begin);
    });
  });
  std::set<std::size_t> seen;
  for (const auto& h : hits) {
    const auto& e = names_[h.entry];
    if (e.kind == name_kind::committee && !committee_written(t, h.begin, h.end, to_utf8(e.name) == e.label)) continue;
    if (e.kind == name_kind::stem &&
        !(h.end < t.size() && (is_digit(t[h.end]) || t.substr(h.end).starts_with(U"小区"))))
      continue;
    if (!seen.insert(h.entry).second) continue;
    mention m;
    m.candidates.insert(e.communities.begin(), e.communities.end());
    m.area = e.kind == name_kind::shared || e.kind == name_kind::committee;
    m.from_content = from_content;
    m.end = h.end;
    m.written = to_utf8(t.substr(h.begin, h.end - h.begin));
    if ((e.kind == name_kind::alias || e.kind == name_kind::stem) && m.written != e.label)
      m.note = "“" + m.written + "”即" + e.label;
    if (e.kind == name_kind::committee && e.communities.size() == 1) m.note = e.label + "居委只管这一个小区";
    if (e.kind == name_kind::committee && e.communities.size() > 1)
      m.several = e.label + "居委管辖" + std::to_string(e.communities.size()) + "个小区，地址未说明是哪一个";
    if (e.kind == name_kind::shared)
      m.several = "“" + m.written + "”包括" + names_of(m.candidates) + "，地址未说明是哪一个";
    ev.mentions.push_back(std::move(m));
  }
}

// Near misses ("丹贵苑", "凌兆加苑", "永泰花园"): names one edit away, never across digits or a
// road, so "三林路" is not read as "三林苑". Returns whether any was found.
bool resolver::read_typos(std::u32string_view t, bool from_content, evidence& ev) const {
  int best = 4;
  std::size_t best_end = 0;
  std::set<std::size_t> fuzzy;
  std::u32string_view best_window;
  std::string fuzzy_name;
  // Names read exactly in this text: a window inside one ("辰三林苑" in "衡辰三林苑") is no typo.
  std::vector<std::pair<std::size_t, std::size_t>> exact;
  for (const auto& m : ev.mentions)
    if (m.from_content == from_content) exact.emplace_back(m.end - std::min(m.end, to_u32(m.written).size()), m.end);
  const auto inside_exact = [&](std::size_t b, std::size_t e) {
    return std::any_of(exact.begin(), exact.end(), [&](const auto& x) { return x.first <= b && e <= x.second; });
  };
  for (const auto& entry : names_) {
    const auto& n = entry.name;
    if (n.size() < 3 || entry.kind == name_kind::committee || entry.kind == name_kind::stem) continue;
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
        if (std::any_of(window.begin(), window.end(), [](char32_t c) { return is_digit(c) || c == U'路'; }) ||
            inside_exact(p, p + len))
          continue;
        const int cost = typo_cost(window, n);
        if (cost == 0 || cost > best) continue;
        if (cost < best) {
          best = cost;
          fuzzy.clear();
        }
        fuzzy.insert(entry.communities.begin(), entry.communities.end());
        fuzzy_name = entry.label;
        best_window = window;
        best_end = p + len;
      }
    }
  }
  if (fuzzy.empty()) return false;
  mention m;
  m.candidates = fuzzy;
  m.exact = false;
  m.from_content = from_content;
  m.end = best_end;
  m.written = to_utf8(best_window);
  if (fuzzy.size() == 1) m.note = "小区名疑似笔误，按“" + fuzzy_name + "”匹配";
  else m.several = "“" + m.written + "”与" + names_of(fuzzy) + "都只差一个字";
  ev.mentions.push_back(std::move(m));
  return true;
}

// Places that say the request is not the sub-district's: another district of Shanghai, a town
// (镇) or a street (街道) other than this one. Roads outside are found with their lanes.
void resolver::read_outside(std::u32string_view t, evidence& ev) const {
  // Shanghai's districts but Pudong, where the sub-district is.
  static constexpr std::u32string_view districts[] = {U"黄浦", U"徐汇", U"长宁", U"静安", U"普陀",
                                                      U"虹口", U"杨浦", U"闵行", U"宝山", U"嘉定",
                                                      U"金山", U"松江", U"青浦", U"奉贤", U"崇明"};
  for (auto d : districts) {
    auto p = t.find(d);
    if (p != std::u32string_view::npos && !(d == U"黄浦" && p + 2 < t.size() && t[p + 2] == U'江'))
      ev.outside.push_back(to_utf8(d) + "区");
  }
  // "三林镇", "北蔡镇": a place name before 镇; "冰镇", "城镇", "镇定" are words, not towns.
  for (auto p = t.find(U'镇'); p != std::u32string_view::npos; p = t.find(U'镇', p + 1)) {
    if (p < 2 || !is_han(t[p - 1]) || !is_han(t[p - 2]) || in(U"冰城乡重坐村", t[p - 1])) continue;
    if (p + 1 < t.size() && in(U"定静压守住", t[p + 1])) continue;
    ev.outside.push_back(to_utf8(t.substr(p - 2, 3)));
  }
  // "田林街道", "外街道": any street but this one; "本街道", "给街道打电话" name no place.
  const auto own = normalise(to_u32(dir_.district));
  for (auto p = t.find(U"街道"); p != std::u32string_view::npos; p = t.find(U"街道", p + 1)) {
    if (p == 0 || !is_han(t[p - 1]) ||
        in(U"个本该各给到找向跟和与及或对从把由请的报问转在经过去来是被让叫都也了上里们", t[p - 1]))
      continue;
    if (t.substr(0, p + 2).ends_with(own)) continue;
    std::size_t start = p;
    while (start > 0 && p - start < 3 && is_han(t[start - 1]) && !in(U"区镇市", t[start - 1])) --start;
    ev.outside.push_back(to_utf8(t.substr(start, p + 2 - start)));
  }
}

}  // namespace halfhour::sla
