// What the resolver sets aside before deciding: a place denied, lived in once, taken back, of
// another district or only so called; a landmark the caller is near; someone else's home when
// the caller's own is written.
#include <algorithm>
#include <utility>

#include "sla/resolver.hpp"
#include "sla/resolver_util.hpp"
#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

using namespace resolver_util;

constexpr std::size_t none = static_cast<std::size_t>(-1);

constexpr std::u32string_view home_words[] = {U"住址", U"家", U"住处", U"的家"};

// The caller saying the place is unclear: every place written stays a candidate.
constexpr std::u32string_view which_unclear[] = {U"没讲清",     U"没说清", U"讲不清",   U"说不清",   U"不清楚是哪",
                                                 U"搞不清是哪", U"记不清", U"记勿清",   U"记不得",   U"分不清",
                                                 U"分勿清",     U"讲勿清", U"说法不一", U"前后不一", U"名字里有个"};

// "问是否翠竹苑，称记不清", "追问是否金谊河畔，称不是", "问她是不是住锦翠苑，她说不是": a place
// asked about and not confirmed.
bool asked_not_confirmed(std::u32string_view t, std::size_t begin, std::size_t end) {
  auto asked = t.substr(0, begin);
  // "是不是东明路街道的丁香苑": the sub-district said between.
  drop_suffix(asked, {U"东明路街道的", U"东明的", U"我们这边的", U"这边的"});
  drop_suffix(asked, {U"住在", U"住"});
  if (!asked.ends_with(U"是否") && !asked.ends_with(U"是不是")) return false;
  constexpr std::u32string_view no_answer[] = {U"不是", U"记不清", U"不清楚", U"说不清", U"不确定", U"不知道"};
  return has_any(t.substr(end, 10), no_answer);
}

constexpr std::u32string_view moved_away[] = {U"搬走", U"搬出", U"搬离", U"搬家", U"搬过来", U"搬到"};

// Words that take back what was just said: "改口", "说错了", "不对" ("不对劲" is something wrong
// with the place, not with the words).
constexpr std::u32string_view took_back_cues[] = {U"改口", U"更正", U"纠正", U"说错", U"记错", U"搞错",
                                                  U"报错", U"讲错", U"不对", U"勿对", U"弗对"};

// "不对，是396弄，我记错了": the place that puts it right (a correction just before it), followed by
// words about the mistake. Not "我家是丹桂苑，说错了": nothing was put right before it.
bool put_right(std::u32string_view t, std::size_t begin) {
  const auto before = t.substr(0, begin);
  const auto just_before = before.substr(before.size() > 8 ? before.size() - 8 : 0);
  return ends_with_any(before, right_cues) && has_any(just_before, took_back_cues);
}

// "先报凌兆路608弄，后说明是608弄对面的老小区", "起先说上浦路606弄，后称……": a place said first
// and put right later in the same request.
bool first_said(std::u32string_view t, std::size_t begin, std::size_t end) {
  auto before = t.substr(0, begin);
  while (!before.empty() && in(U"“”\"「」'", before.back())) before.remove_suffix(1);
  if (before.ends_with(U"住")) before.remove_suffix(1);
  return ends_with_any(before, first_cues) && has_any(t.substr(end), later_cues);
}

// "不是丹桂苑，是金桂苑", "三林苑8号 勿是衡辰那个": a place right after a denial is not the place,
// unless an alternative follows ("不是521弄就是555弄": either).
bool denied(std::u32string_view t, std::size_t begin, std::size_t end, bool hedged) {
  // "原先住锦翠苑", "以前住在丁香苑", "原来棕榈苑那套卖掉了": where the caller lived, not where they are.
  auto lived = t.substr(0, begin);
  if (lived.ends_with(U"在")) lived.remove_suffix(1);
  for (std::u32string_view past :
       {U"原先住", U"以前住", U"原来住", U"之前住", U"曾经住", U"早先住", U"从前住", U"搬离", U"搬出", U"原来"})
    if (lived.ends_with(past)) return true;
  // "上个月已经从凌兆路608弄搬走".
  if (lived.ends_with(U"从") && starts_with_any(t.substr(end), moved_away)) return true;
  // "自述住银杏苑，又改口说是古银杏苑", "我家住凌兆路608弄…不对，搬到丹桂苑了": a place the caller took
  // back a few words later ("不对劲" is something wrong with it, not with the place).
  // Unless the caller says they cannot tell the two apart ("后又改口“好像是红柿苑，两个小区挨着分不清”"):
  // then both stay.
  for (const auto took_back : hedged ? std::span<const std::u32string_view>{} : took_back_cues) {
    const auto at = t.substr(end, 8).find(took_back);
    if (at != std::u32string_view::npos && !t.substr(end + at).starts_with(U"不对劲") && !put_right(t, begin))
      return true;
  }
  // "来电人先报凌兆路608弄，后说明是……": the first place said, put right later in the call.
  if (!hedged && first_said(t, begin, end)) return true;
  // "你看人家尚桂苑从来不这样": another estate, held up for comparison (not "老人家").
  if (const auto b = t.substr(0, begin); b.ends_with(U"人家") && !b.ends_with(U"老人家")) return true;
  // "小区也叫“翠竹苑”": another place of the same name.
  auto called = t.substr(0, begin);
  while (!called.empty() && in(U"“”\"「」『』'", called.back())) called.remove_suffix(1);
  if (called.ends_with(U"也叫") || called.ends_with(U"也是叫")) return true;
  if (asked_not_confirmed(t, begin, end)) return true;
  // "兰庭苑居民（非尚桂苑）".
  if (begin >= 1 && t[begin - 1] == U'非' && (begin == 1 || !is_han(t[begin - 2]) || t[begin - 2] == U'并'))
    return true;
  // "不是浦东那个丹桂苑": a word or two and 那个 between the denial and the name.
  auto said = t.substr(0, begin);
  if (said.ends_with(U"那个") || said.ends_with(U"这个")) {
    said.remove_suffix(2);
    for (int k = 0; k < 2 && !said.empty() && is_han(said.back()) && !said.ends_with(U"不是"); ++k)
      said.remove_suffix(1);
    if (said.ends_with(U"不是")) begin = said.size();
  }
  if (begin < 2) return false;
  const auto before = t.substr(begin - 2, 2);
  if (before != U"不是" && before != U"勿是" && before != U"弗是" && before != U"并非") return false;
  if (begin >= 3 && t[begin - 3] == U'是') return false;  // "是不是丹桂苑": a question
  const auto after = t.substr(end, 12);
  return !has(after, U"就是") && !has(after, U"便是") && !has(after, U"还是") && !has(after, U"或");
}

// "品华苑对面那个小区", "丹桂苑隔壁", "靠近521弄": a place named right before 对面/隔壁 is where the caller is
// not, only what they are near. A building or room in between ("丹桂苑12号楼隔壁") keeps the place:
// then it is the neighbour's flat, in the same community.
bool landmark(std::u32string_view t, std::size_t begin, std::size_t end) {
  // "凌兆路上靠近521弄门口的窨井盖", "紧挨金谊河畔的写字楼": near the place, not in it.
  for (std::u32string_view near : {U"靠近", U"紧挨", U"紧挨着", U"挨着", U"紧邻"})
    if (t.substr(0, begin).ends_with(near)) return true;
  // "我从丹桂苑出来走到三林路上": where the poster set out from.
  if (t.substr(0, begin).ends_with(U"从") && (t.substr(end).starts_with(U"出来") || t.substr(end).starts_with(U"出发")))
    return true;
  auto after = t.substr(end, 6);
  for (std::u32string_view filler : {U"小区", U"那个", U"那边", U"的"})
    if (after.starts_with(filler)) after.remove_prefix(filler.size());
  // "品诚苑门口的公交车站", "凌兆佳苑门口凌兆路路面": public ground at its gate.
  for (std::u32string_view gate : {U"门口", U"大门", U"南门", U"北门", U"东门", U"西门", U"后门"})
    if (after.starts_with(gate)) {
      const auto ground = t.substr(end, 14);
      for (std::u32string_view pub : {U"公交", U"加油站", U"马路", U"路面", U"地铁", U"路口", U"外头", U"外面"})
        if (has(ground, pub)) return true;
    }
  for (std::u32string_view near :
       {U"对面", U"对过", U"斜对面", U"隔壁", U"附近", U"旁边", U"边上", U"后面", U"背后", U"过来"})
    if (after.starts_with(near)) return true;
  return false;
}

// "但反映的是她女儿家……", "这次要报的是我妈家——": what follows is where the trouble is.
bool points_at(std::u32string_view t, std::size_t begin) {
  const auto before = t.substr(begin > 14 ? begin - 14 : 0, std::min<std::size_t>(begin, 14));
  return has_any(before, reported_here);
}

// "今天去女儿家发现", "到我妈家一看", "看到她们楼道": the caller was at someone else's home and saw
// the trouble there; "替其姐姐反映", "帮我妈报": the request is made for someone else; "母亲刚打电话说":
// the relative rang from there.
bool visited_theirs(std::u32string_view t) {
  constexpr std::u32string_view went[] = {U"去", U"到", U"去我", U"到我"};
  constexpr std::u32string_view for_them[] = {U"替",   U"替其", U"替我", U"帮",  U"帮其",
                                              U"帮我", U"代",   U"代其", U"代我"};
  constexpr std::u32string_view rang[] = {U"打电话", U"刚打电话", U"刚刚打电话", U"来电话", U"打来电话", U"电话里说"};
  for (const auto who : others)
    for (auto at = t.find(who); at != std::u32string_view::npos; at = t.find(who, at + 1)) {
      const auto before = t.substr(0, at), after = t.substr(at + who.size());
      if ((ends_with_any(before, went) && after.starts_with(U"家")) || ends_with_any(before, for_them) ||
          starts_with_any(after, rang))
        return true;
    }
  return has(t, U"她们楼") || has(t, U"他们楼");
}

// Drops the items `gone(k, item)` names; what is known of each item is held by its index `k`.
template <class Item, class Gone>
void erase_indexed(std::vector<Item>& items, Gone gone) {
  std::size_t kept = 0;
  for (std::size_t k = 0; k < items.size(); ++k)
    if (!gone(k, std::as_const(items[k]))) {
      if (kept != k) items[kept] = std::move(items[k]);
      ++kept;
    }
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(kept), items.end());
}

void add_set(std::vector<std::set<std::size_t>>& sets, const std::set<std::size_t>& s) {
  if (std::find(sets.begin(), sets.end(), s) == sets.end()) sets.push_back(s);
}

// "在樱桃苑朋友家打麻将", "我女儿住兰庭苑", "在凌兆路555弄上班": a place that is someone else's home
// or the caller's work. It yields to any other place the request names (the caller's own home);
// alone, it is where the request is.
bool someone_elses(std::u32string_view t, std::size_t begin, std::size_t end) {
  // "兰庭苑的陈老师说，她姐姐家……": the home of the one who passes the request on.
  if (const auto told = t.substr(end, 8); told.starts_with(U"的"))
    for (std::u32string_view says : {U"说", U"反映", U"讲", U"称"})
      if (const auto at = told.find(says); at != std::u32string_view::npos && at >= 2 && at <= 5 &&
                                           std::all_of(told.begin() + 1, told.begin() + at, is_han))
        return true;
  auto after = t.substr(end, 8);
  if (after.starts_with(U"的")) after.remove_prefix(1);
  // "在锦翠苑物业做保安": the caller's work is the estate's office; "在606弄那边上班".
  for (std::u32string_view office : {U"物业", U"那边", U"那里"})
    if (after.starts_with(office)) after.remove_prefix(office.size());
  for (std::u32string_view work : {U"上班", U"工作", U"打工", U"做客", U"做保安", U"当保安", U"做保洁", U"当保洁"})
    if (after.starts_with(work)) return true;
  // "凌兆路256弄（母亲住址）", "丹桂苑（来电人女儿住址）": the field says whose home it is.
  if (after.starts_with(U"（") || after.starts_with(U"(")) {
    auto whose = t.substr(end + 1, 12);
    for (std::u32string_view caller : {U"来电人", U"报修人", U"其"})
      if (whose.starts_with(caller)) whose.remove_prefix(caller.size());
    for (const auto who : others)
      if (whose.starts_with(who) && starts_with_any(whose.substr(who.size()), home_words)) return true;
  }
  // "锦翠苑是我朋友那边", "丹桂苑是她女儿家".
  if (after.starts_with(U"是")) {
    auto whose = after.substr(1);
    for (std::u32string_view pron : {U"我", U"她", U"他", U"其"})
      if (whose.starts_with(pron)) whose.remove_prefix(pron.size());
    if (starts_with_any(whose, others)) return true;
  }
  auto before = t.substr(0, begin);
  // "（来电人工作单位：锦翠苑物业）".
  for (std::u32string_view work : {U"工作单位：", U"工作单位:", U"单位：", U"单位:"})
    if (before.ends_with(work)) return true;
  if (before.ends_with(U"在")) before.remove_suffix(1);
  // "在樱桃苑朋友家", "我妈住凌兆路256弄", "其女儿家在480弄".
  if (opens_with_their_home(after)) return true;
  // "东家在安居苑": the word names a household already.
  if (before.ends_with(U"家") && ends_with_any(before, others)) return true;
  // "他儿子（住金色雅筑）": a mark may stand between.
  for (std::u32string_view lives : {U"住", U"家", U"独居", U"居住", U"屋里"}) {
    if (!before.ends_with(lives)) continue;
    auto owner = before.substr(0, before.size() - lives.size());
    if (!owner.empty() && in(U"（(", owner.back())) owner.remove_suffix(1);
    if (ends_with_any(owner, others)) return true;
  }
  return false;
}

// "称住凌兆新村", "我住在幸福家园": the caller says where they live, and no place of the directory is
// read there: a name ending as a community's does (苑, 园, 村, 公寓) within a few characters.
bool unknown_home_said(std::u32string_view t, const std::vector<std::size_t>& read_at) {
  constexpr std::u32string_view cues[] = {U"称住", U"我住", U"来电人住", U"本人住", U"自己住", U"我家住"};
  for (const auto cue : cues)
    for (auto at = t.find(cue); at != std::u32string_view::npos; at = t.find(cue, at + 1)) {
      auto from = at + cue.size();
      if (t.substr(from).starts_with(U"在")) ++from;
      if (std::any_of(read_at.begin(), read_at.end(), [&](std::size_t b) { return b >= from && b <= from + 1; }))
        continue;
      const auto name = t.substr(from, 8);
      const auto stop = std::find_if(name.begin(), name.end(), [](char32_t c) { return !is_han(c); });
      const auto han = name.substr(0, static_cast<std::size_t>(stop - name.begin()));
      for (std::size_t k = 2; k < han.size(); ++k)
        if (in(U"苑园村寓", han[k])) return true;
    }
  return false;
}

// The caller's own home, in the first person: "自家", "我家", "屋里厢" (Shanghainese), "他自己住的那栋楼".
constexpr std::u32string_view own_home[] = {U"自家",     U"我家",     U"自己家",   U"屋里厢",   U"阿拉屋里",
                                            U"我们楼",   U"阿拉楼",   U"我们家",   U"本人家",   U"自己住的",
                                            U"自己租住", U"自己租的", U"自己那栋", U"自己那幢", U"自己楼"};

}  // namespace

// "徐汇区丹桂苑", "嘉定的丁香苑", "奉贤南桥丹桂苑", "康桥那边的永泰花苑", "嘉定那边也有个安居苑": a name of
// the directory right after another district or town (with at most a "的", "那边" or "也有个"
// between) is that place's namesake.
bool resolver::elsewhere_at(std::u32string_view t, const word_index::hit& h) const {
  switch (kind_of(h.id)) {
    case word::district: return !(index_of(h.id) == 0 && h.end < t.size() && t[h.end] == U'江');  // 黄浦江
    case word::place: return place_at(t, h);
    case word::town: return town_at(t, h.begin);
    case word::street: return street_begin(t, h.begin) != h.begin;
    default: return false;
  }
}

// Where such a place's name begins: a town found by its 镇 ("三林镇") begins two characters before.
std::size_t resolver::place_begin(std::u32string_view t, const word_index::hit& h) const {
  const auto k = kind_of(h.id);
  return k == word::town ? h.begin - 2 : k == word::street ? street_begin(t, h.begin) : h.begin;
}

bool resolver::in_another_district(const reading& r, std::size_t begin) const {
  std::vector<char> covered(begin);  // by a district or a town: "闵行浦江的安居苑"
  for (const auto& h : r.hits)
    if (elsewhere_at(r.text, h) && h.end <= begin) std::fill(covered.begin() + h.begin, covered.begin() + h.end, 1);
  return std::any_of(r.hits.begin(), r.hits.end(), [&](const word_index::hit& h) {
    if (!elsewhere_at(r.text, h) || h.end > begin || begin - h.end > 6) return false;
    for (std::size_t i = h.end; i < begin; ++i)
      if (!covered[i] && !in(U"区镇的那边个也有一“”\"「」『』'", r.text[i])) return false;
    return true;
  });
}

// "该翠竹苑位于奉贤区南桥镇": a name said to lie in another district or town is its namesake.
bool resolver::lies_in_another_district(const reading& r, std::size_t end) const {
  const auto rest = std::u32string_view(r.text).substr(end, 4);
  std::size_t at = none;
  for (std::u32string_view lies : {U"位于", U"坐落在", U"在"})
    if (rest.starts_with(lies)) {
      at = end + lies.size();
      break;
    }
  if (at == none) return false;
  return std::any_of(r.hits.begin(), r.hits.end(),
                     [&](const word_index::hit& h) { return place_begin(r.text, h) == at && elsewhere_at(r.text, h); });
}

// A place denied ("不是丹桂苑"), lived in once, or of another district is set aside. The text
// denying what the address says sets the address's place aside too ("不是4265弄，是后面新交付的
// 楼盘" with 上南路4265弄 as the address), unless the text also names it plainly.
void resolver::drop_denied(const reading& addr, const reading& text, evidence& ev) const {
  const bool hedged = has_any(text.text, which_unclear);
  std::vector<char> no(ev.mentions.size());
  std::vector<std::size_t> denied_one(ev.mentions.size(), none);  // the one community a denial names
  std::vector<std::set<std::size_t>> denied_in_text, named_in_text, not_theirs;
  for (std::size_t i = 0; i < ev.mentions.size(); ++i) {
    const auto& m = ev.mentions[i];
    no[i] = denied(m.from_content ? text.text : addr.text, m.begin, m.end, hedged);
    if (no[i] && !m.area && m.candidates.size() == 1) denied_one[i] = *m.candidates.begin();
    if (m.from_content) (no[i] ? denied_in_text : named_in_text).push_back(m.candidates);
    if (m.from_content && asked_not_confirmed(text.text, m.begin, m.end)) not_theirs.push_back(m.candidates);
  }
  const auto listed = [](const std::vector<std::set<std::size_t>>& sets, const std::set<std::size_t>& c) {
    return std::find(sets.begin(), sets.end(), c) != sets.end();
  };
  // A name said to be another place's ("说住丁香苑，再一问是嘉定的丁香苑") is that place's wherever
  // else it is written.
  std::vector<std::set<std::size_t>> namesakes;
  std::vector<char> namesake(ev.mentions.size());  // this very mention is the other place's
  for (std::size_t k = 0; k < ev.mentions.size(); ++k) {
    const auto& m = ev.mentions[k];
    const auto& where = m.from_content ? text : addr;
    namesake[k] = !no[k] && !m.area && (in_another_district(where, m.begin) || lies_in_another_district(where, m.end));
    if (namesake[k]) namesakes.push_back(m.candidates);
  }
  // "闵行也有个馨乐苑，我说的是东明这边凌兆路上的馨乐苑": the same name written again and marked as
  // ours stays.
  const auto ours = [&](const mention& m) {
    const std::u32string_view t = m.from_content ? text.text : addr.text;
    const auto before = t.substr(m.begin > 12 ? m.begin - 12 : 0, std::min<std::size_t>(m.begin, 12));
    if (has(before, U"不是") || has(before, U"勿是")) return false;  // "（不是我们这边的凌云公寓）"
    // "东明路丁香苑" names a road, not the sub-district: only "东明" not followed by 路 (or 东明路街道).
    const auto dongming = before.find(U"东明");
    const bool ours_named = dongming != std::u32string_view::npos &&
                            (!before.substr(dongming + 2).starts_with(U"路") || has(before, U"东明路街道"));
    return has(before, U"这边") || ours_named || has(before, U"本街道");
  };
  std::size_t i = 0;
  std::erase_if(ev.mentions, [&](const mention& m) {
    const auto k = i++;
    if (no[k] || namesake[k]) return true;
    if (!m.area && listed(namesakes, m.candidates) && !ours(m)) return true;
    // Asked whether it is theirs and said no, a place is set aside wherever it is written
    // ("上次锦翠苑也这样……问她是不是住锦翠苑，她说不是"); other denials set it aside in the field
    // unless the text also names it plainly.
    if (m.area) return false;
    if (listed(not_theirs, m.candidates)) return true;
    return !m.from_content && listed(denied_in_text, m.candidates) && !listed(named_in_text, m.candidates);
  });
  // "凌十六……不是凌兆佳苑": a community denied is none of an area's candidates, as long as two or
  // more stay (a denial alone never names the place).
  for (std::size_t k = 0; k < no.size(); ++k) {
    if (!no[k] || denied_one[k] == none) continue;
    for (auto& m : ev.mentions)
      if (m.area && m.candidates.size() > 2 && m.candidates.erase(denied_one[k]) != 0)
        m.several += "，不是所否认的" + dir_.communities[denied_one[k]].name;
  }
}

// Someone else's home or the caller's work yields to any other place written, and to the
// caller's own home when the trouble is there ("在棕榈苑朋友家做客，回家后发现自家水管爆了"):
// then the place of the request is not written at all.
void resolver::drop_someone_elses(const reading& addr, const reading& text, evidence& ev) {
  std::vector<char> elses(ev.mentions.size());
  bool any = false, own = false;
  for (std::size_t i = 0; i < ev.mentions.size(); ++i) {
    const auto& m = ev.mentions[i];
    if (m.area) continue;
    elses[i] = someone_elses(m.from_content ? text.text : addr.text, m.begin, m.end);
    any = any || elses[i];
    own = own || !elses[i];
  }
  // "婆婆屋里 金禾新苑还是金橘新苑": the place after 还是 is the same someone's, offered as another.
  for (std::size_t k = 0; k < ev.mentions.size(); ++k) {
    if (!elses[k]) continue;
    const auto& m = ev.mentions[k];
    const auto after = std::u32string_view(m.from_content ? text.text : addr.text).substr(m.end, 3);
    if (after.starts_with(U"还是") || after.starts_with(U"或")) return;
  }
  // "王伯伯住兰庭苑，女儿住尚桂苑……是哪家的没讲清": the caller says it could be either.
  if (!any || has_any(text.text, which_unclear)) return;
  // "来电人家住凌兆路379弄，但反映的是她女儿家凌兆路405弄8号": the request points at someone else's
  // home; the caller's own only says who calls.
  std::vector<std::set<std::size_t>> pointed;
  for (std::size_t k = 0; k < ev.mentions.size(); ++k)
    if (elses[k] && ev.mentions[k].from_content && points_at(text.text, ev.mentions[k].begin))
      add_set(pointed, ev.mentions[k].candidates);
  if (pointed.size() == 1) {
    std::erase_if(ev.mentions, [&](const mention& m) { return !m.area && m.candidates != pointed.front(); });
    return;
  }
  // "在三林苑上班，报修的是她妈家三林路1188弄": a lane the directory does not know is another place
  // written; the caller's work or someone's home yields to it. (A district is not: "来电人本人住徐汇区"
  // is the caller's home.)
  if (!own && !ev.unknown.empty()) {
    erase_indexed(ev.mentions, [&](std::size_t k, const mention&) { return elses[k] != 0; });
    return;
  }
  const bool at_home = has_any(text.text, own_home);
  // "来电人老周称住凌兆新村……是他儿子（住金色雅筑）叫他打的": the caller's own home is said, and is
  // none of the directory's; a relative's named beside it is not the place. (A home in another
  // district is not enough: "来电人本人住闵行" calls for the mother's home here.)
  if (!own && !visited_theirs(text.text)) {
    std::vector<std::size_t> read_at;
    for (const auto& m : ev.mentions)
      if (m.from_content) read_at.push_back(m.begin);
    if (unknown_home_said(text.text, read_at)) {
      erase_indexed(ev.mentions, [&](std::size_t k, const mention&) { return elses[k] != 0; });
      return;
    }
  }
  if (!own && !at_home) return;
  // "我父亲独居在三林路519弄，刚才闻到煤气味" with the poster's own address (or group) in the address
  // field: the trouble is at the relative's, which the text names; the field says only who writes.
  bool own_in_text = false, elses_in_text = false;
  for (std::size_t k = 0; k < ev.mentions.size(); ++k) {
    if (!ev.mentions[k].from_content || ev.mentions[k].area) continue;
    (elses[k] ? elses_in_text : own_in_text) = true;
  }
  // "其女儿住在金谊河畔，本人住锦翠苑，今天去女儿家发现地板起拱了": the caller went to the relative's
  // and found the trouble there.
  // The address field naming that same place stays: the reason then says the address was read.
  if (elses_in_text && !at_home && visited_theirs(text.text)) {
    std::vector<std::set<std::size_t>> theirs;
    for (std::size_t k = 0; k < ev.mentions.size(); ++k)
      if (elses[k]) add_set(theirs, ev.mentions[k].candidates);
    erase_indexed(ev.mentions, [&](std::size_t k, const mention& m) {
      return elses[k] == 0 && !m.area &&
             (m.from_content || std::find(theirs.begin(), theirs.end(), m.candidates) == theirs.end());
    });
    return;
  }
  const bool field_only = elses_in_text && !own_in_text && !at_home;
  erase_indexed(ev.mentions,
                [&](std::size_t k, const mention& m) { return field_only ? !m.from_content : elses[k] != 0; });
}

// The text saying the trouble is next to a place ("樱桃苑隔壁那个小区") sets that place aside in the
// address field too, where a group's or a desk's name put it.
void resolver::drop_landmarks(const reading& addr, const reading& text, evidence& ev) {
  std::vector<std::set<std::size_t>> near_in_text;
  std::erase_if(ev.mentions, [&](const mention& m) {
    if (!landmark(m.from_content ? text.text : addr.text, m.begin, m.end)) return false;
    add_unique(ev.beside, m.written);
    if (m.from_content) near_in_text.push_back(m.candidates);
    return true;
  });
  std::erase_if(ev.mentions, [&](const mention& m) {
    return !m.from_content && std::find(near_in_text.begin(), near_in_text.end(), m.candidates) != near_in_text.end();
  });
}

}  // namespace halfhour::sla
