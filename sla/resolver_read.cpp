// The resolver's decision: both texts read once, what one says settling what the other leaves
// open (a split lane's part, a phase), a place written only to be denied set aside, then one
// community to its firm or the station told why.
#include <algorithm>
#include <map>

#include "sla/normalise_char.hpp"
#include "sla/resolver.hpp"
#include "sla/resolver_util.hpp"
#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

using namespace resolver_util;

constexpr std::size_t none = static_cast<std::size_t>(-1);

// The decoded text normalised in its own buffer; and variant characters people type for
// those of the directory's names folded: 桔 is the everyday form of 橘 (金橘新苑), 淩 an old one
// of 凌 (凌兆路).
std::u32string normalised_folded(std::u32string text) {
  std::size_t kept = 0;
  for (char32_t c : text) {
    if (normalise_drops(c)) continue;
    c = normalise_char(c);
    if (c == U'桔') c = U'橘';
    if (c == U'淩') c = U'凌';
    text[kept++] = c;
  }
  text.resize(kept);
  return text;
}

// Roads and lanes written in pinyin or English, as on the street signs ("Lane 521, Lingzhao Rd",
// "Lingzhao Road 396 nong"): read as the Chinese, so the lane reader finds "521弄" and "凌兆路". The
// text is upper case and without spaces by now.
void fold_romanised(std::u32string& text) {
  static constexpr std::pair<std::u32string_view, std::u32string_view> roads[] = {
      {U"LINGZHAOROAD", U"凌兆路"},      {U"LINGZHAORD", U"凌兆路"},      {U"LINGZHAOLU", U"凌兆路"},
      {U"SHANGPUROAD", U"上浦路"},       {U"SHANGPURD", U"上浦路"},       {U"SHANGPULU", U"上浦路"},
      {U"SANLINROAD", U"三林路"},        {U"SANLINRD", U"三林路"},        {U"SANLINLU", U"三林路"},
      {U"SHANGNANROAD", U"上南路"},      {U"SHANGNANRD", U"上南路"},      {U"SHANGNANLU", U"上南路"},
      {U"HUANLINEASTROAD", U"环林东路"}, {U"HUANLINEASTRD", U"环林东路"}, {U"HUANLINDONGLU", U"环林东路"}};
  if (std::none_of(text.begin(), text.end(), [](char32_t c) { return c >= U'A' && c <= U'Z'; })) return;
  for (const auto& [from, to] : roads)
    for (auto at = text.find(from); at != std::u32string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  // "LANE521" and "521NONG" are 521弄.
  for (auto at = text.find(U"LANE"); at != std::u32string::npos; at = text.find(U"LANE", at)) {
    auto end = at + 4;
    while (end < text.size() && is_digit(text[end])) ++end;
    if (end == at + 4) {
      at += 4;
      continue;
    }
    text.insert(end, U"弄");
    text.erase(at, 4);
  }
  for (auto at = text.find(U"NONG"); at != std::u32string::npos; at = text.find(U"NONG", at)) {
    if (at > 0 && is_digit(text[at - 1])) text.replace(at, 4, U"弄");
    else at += 4;
  }
}

}  // namespace

// Names as clerks space them, read before spaces are dropped: a firm's bare name, a community's
// stem.
void resolver::part_names(std::u32string& wide) const {
  // "凌五 临客嘉 586弄", "金光 上钢": a firm's bare name parted by spaces or marks, as clerks write
  // it beside the committee, is the firm (read as if 物业 followed; spaces are gone once
  // normalised).
  const auto parted = [&](std::size_t i) { return in(U" \u3000，,。；;：:、（）()/／", wide[i]); };
  for (const auto& e : names_) {
    if (e.kind != name_kind::firm || !e.word) continue;
    for (auto at = wide.find(e.name); at != std::u32string::npos; at = wide.find(e.name, at + 1)) {
      const auto end = at + e.name.size();
      if ((at == 0 || parted(at - 1)) && (end >= wide.size() || parted(end))) wide.insert(end, U"物业");
    }
  }
  // "美林 电表箱 冒烟", "兰庭 楼道灯 不亮": a community's stem parted by spaces, as clerks write it,
  // is set apart as by marks (spaces are gone once normalised, and "美林电表箱" reads as a word).
  if (std::none_of(wide.begin(), wide.end(), is_space)) return;
  for (const auto& e : names_) {
    if (e.kind != name_kind::stem || e.word) continue;
    for (auto at = wide.find(e.name); at != std::u32string::npos; at = wide.find(e.name, at + 1)) {
      const auto end = at + e.name.size();
      if ((at == 0 || parted(at - 1)) && end < wide.size() && parted(end)) {
        if (is_space(wide[end])) wide[end] = U';';
        if (at > 0 && is_space(wide[at - 1])) wide[at - 1] = U';';
      }
    }
  }
}

// Numbers as people space them, read before spaces are dropped: a road's lane and the next number,
// a road written without 路, numbers parted by a space.
void resolver::part_numbers(std::u32string& wide) const {
  // "凌兆 428", "上南4265": a road without its 路, right before a number, is the road.
  for (const auto& road : roads_) {
    if (road.name.size() < 3 || road.name.back() != U'路') continue;
    const std::u32string_view stem(road.name.data(), road.name.size() - 1);
    for (auto at = wide.find(stem); at != std::u32string::npos; at = wide.find(stem, at + 1)) {
      auto p = at + stem.size();
      while (p < wide.size() && (wide[p] == U' ' || wide[p] == 0x3000)) ++p;
      if (p < wide.size() && is_digit(wide[p])) wide.insert(at + stem.size(), 1, U'路');
    }
  }
  // "凌兆路608 3号": a number right after a road, parted from the next by a space, is its lane with
  // 弄 left out (spaces are gone once normalised, and 6083 would be read).
  for (const auto& road : roads_)
    for (auto at = wide.find(road.name); at != std::u32string::npos; at = wide.find(road.name, at + 1)) {
      auto p = at + road.name.size(), digits = p;
      while (p < wide.size() && is_digit(wide[p])) ++p;
      auto q = p;
      while (q < wide.size() && (wide[q] == U' ' || wide[q] == 0x3000)) ++q;
      if (p > digits && q > p && q < wide.size() && is_digit(wide[q])) wide.insert(p, 1, U'弄');
    }
  // "709 还是 711", "256 或 285": a number offered against another, spaced as people speak, is
  // read as written together ("709还是711"), so the two stay alternatives.
  for (std::u32string_view joint : {U"还是", U"或者", U"或是", U"或"})
    for (auto at = wide.find(joint); at != std::u32string::npos; at = wide.find(joint, at + 1)) {
      auto before = at;
      while (before > 0 && is_space(wide[before - 1])) --before;
      auto after = at + joint.size();
      while (after < wide.size() && is_space(wide[after])) ++after;
      if (before == 0 || !is_digit(wide[before - 1]) || after >= wide.size() || !is_digit(wide[after])) continue;
      wide.erase(at + joint.size(), after - at - joint.size());
      wide.erase(before, at - before);
      at = before;
    }
  // "凌八 405 12号302", "凌16 355弄": numbers parted by a space stay apart (not 40512, 16355);
  // digits spelt out one by one ("5 0 5 弄") are one number. Numerals in words likewise: "凌三
  // 五二一弄" is 凌三 and 521弄, not 3521弄. A number parted from a word that cannot go on from it
  // ends there: "凌14 楼道" is the committee 凌十四 and a stairwell, while "128 弄" and "3 楼" go on.
  const auto numeral = [](char32_t c) { return in(U"〇零一二两三四五六七八九十百千", c); };
  const auto goes_on = [&](std::size_t q) {
    if (!in(U"号弄栋幢楼室层期单", wide[q])) return false;
    return !(wide[q] == U'楼' && q + 1 < wide.size() && in(U"道梯顶下上里门", wide[q + 1]));
  };
  for (std::size_t p = 1; p + 1 < wide.size(); ++p) {
    if (wide[p] != U' ' && wide[p] != 0x3000) continue;
    auto q = p;
    while (q < wide.size() && (wide[q] == U' ' || wide[q] == 0x3000)) ++q;
    if (q >= wide.size()) continue;
    if (numeral(wide[p - 1]) && numeral(wide[q])) {
      wide[p] = U';';
      continue;
    }
    if (!is_digit(wide[p - 1])) continue;
    if (!is_digit(wide[q])) {
      if (is_han(wide[q]) && !goes_on(q)) wide[p] = U';';
      continue;
    }
    const bool long_before = p >= 2 && is_digit(wide[p - 2]);
    const bool long_after = q + 1 < wide.size() && is_digit(wide[q + 1]);
    if (long_before || long_after) wide[p] = U';';
  }
}

namespace {

// "586弄甲块", "201弄乙区", "530乙": the parts of a split lane by the heavenly stems, read as A and
// B. Only after a lane's number or mark or before 区, 块 or 座: "甲醛" stays a word.
void read_stem_branches(std::u32string& t) {
  for (std::size_t p = 0; p < t.size(); ++p) {
    if (t[p] != U'甲' && t[p] != U'乙') continue;
    const bool after_lane = p > 0 && (t[p - 1] == U'弄' || is_digit(t[p - 1]));
    const bool before_part = p + 1 < t.size() && in(U"区块座", t[p + 1]);
    if (after_lane || before_part) t[p] = t[p] == U'甲' ? U'A' : U'B';
  }
}

}  // namespace

resolver::reading resolver::prepare(std::string_view raw, bool from_content) const {
  reading r;
  auto wide = to_u32(raw);
  part_names(wide);
  part_numbers(wide);
  auto folded = normalised_folded(std::move(wide));
  fold_romanised(folded);
  read_stem_branches(folded);
  r.text = read_chinese_numerals(folded);
  r.numerals = r.text != folded;
  r.from_content = from_content;
  r.hits.reserve(16);
  words_.scan(r.text, r.hits);
  return r;
}

void resolver::read(const reading& r, evidence& ev) const {
  read_lanes(r, ev);
  read_names(r, ev);
  read_outside(r, ev);
}

namespace {

// "问是否翠竹苑称记不清", "小区叫啥我也搞不清": the caller cannot say the name, so a near miss of
// one is no reading of it.
bool unsure_of_place(std::u32string_view t) {
  constexpr std::u32string_view unsure[] = {U"记不清", U"不确定", U"说不清", U"搞不清",  U"搞勿清",
                                            U"弄不清", U"不记得", U"叫不出", U"不知道叫"};
  return has_any(t, unsure);
}

}  // namespace

// "三林苑居委接待：一位老伯说他儿子家在衡辰三林苑……": the committee opening a desk's note is who
// wrote it down, not where the trouble is.
bool resolver::opens_desk_note(std::u32string_view t, const mention& m) {
  constexpr std::u32string_view desk_words[] = {U"接待", U"登记", U"值班", U"接到", U"接", U"收到", U"记录", U"转"};
  if (!m.from_content || m.area_kind != 1 || m.begin > 1) return false;
  auto after = t.substr(m.end);
  drop_prefix(after, {U"居民委员会", U"居委会", U"居委"});
  return starts_with_any(after, desk_words);
}

// The desk narrows no place the note names (the visitor may speak of a son's home in the next
// committee); alone, it is the place.
void resolver::drop_desk(const reading& text, evidence& ev) {
  const auto desk = [&](const mention& m) { return opens_desk_note(text.text, m); };
  if (std::all_of(ev.mentions.begin(), ev.mentions.end(), desk)) return;
  std::erase_if(ev.mentions, desk);
}

// "婆婆住“什么银杏苑”", "小区叫“银杏苑”，又说前面好像还有个字": the name may have more in front,
// so every community whose name ends with it is a candidate (银杏苑 and 古银杏苑).
void resolver::widen_unsure_heads(const reading& text, evidence& ev) const {
  constexpr std::u32string_view more_in_front[] = {U"前面还有",   U"前面好像还有", U"前头还有",
                                                   U"前头几个字", U"前面几个字",   U"前面的字"};
  const std::u32string_view t = text.text;
  const bool said = has_any(t, more_in_front);
  for (auto& m : ev.mentions) {
    if (m.area || m.candidates.size() != 1) continue;
    const bool after_filler =
        m.from_content && (t.substr(0, m.begin).ends_with(U"什么") || t.substr(0, m.begin).ends_with(U"啥"));
    if (!said && !after_filler) continue;
    const std::string_view name = dir_.communities[*m.candidates.begin()].name;
    std::set<std::size_t> more;
    for (std::size_t j = 0; j < dir_.communities.size(); ++j)
      if (const std::string_view other = dir_.communities[j].name; other.size() > name.size() && other.ends_with(name))
        more.insert(j);
    if (more.empty()) continue;
    more.insert(m.candidates.begin(), m.candidates.end());
    widen(m, more, "“" + m.written + "”前面可能还有字，" + names_of(more) + "都相符");
  }
}

resolution resolver::resolve(std::string_view address, std::string_view content) const {
  const auto addr = prepare(address, false), text = prepare(content, true);
  // The address and the text count alike: "凌三居委" in one and "521弄7号" in the other is 521弄.
  evidence ev;
  read(addr, ev);
  read(text, ev);
  ev.numerals = addr.numerals || text.numerals;
  ev.address_empty = addr.text.empty();
  for (const auto& m : ev.mentions) ev.read_at.emplace_back(m.from_content, m.begin, m.end);
  drop_denied(addr, text, ev);
  drop_landmarks(addr, text, ev);
  drop_desk(text, ev);
  drop_someone_elses(addr, text, ev);
  drop_field_elsewhere(text, ev);
  settle_parts(addr, text, ev);
  widen_unsure_heads(text, ev);
  // "岳父家在“锦什么苑”" beside a field's exact name: the text's doubt counts too, when it fits
  // several communities (one fit is read below, as a typo would be).
  if (std::any_of(ev.mentions.begin(), ev.mentions.end(), [](const mention& m) { return !m.area; })) {
    evidence half;
    if (read_half_remembered(text, half) && half.mentions.front().candidates.size() > 1)
      ev.mentions.push_back(std::move(half.mentions.front()));
  }
  // A typo is a guess: made only when no place is written exactly and nothing says "elsewhere"
  // (outside the sub-district, or only near a place).
  const bool place_written =
      std::any_of(ev.mentions.begin(), ev.mentions.end(), [](const mention& m) { return !m.area; });
  if (!place_written && ev.outside.empty() && ev.beside.empty() && ev.not_ours.empty() && !unsure_of_place(text.text) &&
      !read_typos(addr, ev))
    read_typos(text, ev);

  auto out = finish(ev);
  // Building and room follow the first place written (the address before the text).
  auto first = std::find_if(ev.mentions.begin(), ev.mentions.end(), [](const mention& m) { return !m.area; });
  if (first == ev.mentions.end()) first = ev.mentions.begin();
  if (first != ev.mentions.end())
    read_building_room(first->from_content ? text.text : addr.text, first->end, out.building, out.room);
  return out;
}

// A part of a shared name written: "二期", and the phases written together, "一二期" or "一、二期"
// (each of them).
bool part_said(std::u32string_view t, std::u32string_view form) {
  // "哪一期我也说不清", "不住那一期": a question or a pointer, not a phase.
  for (auto at = t.find(form); at != std::u32string_view::npos; at = t.find(form, at + 1))
    if (at == 0 || !in(U"哪几那这", t[at - 1])) return true;
  if (form.size() != 2 || form[1] != U'期') return false;
  for (auto at = t.find(U'期'); at != std::u32string_view::npos; at = t.find(U'期', at + 1)) {
    std::size_t from = at;
    while (from > 0 && in(U"一二三四五六1234、和与及", t[from - 1])) --from;
    if (from > 0 && in(U"哪几那这", t[from - 1])) continue;
    if (has(t.substr(from, at - from), form.substr(0, 1))) return true;
  }
  return false;
}

// What one place leaves open the request may say elsewhere: "凌兆路530弄" in the address and
// "B区" in the text is 530弄B; "湾流域" and "二期6号楼" is 湾流域二期.
void resolver::settle_parts(const reading& addr, const reading& text, evidence& ev) const {
  for (auto& m : ev.mentions) {
    if (!m.part_open && m.area && m.candidates.size() > 1) {
      // "凌5 B区7号" with 凌五居委, whose communities are 凌兆路586弄A and B: the part written picks.
      auto part = part_written(text.text);
      if (part.empty()) part = part_written(addr.text);
      if (part != "A" && part != "B") continue;
      std::set<std::size_t> narrowed;
      for (auto i : m.candidates)
        if (dir_.communities[i].part == part) narrowed.insert(i);
      if (narrowed.size() != 1) continue;
      m.candidates = narrowed;
      m.area = false;
      m.area_kind = 0;
      m.several.clear();
      m.note = "“" + m.written + "”下的" + part + "区即" + dir_.communities[*narrowed.begin()].name;
      continue;
    }
    if (!m.part_open) continue;
    std::set<std::size_t> narrowed;
    std::string said;
    if (m.shared != none) {
      for (const auto& p : parts_[m.shared])
        if (part_said(addr.text, p.form) || part_said(text.text, p.form)) {
          narrowed.insert(p.community);
          said = to_utf8(p.form);
        }
    } else {
      const auto part = part_written(m.from_content ? addr.text : text.text);
      if (part != "A" && part != "B") continue;
      for (auto i : m.candidates)
        if (dir_.communities[i].part.empty() || dir_.communities[i].part == part) narrowed.insert(i);
      said = part + "区";
    }
    if (narrowed.size() != 1) continue;
    m.candidates = narrowed;
    m.part_open = false;
    m.area = false;
    m.several.clear();
    m.note = "“" + m.written + "”所在分区按所写“" + said + "”确定";
  }
}

resolution resolver::finish(const evidence& ev) const {
  std::set<std::size_t> places, areas;
  std::map<int, std::set<std::size_t>> by_kind;
  bool exact_place = false;
  for (const auto& m : ev.mentions) {
    (m.area ? by_kind[m.area_kind] : places).insert(m.candidates.begin(), m.candidates.end());
    exact_place = exact_place || (!m.area && m.exact);
  }
  // Areas of different kinds narrow each other: a committee and a firm ("红枫居委：民盈城投物业
  // 管的小区"), a shared name and a committee ("衡辰三林苑 三林苑居委"). Two of one kind are
  // alternatives ("凌四或凌六"); areas with nothing in common all stand, for the station.
  for (const auto& [kind, within] : by_kind) {
    if (areas.empty()) {
      areas = within;
      continue;
    }
    std::set<std::size_t> both;
    std::set_intersection(areas.begin(), areas.end(), within.begin(), within.end(), std::inserter(both, both.begin()));
    if (both.empty()) areas.insert(within.begin(), within.end());
    else areas = std::move(both);
  }
  // Outside the sub-district unless a place of the directory is written out in full: a committee,
  // a bare lane or a near-miss name beside "徐汇" or "三林镇" is no reason to send a firm.
  if (!ev.outside.empty() && !exact_place) return to_station(ev, {}, "");
  std::set<std::size_t> candidates;
  std::string conflict;
  if (!places.empty() && !areas.empty()) {
    std::set_intersection(places.begin(), places.end(), areas.begin(), areas.end(),
                          std::inserter(candidates, candidates.begin()));
    if (candidates.empty()) {
      candidates = places;
      candidates.insert(areas.begin(), areas.end());
      conflict = "地址中的小区或弄号与所写居委、片区不一致";
    }
  } else {
    candidates = places.empty() ? areas : places;
  }
  if (conflict.empty()) conflict = ev.undecided;
  if (candidates.size() != 1 || !conflict.empty()) return to_station(ev, candidates, conflict);
  return to_firm(ev, *candidates.begin(), !places.empty());
}

resolution resolver::to_firm(const evidence& ev, std::size_t i, bool place_written) const {
  const auto& c = dir_.communities[i];
  resolution out;
  out.to = route::firm;
  out.community_name = c.name;
  out.committee = c.committee;
  out.firm = c.firm;
  out.candidates = {c.name};
  out.reason = "地址匹配“" + c.name + "”，由" + c.firm + "负责";
  std::vector<std::string> notes, areas;
  bool from_address = false;
  for (const auto& m : ev.mentions) {
    if (!m.candidates.count(i)) continue;
    from_address = from_address || !m.from_content;
    add_unique(notes, m.note);
    // Areas that narrow a place, or each other ("衡辰三林苑" and "安居苑居委": only the east half).
    if (m.area && m.candidates.size() > 1)
      add_unique(place_written ? notes : areas,
                 (place_written ? "与“" : "“") + m.written + (place_written ? "”相符" : "”"));
  }
  if (areas.size() > 1) add_unique(notes, join(areas, "与") + "共同确定");
  if (ev.numerals) notes.insert(notes.begin(), "中文数字按阿拉伯数字读");
  if (!notes.empty()) out.reason += "（" + join(notes, "；") + "）";
  if (!from_address)
    out.reason += ev.address_empty ? "（地址为空，从报修内容中识别）" : "（地址无法识别，从报修内容中识别）";
  return out;
}

resolution resolver::to_station(const evidence& ev, const std::set<std::size_t>& candidates,
                                const std::string& conflict) const {
  resolution out;
  out.to = route::station;
  for (auto i : candidates) out.candidates.push_back(dir_.communities[i].name);
  if (candidates.empty()) {
    if (!ev.outside.empty()) {
      out.reason = "“" + join(ev.outside, "”、“") + "”不在" + dir_.district + "辖区内，转应急维修服务站分拣";
    } else if (!ev.unknown.empty()) {
      out.reason = join(ev.unknown, "、") + "不在" + dir_.district + "的小区目录中";
    } else if (!ev.beside.empty()) {
      out.reason =
          "只写了在“" + join(ev.beside, "”、“") + "”附近（对面、隔壁），无法确定是哪个小区，转应急维修服务站分拣";
    } else if (!ev.not_ours.empty()) {
      out.reason = "报修内容说明地点不属于所在小区（“" + ev.not_ours + "”），转应急维修服务站分拣";
    } else if (!ev.roads.empty()) {
      out.reason = "只写了路名“" + join(ev.roads, "”、“") + "”，没有弄号，无法确定小区，转应急维修服务站分拣";
    } else {
      out.reason = "地址未能匹配" + dir_.district + "的小区，转应急维修服务站分拣";
    }
    return out;
  }
  // Why it fits several: each place's own reason ("711弄在两条路上", "凌七居委管辖多个小区"),
  // and whether two places were written ("709弄或711弄").
  std::vector<std::string> why, written;
  std::set<std::set<std::size_t>> distinct;
  for (const auto& m : ev.mentions) {
    if (!m.area) {
      distinct.insert(m.candidates);
      add_unique(written, "“" + m.written + "”");
    }
    if (m.candidates.size() > 1) add_unique(why, m.several);
  }
  if (!conflict.empty()) why.insert(why.begin(), conflict);
  if (distinct.size() > 1) why.insert(why.begin(), "地址写了不止一处：" + join(written, "、"));
  out.reason = why.empty() ? "地址可能属于多个小区" : join(why, "；");
  out.reason += "。可能是：" + names_of(candidates) + "，需应急维修服务站确认";
  // All candidates in one committee: the committee is still known, and is told.
  std::set<std::string> committees;
  for (auto i : candidates) committees.insert(dir_.communities[i].committee);
  if (committees.size() == 1) out.committee = *committees.begin();
  return out;
}

}  // namespace halfhour::sla
