// Names in addresses: communities, their nicknames and shared names, residents' committees,
// near-miss spellings, and the names of places outside the sub-district.
#include <algorithm>

#include "sla/resolver.hpp"
#include "sla/resolver_util.hpp"
#include "sla/syllables.hpp"
#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

using namespace resolver_util;

// The last character of most community names ("苑", "园", "公寓"): people swap 苑 and 园 freely, and a
// near miss of such a name must still end in one ("三林镇" is not 三林苑, "凌云公司" not 凌云公寓).
bool place_suffix(char32_t c) { return in(U"苑园院寓墅", c); }

// Whether two characters share a syllable (tone aside), as a pinyin keyboard offers them for one:
// "丹贵苑" is 丹桂苑 typed by sound, "锦绣苑" is another name. Each character's syllables are
// looked up in one table sorted by character, built once from syllable_groups.
bool sounds_alike(char32_t a, char32_t b) {
  using reading = std::pair<char32_t, std::uint16_t>;
  static const std::vector<reading> readings = [] {
    std::vector<reading> out;
    for (std::size_t g = 0; g < std::size(syllable_groups); ++g)
      for (char32_t c : syllable_groups[g]) out.emplace_back(c, static_cast<std::uint16_t>(g));
    std::sort(out.begin(), out.end());
    return out;
  }();
  const auto of = [&](char32_t c) {
    return std::equal_range(readings.begin(), readings.end(), reading{c, 0},
                            [](const reading& x, const reading& y) { return x.first < y.first; });
  };
  const auto [a_begin, a_end] = of(a);
  const auto [b_begin, b_end] = of(b);
  for (auto x = a_begin; x != a_end; ++x)
    for (auto y = b_begin; y != b_end; ++y)
      if (x->second == y->second) return true;
  return false;
}

// A name of three with one character wrong and not typed by its sound: "锦绣苑" and "金丽苑" are
// other estates' names, not 锦翠苑 or 金桂苑 misspelt ("丹贵苑", "兰亭苑" are). Such a near miss
// only widens one typed by its sound.
bool heard_wrong(std::u32string_view window, std::u32string_view name) {
  if (name.size() >= 4 || window.size() != name.size()) return false;
  std::size_t at = 0;
  while (at < name.size() && window[at] == name[at]) ++at;
  return at < name.size() && !place_suffix(name[at]) && !sounds_alike(window[at], name[at]);
}

// How far `window` is from `name`, when within one edit: 1 for 苑 and 园 swapped ("丹桂园"),
// 2 for a character dropped or added ("锦丽苑" for 锦丽新苑, "湾流域第二期") or, in a name of four
// characters or more, one typed by its sound ("金河新苑"), 3 for one wrong ("凌兆英苑"); 0 when it
// is no near miss. A wrong character is the weakest evidence: "金禾苑" is 金禾新苑 with 新 dropped
// before it is 金桂苑 misspelt. In a name of three, one wrong character is a third of it: "红峰苑"
// stays as near 红柿苑 as 红枫苑 (heard_wrong); and the only character added is 花 or 新 before its
// ending, as people put those in freely ("锦翠花苑" for 锦翠苑, nearer than 翠竹苑 one character off).
int typo_cost(std::u32string_view window, std::u32string_view name) {
  if (place_suffix(name.back()) && !place_suffix(window.back())) return 0;
  if (edits_up_to_one(window, name) != 1) return 0;  // 0 is the name itself, inside a longer name
  if (window.size() != name.size() && name.size() >= 4) return 2;
  if (window.size() != name.size()) {
    const auto stem = name.substr(0, name.size() - 1);
    const bool put_in = window.size() == name.size() + 1 && window.substr(0, stem.size()) == stem &&
                        in(U"花新", window[stem.size()]) && window.back() == name.back();
    return put_in ? 2 : 0;
  }
  std::size_t at = 0;
  while (window[at] == name[at]) ++at;
  if (place_suffix(window[at]) && place_suffix(name[at])) return 1;
  return name.size() >= 4 && sounds_alike(window[at], name[at]) ? 2 : 3;
}

// Alone at one end of what was written, punctuation and emoji aside: "…… 锦丽" (spaces are gone by
// now, so the end of the text is enough), "锦丽：楼道灯坏". At the start a mark must part it from
// the rest: "凌云公司" is a company, not 凌云 written alone.
bool at_an_edge(std::u32string_view t, std::size_t begin, std::size_t end) {
  const auto word_char = [](char32_t c) { return is_han(c) || is_digit(c) || (c >= U'A' && c <= U'Z'); };
  const auto before = t.substr(0, begin), after = t.substr(end);
  if (std::none_of(after.begin(), after.end(), word_char)) return true;
  return std::none_of(before.begin(), before.end(), word_char) && !word_char(after.front());
}

// A committee's bare name ("新一", "金光") inside a word is not the committee: "重新一轮",
// "新一代", "换个新一点的", "金光闪闪". Written with 居委 it always is.
bool committee_written(std::u32string_view t, std::size_t begin, std::size_t end) {
  if (begin > 0 && in(U"重最全崭更刷焕换翻创革一", t[begin - 1])) return false;
  // "凌14" is the committee where its number ends: not in "凌14号楼", "新3栋" or "凌145".
  if (is_digit(t[end - 1])) return end >= t.size() || (!is_digit(t[end]) && !in(U"号弄栋幢楼室层期单", t[end]));
  return end >= t.size() || !in(U"轮代批届次年版板期季闪号点些下遍套个种天月分秒块元层台把根条扇只位名步回趟", t[end]);
}

}  // namespace

// Exact names, longest first: "古银杏苑" must not also count as "银杏苑", nor "尚桂苑居委" as the
// community 尚桂苑.
void resolver::read_names(const reading& r, evidence& ev) const {
  std::vector<word_index::hit> hits;
  for (const auto& h : r.hits)
    if (kind_of(h.id) == word::name) hits.push_back(h);
  std::erase_if(hits, [&](const word_index::hit& a) {
    return std::any_of(hits.begin(), hits.end(), [&](const word_index::hit& b) {
      return b.begin <= a.begin && b.end >= a.end && (b.end - b.begin) > (a.end - a.begin);
    });
  });
  // Every time a name is written is a mention: the second may read otherwise ("三林苑西"), or be
  // the one not denied ("不是丹桂苑3号，是丹桂苑5号").
  for (const auto& h : hits) {
    const auto& e = names_[index_of(h.id)];
    if (written_as_place(e, r, h.begin, h.end)) ev.mentions.push_back(name_mention(e, r, h.begin, h.end));
  }
}

// Whether a name written bare stands for the place: a committee's bare name not inside a word; a
// stem before a building number or 小区, or alone at an end of the text (the address: any stem).
bool resolver::written_as_place(const name_entry& e, const reading& r, std::size_t begin, std::size_t end) const {
  const std::u32string_view t = r.text;
  if (e.kind == name_kind::committee) return !e.word || committee_written(t, begin, end);
  // Firms named after a place nearby (上钢物业, with 上钢新村街道 next door): "上钢那边" is that area,
  // not the firm's.
  if (e.kind == name_kind::firm)
    return !e.word || (end < t.size() && in(e.place_named ? U"管的物" : U"管的那物", t[end]));
  // "金谊新苑" is another name than 金谊河畔, though it begins as that one's stem or nickname.
  if ((e.kind == name_kind::stem || e.kind == name_kind::alias) && !place_suffix(e.name.back()))
    for (std::size_t k = 1; k <= 2 && end + k <= t.size() && is_han(t[end + k - 1]); ++k)
      if (place_suffix(t[end + k - 1])) return false;
  if (e.kind != name_kind::stem) return true;
  if (end < t.size() && (is_digit(t[end]) || t.substr(end).starts_with(U"小区"))) return true;
  // Set apart by marks on both sides ("……一下，凌云，看新闻说", "金谊/金色那边"): written as a place,
  // not a word; "那边" and the like after it say so as a mark does.
  const auto mark = [](char32_t c) { return in(U"，,。；;：:、（）()/／", c); };
  const auto rest = t.substr(end);
  const bool place_after = rest.starts_with(U"那边") || rest.starts_with(U"这边") || rest.starts_with(U"一带");
  if (begin > 0 && end < t.size() && mark(t[begin - 1]) && (mark(t[end]) || place_after)) return true;
  // The other of a place written in full ("翠竹苑还是美林，"); not of a bare name ("红枫还是红柿").
  const bool closed = end == t.size() || mark(t[end]);
  for (std::u32string_view other : {U"还是", U"或者", U"或"})
    if (const auto b = t.substr(0, begin); closed && b.ends_with(other) && b.size() > other.size())
      if (place_suffix(b[b.size() - other.size() - 1])) return true;
  // Where someone lives ("阿姨说住锦翠，不是……"): a place.
  if (begin > 0 && t[begin - 1] == U'住' && (end == t.size() || mark(t[end]))) return true;
  return (!e.word || !r.from_content) && at_an_edge(t, begin, end);
}

resolver::mention resolver::name_mention(const name_entry& e, const reading& r, std::size_t begin,
                                         std::size_t end) const {
  mention m;
  m.candidates.insert(e.communities.begin(), e.communities.end());
  m.area = e.kind == name_kind::shared || e.kind == name_kind::committee || e.kind == name_kind::firm;
  m.area_kind = e.kind == name_kind::committee ? 1
                : e.kind == name_kind::shared  ? 2
                : e.kind == name_kind::firm    ? 3
                                               : 0;
  m.from_content = r.from_content;
  m.begin = begin;
  m.end = end;
  m.written = to_utf8(std::u32string_view(r.text).substr(begin, end - begin));
  if ((e.kind == name_kind::alias || e.kind == name_kind::stem) && m.written != e.label)
    m.note = "“" + m.written + "”即" + e.label;
  if (e.kind == name_kind::committee && e.communities.size() == 1) m.note = e.label + "居委只管这一个小区";
  if (e.kind == name_kind::firm && e.communities.size() == 1) m.note = e.label + "只管这一个小区";
  if (e.kind == name_kind::firm && e.communities.size() > 1)
    m.several = e.label + "管理" + std::to_string(e.communities.size()) + "个小区，地址未说明是哪一个";
  if (e.kind == name_kind::committee && e.communities.size() > 1)
    m.several = e.label + "居委管辖" + std::to_string(e.communities.size()) + "个小区，地址未说明是哪一个";
  if (e.kind == name_kind::shared) {
    m.several = "“" + m.written + "”包括" + names_of(m.candidates) + "，地址未说明是哪一个";
    m.shared = e.shared;
    m.part_open = !parts_[e.shared].empty();
  }
  if (e.kind == name_kind::community || e.kind == name_kind::alias || e.kind == name_kind::stem) {
    add_direction_twins(r.text, e, m);
    add_offered_parts(r.text, m);
    add_other_side(r.text, m);
    add_prefixed_twin(r.text, m);
  }
  if (e.kind == name_kind::committee && e.communities.size() > 1) narrow_by_number(r.text, m);
  return m;
}

// "凌八 405 12号302": a committee's clerk writes the lane or street number of one of its
// communities straight after its name, bare.
void resolver::narrow_by_number(std::u32string_view t, mention& m) const {
  auto p = m.end;
  while (p < t.size() && in(U"：:;，,", t[p])) ++p;
  const auto first = p;
  int n = 0;
  while (p < t.size() && is_digit(t[p]) && p - first < 5) n = n * 10 + static_cast<int>(t[p++] - U'0');
  if (p == first || (p < t.size() && is_digit(t[p]))) return;
  // A lane written out ("711弄") is read as one, and the committee narrows its roads; a building
  // ("359号楼") is no lane. A second number joined to the first ("396和428中间", "396或428") offers
  // another place: the committee's area stands.
  // A street number of one of its communities is one too ("凌七 359号" is 三林路359号): no
  // building is numbered in the hundreds.
  const bool street_number = p < t.size() && t[p] == U'号' && n >= 100;
  if (p < t.size() && in(U"弄号栋幢楼室层", t[p]) && !street_number) return;
  for (std::u32string_view joint : {U"和", U"与", U"跟", U"或", U"还是", U"、", U"/", U"到"})
    if (t.substr(p).starts_with(joint) && p + joint.size() < t.size() && is_digit(t[p + joint.size()])) return;
  std::set<std::size_t> numbered;
  for (auto i : m.candidates) {
    const auto& nums = dir_.communities[i].numbers;
    if (std::find(nums.begin(), nums.end(), n) != nums.end()) numbered.insert(i);
  }
  if (numbered.size() != 1) return;
  if (street_number && dir_.communities[*numbered.begin()].name.find(std::to_string(n) + "号") == std::string::npos)
    return;
  m.candidates = numbered;
  m.end = street_number ? p + 1 : p;  // the building and room follow the number
  m.area = false;
  m.area_kind = 0;
  m.several.clear();
  m.note = "“" + m.written + "”后写的" + std::to_string(n) + "即" + dir_.communities[*numbered.begin()].name;
}

// "湾流域一期还是二期", "衡辰东区或西区": another part of the same estate offered right after the
// name; either may be meant.
void resolver::add_offered_parts(std::u32string_view t, mention& m) const {
  auto rest = t.substr(m.end);
  bool offered = false;
  for (std::u32string_view alternative : {U"还是", U"或者", U"或是", U"或"})
    if (rest.starts_with(alternative)) {
      rest.remove_prefix(alternative.size());
      offered = true;
      break;
    }
  if (!offered) return;
  std::set<std::size_t> more;
  for (const auto& parts : parts_) {
    if (std::none_of(parts.begin(), parts.end(), [&](const part_form& p) { return m.candidates.count(p.community); }))
      continue;
    for (const auto& p : parts)
      if (!m.candidates.count(p.community) && rest.starts_with(p.form)) more.insert(p.community);
  }
  widen(m, more, "“" + m.written + "”之后又写了另一期（区），未说定是哪一个");
}

// A mention read as more places than its name alone: no longer one, nor exact, and why.
void resolver::widen(mention& m, const std::set<std::size_t>& more, std::string why) {
  if (more.empty()) return;
  m.candidates.insert(more.begin(), more.end());
  m.exact = false;
  m.note.clear();
  m.several = std::move(why);
}

// "老银杏苑": a word of age before a name that another community has with another such word in
// front (古银杏苑) may mean either.
void resolver::add_prefixed_twin(std::u32string_view t, mention& m) const {
  if (m.begin == 0 || !in(U"老古新旧", t[m.begin - 1])) return;
  std::set<std::size_t> more;
  for (auto i : m.candidates) {
    const std::string_view name = dir_.communities[i].name;
    for (std::size_t j = 0; j < dir_.communities.size(); ++j) {
      const std::string_view other = dir_.communities[j].name;
      if (other.size() <= name.size() || !other.ends_with(name)) continue;
      const auto head = to_u32(other.substr(0, other.size() - name.size()));
      if (head.size() == 1 && in(U"老古新旧", head[0]) && head[0] != t[m.begin - 1]) more.insert(j);
    }
  }
  if (more.empty()) return;
  auto either = more;
  either.insert(m.candidates.begin(), m.candidates.end());
  widen(m, more, "“" + to_utf8(t.substr(m.begin - 1, 1)) + m.written + "”可能是" + names_of(either) + "中的任一个");
}

// "衡辰三林苑东面西面我也搞不清", "衡辰三林苑东边还是西边": the name's side written and the other side
// straight after it; either may be meant. "东西" alone is a thing, not two sides.
void resolver::add_other_side(std::u32string_view t, mention& m) const {
  if (m.end == 0 || m.end >= t.size() || !in(U"东西南北", t[m.end - 1])) return;
  const char32_t side = t[m.end - 1];
  auto p = m.end;
  const bool worded = in(U"面边侧区", t[p]);
  if (worded) ++p;
  bool joined = false;
  for (std::u32string_view joint : {U"还是", U"或者", U"或是", U"或", U"和", U"跟", U"、", U"/"})
    if (t.substr(p).starts_with(joint)) {
      p += joint.size();
      joined = true;
      break;
    }
  if (p >= t.size() || !in(U"东西南北", t[p]) || t[p] == side || !(worded || joined)) return;
  std::set<std::size_t> more;
  for (auto i : m.candidates) {
    auto other = dir_.communities[i].name;
    const auto at = other.rfind(to_utf8(std::u32string(1, side)));
    if (at == std::string::npos) continue;
    other.replace(at, to_utf8(std::u32string(1, side)).size(), to_utf8(std::u32string(1, t[p])));
    for (std::size_t j = 0; j < dir_.communities.size(); ++j)
      if (dir_.communities[j].name == other) more.insert(j);
  }
  widen(m, more, "“" + m.written + "”之后又写了另一边，未说定是哪一边");
}

// "三林苑西": a name with a direction after it, where another community's name goes on with that
// direction ("衡辰三林苑(西)"), is the west of 三林苑 or the other name shortened; nothing written
// tells which. A gate is part of the place named: "三林苑东门" is 三林苑's gate.
void resolver::add_direction_twins(std::u32string_view t, const name_entry& e, mention& m) const {
  if (m.end >= t.size() || !in(U"东西南北", t[m.end])) return;
  if (m.end + 1 < t.size() && t[m.end + 1] == U'门') return;
  const std::u32string on = e.name + t[m.end], bracketed = e.name + U'(' + t[m.end];
  std::set<std::size_t> twins;
  for (const auto& other : names_) {
    if (other.kind != name_kind::community && other.kind != name_kind::alias) continue;
    if (!has(other.name, on) && !has(other.name, bracketed)) continue;
    for (auto i : other.communities)
      if (!m.candidates.count(i)) twins.insert(i);
  }
  if (twins.empty()) return;
  m.written += to_utf8(std::u32string_view(t).substr(m.end, 1));
  m.end += 1;
  twins.insert(m.candidates.begin(), m.candidates.end());
  widen(m, twins, "“" + m.written + "”可能是" + names_of(twins) + "中的任一个");
}

// Near misses ("丹贵苑", "凌兆加苑", "永泰花园"): names one edit away, never across digits or a
// road, so "三林路" is not read as "三林苑". Returns whether any was found.
bool resolver::read_typos(const reading& r, evidence& ev) const {
  const std::u32string_view t = r.text;
  if (read_half_remembered(r, ev)) return true;
  // Names read exactly in this text: a window inside one ("辰三林苑" in "衡辰三林苑") is no typo; nor
  // is one holding a name set aside (it would read "不是凌兆佳苑" back) or a long one ("衡辰三林苑，").
  std::vector<exact_span> exact;
  for (const auto& at : ev.read_at) {  // not a structured binding: clang 14 cannot capture one
    const auto [from_content, begin, end] = at;
    if (from_content != r.from_content) continue;
    const bool kept = std::any_of(ev.mentions.begin(), ev.mentions.end(),
                                  [&](const mention& m) { return std::tuple(m.from_content, m.begin, m.end) == at; });
    exact.push_back({begin, end, !kept});
  }
  near_miss best;
  std::vector<std::uint32_t> ids;
  for (std::size_t p = 0; p + 1 < t.size(); ++p) {
    ids.clear();
    near_.candidates(t[p], t[p + 1], [&](std::uint32_t id) { ids.push_back(id); });
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (auto id : ids) try_near_miss(t, p, id, exact, best);
  }
  if (best.communities.empty() || !best.heard) return false;
  mention m;
  m.candidates = best.communities;
  m.exact = false;
  m.from_content = r.from_content;
  m.begin = best.begin;
  m.end = best.end;
  m.written = to_utf8(t.substr(best.begin, best.end - best.begin));
  if (m.candidates.size() == 1) m.note = "小区名疑似笔误，按“" + best.label + "”匹配";
  else m.several = "“" + m.written + "”与" + names_of(m.candidates) + "都只差一个字";
  ev.mentions.push_back(std::move(m));
  return true;
}

// "金什么新苑", "凌啥苑", "什么桂苑": a name the writer half remembers, a part said as "什么" or
// "啥". The names that begin and end as written are the candidates (every fragment's, when the
// writer tries twice: "尚什么苑还是什么桂苑"); one alone is the place, as a nickname is, and
// several go to the station with their names. Nothing in such a window is a typo.
bool resolver::read_half_remembered(const reading& r, evidence& ev) const {
  const std::u32string_view t = r.text;
  mention m;
  for (const std::u32string_view filler : {std::u32string_view(U"什么"), std::u32string_view(U"啥")})
    for (auto q = t.find(filler); q != std::u32string_view::npos; q = t.find(filler, q + 1)) {
      std::size_t begin = 0, end = 0;
      auto fits = half_remembered_fits(t, q, filler.size(), begin, end);
      if (fits.empty()) continue;
      if (m.candidates.empty()) m.begin = begin;
      m.end = end;
      m.candidates.insert(fits.begin(), fits.end());
    }
  if (m.candidates.empty()) return false;
  m.exact = false;
  m.from_content = r.from_content;
  m.written = to_utf8(t.substr(m.begin, m.end - m.begin));
  if (m.candidates.size() == 1) m.note = "“" + m.written + "”名字不全，只有" + names_of(m.candidates) + "相符";
  else m.several = "“" + m.written + "”名字不全，" + names_of(m.candidates) + "都相符";
  ev.mentions.push_back(std::move(m));
  return true;
}

// The communities a fragment around the filler at `q` fits, and where the fragment lies. A
// fragment without a beginning needs a telling end: "什么新苑" fits half the directory.
std::set<std::size_t> resolver::half_remembered_fits(std::u32string_view t, std::size_t q, std::size_t filler,
                                                     std::size_t& begin, std::size_t& end) const {
  // The end: up to three characters after the filler, the last a place's ("新苑", "园").
  std::size_t tail = 0;
  for (std::size_t k = 1; k <= 3 && q + filler + k <= t.size(); ++k) {
    const char32_t c = t[q + filler + k - 1];
    if (!is_han(c)) break;
    if (place_suffix(c)) {
      tail = k;
      break;
    }
  }
  if (tail == 0) return {};
  const auto ending = t.substr(q + filler, tail);
  const bool telling_end = tail >= 2 && !in(U"新花家小公", ending.front());
  // The beginning: the longest of the last three characters before it that begins a name.
  for (std::size_t head = std::min<std::size_t>(3, q) + 1; head-- > 0;) {
    if (head == 0 && !telling_end) break;
    const auto beginning = t.substr(q - head, head);
    if (!std::all_of(beginning.begin(), beginning.end(), is_han)) continue;
    std::set<std::size_t> fits;
    for (const auto& e : names_) {
      if (e.kind != name_kind::community && e.kind != name_kind::alias) continue;
      if (e.name.size() > head + tail && e.name.starts_with(beginning) && e.name.ends_with(ending))
        fits.insert(e.communities.begin(), e.communities.end());
    }
    if (fits.empty()) continue;
    begin = q - head;
    end = q + filler + tail;
    return fits;
  }
  return {};
}

// The windows at `p` one edit from name `id`, kept when as near as the nearest so far.
void resolver::try_near_miss(std::u32string_view t, std::size_t p, std::uint32_t id,
                             const std::vector<exact_span>& exact, near_miss& best) const {
  const auto& entry = names_[id];
  const auto& n = entry.name;
  // A dropped character is allowed only in names of four or more: for "品新苑", two shared
  // characters ("新苑") are too little evidence to send a crew anywhere. An added one: typo_cost.
  const std::size_t dropped = n.size() >= 4 ? 1 : 0;
  for (std::size_t len = n.size() - dropped; len <= n.size() + 1 && p + len <= t.size(); ++len) {
    const auto window = t.substr(p, len);
    if (std::any_of(window.begin(), window.end(), [](char32_t c) { return is_digit(c) || in(U"路什么啥", c); })) return;
    const auto read_already = [&](const exact_span& x) {
      const bool holds = p <= x.begin && x.end <= p + len;
      const auto read = x.end - x.begin;  // a long name, or all but a part of one ("东区")
      return (x.begin <= p && p + len <= x.end) || (holds && (x.set_aside || (read >= 4 && read + 2 >= n.size())));
    };
    if (std::any_of(exact.begin(), exact.end(), read_already)) continue;
    int cost = typo_cost(window, n);
    // "凌源公寓": 源公寓 as 盛源公寓 less its 盛 ignores the 凌 before it; with it, 凌云公寓 is as near.
    if (cost == 2 && len < n.size() && p > 0 && is_han(t[p - 1]) && edits_up_to_one(t.substr(p - 1, n.size()), n) == 1)
      cost = 3;
    if (cost == 0 || cost > best.cost) continue;
    if (cost < best.cost) {
      best = {cost, {}, p, p + len, entry.label};
    }
    best.communities.insert(entry.communities.begin(), entry.communities.end());
    best.heard = best.heard || !heard_wrong(window, n);
  }
}

// Places that say the request is not the sub-district's: another district of Shanghai, a town
// (镇) or a street (街道) other than this one. Roads outside are found with their lanes.
void resolver::read_outside(const reading& r, evidence& ev) const {
  const std::u32string_view t = r.text;
  // "已告知非本街道", "非本辖区": the caller is not ours, wherever the desk that wrote it is.
  for (auto not_ours : outside_cues)
    if (has(t, not_ours)) add_unique(ev.outside, "本街道以外");
  for (const auto& h : r.hits) {
    const auto p = h.begin;
    switch (kind_of(h.id)) {
      case word::district:
        if (elsewhere_at(t, h)) add_unique(ev.outside, to_utf8(district_name(index_of(h.id))) + "区");
        break;
      case word::place:
        if (elsewhere_at(t, h)) add_unique(ev.outside, to_utf8(place_name(index_of(h.id))));
        break;
      case word::town:
        if (town_at(t, p)) add_unique(ev.outside, to_utf8(t.substr(p - 2, 3)));
        break;
      case word::street: read_other_street(t, p, ev); break;
      default: break;
    }
  }
}

// Where the name of a street other than this one begins, its 街道 at `p` ("田林街道", "上钢新村街道");
// `p` itself where none is named: "本街道", "给街道打电话", "外街道", and this street.
std::size_t resolver::street_begin(std::u32string_view t, std::size_t p) const {
  if (p == 0 || !is_han(t[p - 1]) ||
      in(U"个本该各给到找向跟和与及或对从把由请的报问转在经过去来是被让叫都也了上里们", t[p - 1]))
    return p;
  if (t.substr(0, p + 2).ends_with(own_district_)) return p;
  std::size_t start = p;
  while (start > 0 && p - start < 4 && is_han(t[start - 1]) && !in(U"区镇市", t[start - 1])) --start;
  return start;
}

// "黄浦江" holds 浦江, a river and not the town; "三林路", "三林苑", "衡辰三林苑" are here.
bool resolver::place_at(std::u32string_view t, const word_index::hit& h) {
  if (h.begin > 0 && t[h.begin - 1] == U'黄') return false;
  return !(place_name(index_of(h.id)) == U"三林" && h.end < t.size() && in(U"路苑", t[h.end]));
}

void resolver::read_other_street(std::u32string_view t, std::size_t p, evidence& ev) const {
  const auto start = street_begin(t, p);
  if (start == p) return;
  const auto street = to_utf8(t.substr(start, p + 2 - start));
  // "上钢新村街道": the place read already names the street.
  if (!ev.outside.empty() && street.starts_with(ev.outside.back())) ev.outside.back() = street;
  else add_unique(ev.outside, street);
}

}  // namespace halfhour::sla
