// Where the text says the trouble is not at the place the address field (a group's or a desk's
// name) or the caller's own words give: a home in another district or on a road only, the caller
// away or at a public place's door, words that it is not the community's.
#include <algorithm>

#include "sla/resolver.hpp"
#include "sla/resolver_util.hpp"
#include "sla/text.hpp"

namespace halfhour::sla {

using namespace resolver_util;

namespace {

// The first of the caller_away cues the text holds, or none.
std::u32string_view caller_is_away(std::u32string_view t) {
  for (const auto cue : caller_away)
    for (auto at = t.find(cue); at != std::u32string_view::npos; at = t.find(cue, at + 1))
      if (!t.substr(0, at).ends_with(U"物业")) return cue;
  return {};
}

// "东明小学门口那段路灯", "药房，门口人行道", "地铁站大门": the door of a public place, outside any
// community. Not "离学校门口最近那栋" (where someone lives, by it).
std::u32string_view at_public_door(std::u32string_view t) {
  constexpr std::u32string_view places[] = {U"小学", U"中学",   U"学校", U"医院", U"药房",   U"药店",
                                            U"银行", U"地铁站", U"菜场", U"超市", U"派出所", U"公园"};
  for (const auto place : places)
    for (auto at = t.find(place); at != std::u32string_view::npos; at = t.find(place, at + 1)) {
      const auto before = t.substr(0, at);
      if (before.ends_with(U"离") || before.ends_with(U"靠近") || before.ends_with(U"近")) continue;
      auto after = t.substr(at + place.size(), 4);
      while (!after.empty() && in(U"，,的那", after.front())) after.remove_prefix(1);
      for (std::u32string_view door : {U"门口", U"大门", U"出口"})
        if (after.starts_with(door)) return t.substr(at, place.size());
    }
  return {};
}

// "我住金桂苑", "来电人住品华苑", "来电男士称住三林路711弄", "登记住址为丹桂苑": the caller saying where they live,
// which is who calls, not where the trouble is once the text puts it elsewhere.
bool introduces_caller(std::u32string_view t, std::size_t begin, std::size_t end) {
  // "金色雅筑业主来电：", "银杏苑的祁阿姨来说", "品珍苑2号楼楼组长发的": the estate of who comes or
  // calls, a person named straight after it.
  constexpr std::u32string_view person[] = {U"业主", U"居民",   U"住户",     U"阿姨", U"老伯",  U"伯伯",
                                            U"爷爷", U"奶奶",   U"阿婆",     U"老师", U"先生",  U"女士",
                                            U"师傅", U"楼组长", U"独居老人", U"老人", U"志愿者"};
  const auto next = t.substr(end, 10);
  const auto stop = std::find_if(next.begin(), next.end(), [](char32_t c) { return in(U"，,。：:；;！!？?", c); });
  const auto span = next.substr(0, static_cast<std::size_t>(stop - next.begin()));
  // Not a job done there ("我在美林别墅做阿姨"): the household served is in that estate.
  for (const auto who : person)
    if (const auto at = span.find(who); at != std::u32string_view::npos &&
                                        !span.substr(at + who.size()).starts_with(U"家") &&
                                        (at == 0 || !in(U"做当", span[at - 1])))
      return true;
  auto before = t.substr(0, begin);
  // "我现在人在凌云公寓我儿子家": where the caller is now; "我们品新苑这边都好": the poster's own.
  for (std::u32string_view here : {U"人在", U"现在在", U"我们", U"阿拉"})
    if (before.ends_with(here)) return true;
  if (before.ends_with(U"在")) before.remove_suffix(1);
  // "……，家在上浦路69弄", "来电人在菜场卖菜……她住金禾新苑": a clause of its own about where the caller
  // lives. "她住…" only where no relative was named before: in "帮我岳母报的，她住凌兆路428弄" she is the
  // relative.
  for (std::u32string_view lives : {U"她住", U"他住", U"家住", U"家", U"住"})
    if (before.ends_with(lives) &&
        (before.size() == lives.size() || in(U"，,。；;", before[before.size() - lives.size() - 1])))
      return lives.size() == 1 || lives[0] == U'家' || !has_any(before, others);
  // Not "老人住…", "老人本人住…": the person the request is about. A 在 after the words is set aside
  // above: "我家在丹桂苑" is read as "我家丹桂苑".
  for (std::u32string_view lives :
       {U"我住",   U"来电人住", U"诉求人住", U"求助人住",   U"报修人住",   U"我家住",   U"自己住",
        U"称住",   U"我家",     U"我家是",   U"来电人家住", U"诉求人家住", U"来电人家", U"诉求人家",
        U"其家住", U"其家",     U"住址为",   U"住址是",     U"家庭住址",   U"市民住",   U"市民家住",
        U"居民住", U"平时住",   U"自家住",   U"我是",       U"我们是",     U"阿拉是",   U"本人是"})
    if (before.ends_with(lives)) return true;
  return false;
}

// "帮朋友打的", "想帮我姐问一下", "替其母亲反映": the request is made for someone else. With no
// place of theirs read, the caller's own home is not the place either.
std::u32string_view made_for_someone(std::u32string_view t) {
  constexpr std::u32string_view for_them[] = {U"替", U"帮", U"代"};
  constexpr std::u32string_view kin[] = {U"姐", U"哥", U"弟", U"妹"};
  for (const auto verb : for_them)
    for (auto at = t.find(verb); at != std::u32string_view::npos; at = t.find(verb, at + 1)) {
      auto who = t.substr(at + verb.size(), 6);
      drop_prefix(who, {U"我", U"其", U"她", U"他"});
      if (starts_with_any(who, others) || starts_with_any(who, kin)) return t.substr(at, verb.size());
    }
  return {};
}

}  // namespace

// "我住在徐汇区…", "他们住在杨浦区", "我在宝山的妈妈家", "小区在高行镇", "在浦江镇的出租房": the text puts a home in
// another district or town (not only mentions one: "从闵行过来").
bool resolver::home_elsewhere(const reading& text) const {
  const std::u32string_view t = text.text;
  // "去浦西女儿家": a relative's home across the river (浦西 is not a place outside by itself: "来电人
  // 住浦西" calls for a parent's home here).
  for (auto at = t.find(U"浦西"); at != std::u32string_view::npos; at = t.find(U"浦西", at + 1))
    if (opens_with_their_home(t.substr(at + 2)) || opens_with_their_home(t.substr(at + 3))) return true;
  return std::any_of(text.hits.begin(), text.hits.end(), [&](const word_index::hit& h) {
    if (!elsewhere_at(t, h)) return false;
    auto before = t.substr(0, place_begin(t, h));
    // "她亲家住浦东川沙": the new district's name before the town.
    drop_suffix(before, {U"浦东新区", U"浦东"});
    for (std::u32string_view lives : {U"住在", U"住", U"家在", U"家住", U"小区在", U"住的是", U"搬到", U"搬去", U"搬至",
                                      U"搬到了", U"搬去了", U"宿舍在", U"一套在", U"房子在", U"出租房在", U"老房子在"})
      if (before.ends_with(lives)) return true;
    // "她舅舅家：杨浦区控江路上的", "伊拉屋里（闵行莘庄）", "阿拉表姐宝山那边": someone's home, then
    // the place with at most a mark between.
    auto home = before;
    while (!home.empty() && in(U"：:（(—-，, ", home.back())) home.remove_suffix(1);
    if (home.ends_with(U"家") || home.ends_with(U"屋里") || ends_with_any(home, others)) return true;
    auto after = t.substr(h.end, 8);
    for (std::u32string_view skip : {U"区", U"镇", U"那边", U"那里", U"的"})
      if (after.starts_with(skip)) after.remove_prefix(skip.size());
    // "浦东北蔡那边一个小区", "替宝山区的老母亲": a community over there, or a relative of that place
    // (not "闵行有个小区外墙落下来", news of it; not "刚从杨浦区舅舅那边回来", a visit).
    constexpr std::u32string_view over_there[] = {U"那边一个小区", U"那边的小区", U"那里一个小区", U"那边有个小区",
                                                  U"还有一套",     U"有一套",     U"还有套",       U"那边还有",
                                                  U"那套",         U"那边老房子", U"那边的老房子", U"那边的房子"};
    // "我妹妹被关在杨浦控江路她们小区的电梯里": their estate, over there.
    for (std::u32string_view theirs : {U"她们小区", U"他们小区", U"她家小区", U"他家小区"})
      if (has(t.substr(h.end, 10), theirs)) return true;
    const auto raw = t.substr(h.end + (t.substr(h.end).starts_with(U"区") ? 1 : 0), 8);
    const bool went = before.ends_with(U"从");
    if (after.starts_with(U"家") || starts_with_any(raw, over_there) || (!went && starts_with_any(after, others)))
      return true;
    // "其女儿位于川沙新镇的家中", "他在闵行莘庄租的房子", "在浦江镇的出租房".
    // Not "在徐汇上班，回家发现": the home follows the place with only its name and 的 between.
    if (before.ends_with(U"在") || before.ends_with(U"位于")) {
      const auto near = t.substr(h.end, 8);
      if (has(near, U"租的")) return true;
      const auto of = near.find(U'的');
      if (of != std::u32string_view::npos)
        for (std::u32string_view dwelling : {U"家", U"房子", U"出租房", U"老房子", U"新房"})
          if (near.substr(of + 1).starts_with(dwelling)) return true;
    }
    return opens_with_their_home(after);
  });
}

// "我老丈人屋里在浦东南路那边", "我妈家在凌兆路上": someone's home on a road, no lane written.
std::u32string_view resolver::home_on_a_road(std::u32string_view t) {
  if (t.find(U'路') == std::u32string_view::npos) return {};  // most texts: no road at all
  for (const auto who : others)
    for (auto at = t.find(who); at != std::u32string_view::npos; at = t.find(who, at + 1)) {
      auto rest = t.substr(at + who.size());
      bool home = drop_prefix(rest, {U"屋里", U"家"});
      home = drop_prefix(rest, {U"住在", U"在", U"住"}) || home;
      const auto road_end = rest.substr(0, 6).find(U'路');
      if (!home || road_end == std::u32string_view::npos || road_end < 2 ||
          !std::all_of(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(road_end), is_han))
        continue;
      // A road of the sub-district with its lane written is a place and stays ("我妈家在凌兆路405弄");
      // a road alone, ours or not, says only that the home is not the poster's.
      const auto after_road = rest.substr(road_end + 1);
      if (!after_road.empty() && is_digit(after_road.front())) continue;
      return rest.substr(0, road_end + 1);
    }
  return {};
}

// Words that put the trouble on public ground, outside any community: "经核实为市政道路",
// "来电人强调不在小区内", "小区外人行道". Not "小区外墙" (a building's face).
constexpr std::u32string_view public_ground_cues[] = {
    U"市政道路", U"市政道",   U"不在小区内", U"不在小区里",   U"不在小区范围", U"小区外面",     U"小区外头",
    U"小区外边", U"在小区外", U"小区以外",   U"小区外人行道", U"非报修地点",   U"不是报修地点", U"并非报修地点"};

// The cue that puts the request outside, or none: one of the words above, or the caller's
// community said to lie in another district or town ("经询问来电人小区位于松江区泗泾镇").
std::u32string_view resolver::said_outside(const reading& text) const {
  const std::u32string_view t = text.text;
  for (auto cue : outside_cues)
    if (has(t, cue)) return cue;
  for (auto cue : public_ground_cues)
    if (has(t, cue)) return cue;
  // "接线员确认时来电人说在松江泗泾": where the caller says the trouble is, asked again.
  for (std::u32string_view lies :
       {U"小区位于", U"小区在", U"小区属于", U"小区地处", U"说在", U"称在", U"说是在", U"实际在", U"其实在"})
    for (auto at = t.find(lies); at != std::u32string_view::npos; at = t.find(lies, at + 1)) {
      const auto where = at + lies.size();
      if (std::any_of(text.hits.begin(), text.hits.end(),
                      [&](const word_index::hit& h) { return place_begin(t, h) == where && elsewhere_at(t, h); }))
        return t.substr(at, lies.size());
    }
  return {};
}

// The address field (a group's or a desk's name) and "我住…" in the text say where the caller
// lives. When the text puts the trouble elsewhere (a home in another district, the caller away,
// words that it is not the community's) they say only who calls, and are set aside: only when no
// other place is written, so that the request goes to the station. Picking one firm out of two
// homes written on a cue word is the one routing mistake never to make.
void resolver::drop_field_elsewhere(const reading& text, evidence& ev) const {
  // Said plainly to lie outside the sub-district: no place written is the request's.
  if (const auto outside = said_outside(text); !outside.empty()) {
    ev.mentions.clear();
    ev.not_ours = to_utf8(outside);
    return;
  }
  const auto intro = [&](const mention& m) {
    return !m.from_content || (!m.area && introduces_caller(text.text, m.begin, m.end)) ||
           opens_desk_note(text.text, m);
  };
  // Only the field's places and the caller's own can be set aside, and only when the text names no
  // other place: checked first, as the cues below cost more.
  if (std::none_of(ev.mentions.begin(), ev.mentions.end(), intro) ||
      std::any_of(ev.mentions.begin(), ev.mentions.end(), [&](const mention& m) { return !m.area && !intro(m); }))
    return;
  const auto said = std::find_if(std::begin(not_the_community), std::end(not_the_community),
                                 [&](std::u32string_view w) { return has(text.text, w); });
  // A home on a road with no lane is elsewhere too, and is named to the station.
  const auto other_road = home_on_a_road(text.text);
  const bool home_away = !other_road.empty() || home_elsewhere(text);
  auto away = caller_is_away(text.text);
  if (away.empty()) away = at_public_door(text.text);
  if (away.empty()) away = other_road;
  // Made for someone else by a caller who says where they live ("我自己住上南路4265弄，现在是帮朋友打的");
  // not "代老人报修", a neighbour helping in the same estate.
  const bool own_said = std::any_of(ev.mentions.begin(), ev.mentions.end(), [&](const mention& m) {
    return m.from_content && !m.area && introduces_caller(text.text, m.begin, m.end);
  });
  if (away.empty() && own_said) away = made_for_someone(text.text);
  if (!home_away && away.empty() && said == std::end(not_the_community)) return;
  const auto size = ev.mentions.size();
  std::erase_if(ev.mentions, intro);
  // The station is told why: another district is named among the places outside already.
  if (ev.mentions.size() == size || (home_away && other_road.empty())) return;
  ev.not_ours = to_utf8(said != std::end(not_the_community) ? *said : away);
}

}  // namespace halfhour::sla
