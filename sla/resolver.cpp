// The resolver's frame: the name tables built from the directory, and the decision once every
// place a request names has been read (resolver_lanes.cpp reads road + lane, resolver_names.cpp
// names, typos and places outside the sub-district).
#include "sla/resolver.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

std::u32string norm32(std::string_view s) { return normalise(to_u32(s)); }

// Variant characters people type for those of the directory's names: 桔 is the everyday form
// of 橘 (金橘新苑), 淩 an old one of 凌 (凌兆路).
std::u32string fold_variants(std::u32string text) {
  for (auto& c : text) {
    if (c == U'桔') c = U'橘';
    if (c == U'淩') c = U'凌';
  }
  return text;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

void add_unique(std::vector<std::string>& to, const std::string& s) {
  if (!s.empty() && std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
}

bool contains(const std::set<std::size_t>& s, std::size_t i) { return s.find(i) != s.end(); }

}  // namespace

resolver::resolver(directory dir) : dir_(std::move(dir)) {
  std::set<std::u32string> seen;
  auto add_name = [&](std::string_view name, std::vector<std::size_t> idx, name_kind kind, std::string label) {
    auto n = norm32(name);
    if (n.empty()) return;
    if (!seen.insert(n).second) throw std::invalid_argument("directory: name used twice: " + std::string(name));
    names_.push_back({std::move(n), std::move(idx), kind, std::move(label)});
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
    add_name(c.name, {i}, name_kind::community, c.name);
    for (const auto& a : c.aliases) add_name(a, {i}, name_kind::alias, c.name);
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
    add_name(s.name, std::move(idx), name_kind::shared, s.name);
  }
  for (const auto& r : road_names) roads_.push_back({norm32(r), r});
  add_committee_names(seen);
  add_stem_names(seen);
}

// People name their residents' committee ("凌七居委", "凌九", "新一那边") where they do not know
// or do not write the community: it narrows the place to the communities it covers. A committee
// named like one of its communities ("三林苑") is that community when written bare.
void resolver::add_committee_names(std::set<std::u32string>& seen) {
  std::map<std::string, std::vector<std::size_t>> covers;
  for (std::size_t i = 0; i < dir_.communities.size(); ++i)
    if (!dir_.communities[i].committee.empty()) covers[dir_.communities[i].committee].push_back(i);
  for (const auto& [name, idx] : covers) {
    // "凌12居委" for 凌十二居委: the number read as digits (only with 居委, "金1" says nothing).
    auto digits = read_chinese_numerals(norm32(name) + U"号");
    digits.pop_back();
    std::vector<std::u32string> forms = {norm32(name + "居民委员会"), norm32(name + "居委会"), norm32(name + "居委"),
                                         norm32(name)};
    if (digits != norm32(name)) forms.insert(forms.end(), {digits + U"居委会", digits + U"居委"});
    for (auto& n : forms) {
      if (n.size() < 2 || !seen.insert(n).second) continue;
      names_.push_back({std::move(n), idx, name_kind::committee, name});
    }
  }
}

// "丹桂5号楼", "锦丽小区": a name without its 苑 or 新苑, read only before a building number or
// 小区 (alone, "银杏", "丁香", "樱桃" are trees and fruit), and only where no other community,
// committee or road contains it ("三林" is also a road and a town, "银杏" part of 古银杏苑).
void resolver::add_stem_names(std::set<std::u32string>& seen) {
  std::vector<name_entry> stems;
  for (const auto& e : names_) {
    if (e.kind != name_kind::community) continue;
    for (std::u32string_view suffix : {U"新苑", U"花苑", U"家园", U"苑", U"园"}) {
      if (!e.name.ends_with(suffix) || e.name.size() < suffix.size() + 2) continue;
      auto stem = e.name.substr(0, e.name.size() - suffix.size());
      const bool elsewhere =
          std::any_of(names_.begin(), names_.end(),
                      [&](const name_entry& o) {
                        return o.communities != e.communities && o.name.find(stem) != std::u32string::npos;
                      }) ||
          std::any_of(roads_.begin(), roads_.end(),
                      [&](const road_entry& r) { return r.name.find(stem) != std::u32string::npos; });
      if (!elsewhere && !seen.count(stem)) stems.push_back({stem, e.communities, name_kind::stem, e.label});
    }
  }
  for (auto& s : stems)
    if (seen.insert(s.name).second) names_.push_back(std::move(s));
}

std::string resolver::names_of(const std::set<std::size_t>& communities) const {
  std::vector<std::string> names;
  for (auto i : communities) names.push_back(dir_.communities[i].name);
  return join(names, "、");
}

resolver::evidence resolver::read(std::u32string_view text, bool from_content) const {
  evidence ev;
  read_lanes(text, from_content, ev);
  read_names(text, from_content, ev);
  read_outside(text, ev);
  return ev;
}

resolution resolver::resolve(std::string_view address, std::string_view content) const {
  const auto addr_raw = fold_variants(norm32(address)), text_raw = fold_variants(norm32(content));
  const auto addr = read_chinese_numerals(addr_raw), text = read_chinese_numerals(text_raw);
  // The address and the text count alike: "凌三居委" in one and "521弄7号" in the other is 521弄.
  evidence ev = read(addr, false);
  evidence more = read(text, true);
  ev.mentions.insert(ev.mentions.end(), more.mentions.begin(), more.mentions.end());
  for (const auto& s : more.outside) add_unique(ev.outside, s);
  for (const auto& s : more.unknown) add_unique(ev.unknown, s);
  for (const auto& s : more.roads) add_unique(ev.roads, s);
  ev.numerals = addr != addr_raw || text != text_raw;
  ev.address_empty = addr.empty();
  // A typo is a guess: made only when no place is written exactly and nothing says "elsewhere".
  const bool place_written =
      std::any_of(ev.mentions.begin(), ev.mentions.end(), [](const mention& m) { return !m.area; });
  if (!place_written && ev.outside.empty() && !read_typos(addr, false, ev)) read_typos(text, true, ev);

  auto out = finish(ev);
  // Building and room follow the first place written (the address before the text).
  auto first = std::find_if(ev.mentions.begin(), ev.mentions.end(), [](const mention& m) { return !m.area; });
  if (first == ev.mentions.end()) first = ev.mentions.begin();
  if (first != ev.mentions.end())
    read_building_room(first->from_content ? text : addr, first->end, out.building, out.room);
  return out;
}

resolution resolver::finish(const evidence& ev) const {
  std::set<std::size_t> places, areas;
  bool exact_place = false;
  for (const auto& m : ev.mentions) {
    (m.area ? areas : places).insert(m.candidates.begin(), m.candidates.end());
    exact_place = exact_place || (!m.area && m.exact);
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
  if (candidates.size() != 1 || !conflict.empty()) return to_station(ev, candidates, conflict);

  const auto i = *candidates.begin();
  const auto& c = dir_.communities[i];
  resolution out;
  out.to = route::firm;
  out.community_name = c.name;
  out.committee = c.committee;
  out.firm = c.firm;
  out.candidates = {c.name};
  out.reason = "地址匹配“" + c.name + "”，由" + c.firm + "负责";
  std::vector<std::string> notes;
  bool from_address = false;
  for (const auto& m : ev.mentions) {
    if (!contains(m.candidates, i)) continue;
    from_address = from_address || !m.from_content;
    add_unique(notes, m.note);
    if (m.area && m.candidates.size() > 1 && !places.empty()) add_unique(notes, "与“" + m.written + "”相符");
  }
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
