// The resolver's tables, built once from the directory: the names people write for its
// communities (names, nicknames, shared names, committees, names without their ending), its roads,
// and one index of every word to look for, so that a request is read in one pass
// (resolver_read.cpp decides, resolver_lanes.cpp reads road + lane, resolver_names.cpp names,
// typos and places outside the sub-district).
#include "sla/resolver.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

std::u32string norm32(std::string_view s) { return normalise(to_u32(s)); }

// Shanghai's districts but Pudong, where the sub-district is: a request naming one is elsewhere.
constexpr std::u32string_view other_districts[] = {U"黄浦", U"徐汇", U"长宁", U"静安", U"普陀",
                                                   U"虹口", U"杨浦", U"闵行", U"宝山", U"嘉定",
                                                   U"金山", U"松江", U"青浦", U"奉贤", U"崇明"};

// Towns and streets of Pudong other than this one, and towns of other districts, as people name
// them without 镇 or 街道 ("康桥那边的", "奉贤南桥", "闵行浦江的"): a request naming one is elsewhere.
// Not those that are everyday words (花木); 三林 only where it is not a name here (三林路, 三林苑:
// place_at), 上钢 only as the street 上钢新村 (上钢物业 is a firm here).
constexpr std::u32string_view other_places[] = {
    U"康桥", U"金桥", U"川沙",   U"周浦", U"张江",   U"北蔡", U"高桥", U"高行",     U"曹路", U"惠南",
    U"祝桥", U"航头", U"周家渡", U"洋泾", U"陆家嘴", U"塘桥", U"潍坊", U"南码头",   U"金杨", U"临港",
    U"南汇", U"南桥", U"浦江",   U"莘庄", U"七宝",   U"九亭", U"泗泾", U"安亭",     U"江桥", U"南翔",
    U"顾村", U"罗店", U"朱家角", U"枫泾", U"昆山",   U"太仓", U"嘉兴", U"上钢新村", U"杨思", U"三林"};

// Stems that are everyday words, trees and fruit above all ("楼下丹桂开了", "樱桃树倒了"): read as a
// community only before a building number or 小区, never bare.
constexpr std::u32string_view everyday_stems[] = {U"丹桂", U"金桂", U"银杏", U"丁香", U"樱桃",
                                                  U"棕榈", U"翠竹", U"红枫", U"红柿", U"安居"};

// "zong lü yuan" as people type it: the syllables run together (the text is read in capitals
// and without spaces), ü as V, U or YU.
std::vector<std::string> pinyin_forms(const std::string& pinyin) {
  std::string joined;
  for (char c : pinyin)
    if (c != ' ') joined += c;
  std::vector<std::string> out;
  if (joined.empty()) return out;
  for (std::string_view u : {"v", "u", "yu"}) {
    auto form = joined;
    for (auto at = form.find("ü"); at != std::string::npos; at = form.find("ü", at + u.size()))
      form.replace(at, std::string_view("ü").size(), u);
    if (std::find(out.begin(), out.end(), form) == out.end()) out.push_back(std::move(form));
  }
  return out;
}

}  // namespace

resolver::resolver(directory dir) : dir_(std::move(dir)) {
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
    for (const auto& p : pinyin_forms(c.pinyin)) add_name(p, {i}, name_kind::alias, c.name);
  }
  for (const auto& r : road_names) roads_.push_back({norm32(r), r, {}});
  // A lane is looked up on its road's communities alone, not by comparing every community's road.
  for (std::size_t i = 0; i < dir_.communities.size(); ++i)
    for (auto& r : roads_)
      if (r.utf8 == dir_.communities[i].road) r.communities.push_back(i);
  add_shared_names();
  add_committee_names();
  add_stem_names();
  add_firm_names();
  own_district_ = norm32(dir_.district);
  build_index();
}

void resolver::add_name(std::string_view name, std::vector<std::size_t> idx, name_kind kind, std::string label) {
  auto n = norm32(name);
  if (n.empty()) return;
  if (named(n)) throw std::invalid_argument("directory: name used twice: " + std::string(name));
  names_.push_back({std::move(n), std::move(idx), kind, std::move(label)});
}

// "湾流域", "衡辰": names of several communities, never guessed between; the part that tells them
// apart ("二期", "东区") may be written elsewhere in the request.
void resolver::add_shared_names() {
  for (std::size_t s = 0; s < dir_.shared_names.size(); ++s) {
    const auto& shared = dir_.shared_names[s];
    std::vector<std::size_t> idx;
    for (const auto& name : shared.communities) {
      auto it = std::find_if(dir_.communities.begin(), dir_.communities.end(),
                             [&](const community& c) { return c.name == name; });
      if (it == dir_.communities.end())
        throw std::invalid_argument("directory: shared name " + shared.name + " names unknown " + name);
      idx.push_back(static_cast<std::size_t>(it - dir_.communities.begin()));
    }
    // The part: each name less what all of them begin with, brackets dropped ("二期", "东").
    std::vector<std::u32string> rests;
    for (auto i : idx) rests.push_back(norm32(dir_.communities[i].name));
    std::size_t common = 0;
    while (!rests.empty() && std::all_of(rests.begin(), rests.end(), [&](const std::u32string& r) {
      return common < r.size() && r[common] == rests[0][common];
    }))
      ++common;
    std::vector<part_form> parts;
    for (std::size_t k = 0; k < idx.size(); ++k) {
      auto rest = rests[k].substr(common);
      std::erase_if(rest, [](char32_t c) { return c == U'(' || c == U')'; });
      if (rest.empty()) continue;
      if (rest.ends_with(U"期")) {
        parts.push_back({idx[k], rest});
        auto digits = read_chinese_numerals(rest.substr(0, rest.size() - 1) + U"号");
        parts.push_back({idx[k], digits.substr(0, digits.size() - 1) + U"期"});
      } else {
        parts.push_back({idx[k], rest + U"区"});
        parts.push_back({idx[k], U"(" + rest + U")"});
      }
    }
    parts_.push_back(std::move(parts));
    for (const auto& p : pinyin_forms(shared.pinyin)) {
      add_name(p, idx, name_kind::shared, shared.name);
      names_.back().shared = s;
    }
    add_name(shared.name, std::move(idx), name_kind::shared, shared.name);
    names_.back().shared = s;
  }
}

// People name their residents' committee ("凌七居委", "凌九", "新一那边") where they do not know
// or do not write the community: it narrows the place to the communities it covers. A committee
// named like one of its communities ("三林苑") is that community when written bare.
void resolver::add_committee_names() {
  std::map<std::string, std::vector<std::size_t>> covers;
  for (std::size_t i = 0; i < dir_.communities.size(); ++i)
    if (!dir_.communities[i].committee.empty()) covers[dir_.communities[i].committee].push_back(i);
  for (const auto& [name, idx] : covers) {
    // "凌12居委" for 凌十二居委: the number read as digits; bare ("凌14 刘阿姨", "新3：") only
    // where no number goes on (committee_written).
    auto digits = read_chinese_numerals(norm32(name) + U"号");
    digits.pop_back();
    std::vector<std::u32string> forms = {norm32(name + "居民委员会"), norm32(name + "居委会"), norm32(name + "居委"),
                                         norm32(name)};
    if (digits != norm32(name)) forms.insert(forms.end(), {digits + U"居委会", digits + U"居委", digits});
    for (auto& n : forms) {
      if (n.size() < 2 || named(n)) continue;
      const bool bare = n == norm32(name) || n == digits;
      names_.push_back({std::move(n), idx, name_kind::committee, name, bare});
    }
  }
}

// People who know their property firm better than their community's name write the firm
// ("上钢物业管的那个小区", "临客嘉管的那半边"): like a committee it narrows the place to the
// communities the firm manages, one alone being the place. Its name without 物业 is read only
// before 管, 的, 那 or 物业 itself ("安居" is also the start of 安居苑).
void resolver::add_firm_names() {
  std::map<std::string, std::vector<std::size_t>> manages;
  for (std::size_t i = 0; i < dir_.communities.size(); ++i)
    if (!dir_.communities[i].firm.empty()) manages[dir_.communities[i].firm].push_back(i);
  for (const auto& [firm, idx] : manages) {
    const auto full = norm32(firm);
    const auto stem = full.ends_with(U"物业") ? full.substr(0, full.size() - 2) : full;
    std::vector<std::pair<std::u32string, bool>> forms = {
        {full, false}, {stem + U"物业", false}, {stem + U"物管", false}, {stem, true}};
    // A long name is shortened: "民盈物业" for 民盈城投物业, "和鸿物业" for 北京和鸿 (the city is
    // dropped first).
    if (stem.size() >= 4) {
      const bool city = stem.starts_with(U"北京") || stem.starts_with(U"上海");
      const auto shortened = city ? stem.substr(2) : stem.substr(0, 2);
      forms.insert(forms.end(), {{shortened + U"物业", false}, {shortened, true}});
    }
    for (const auto& form : forms) {
      const auto& n = form.first;  // not a structured binding: clang 14 cannot capture one
      if (n.size() < 2 || named(n)) continue;
      names_.push_back({n, idx, name_kind::firm, firm, form.second});
      names_.back().place_named =
          form.second && std::any_of(std::begin(other_places), std::end(other_places),
                                     [&](std::u32string_view place) { return place.starts_with(n); });
    }
  }
}

// "丹桂5号楼", "锦丽小区", "…… 凌云": a name without its 苑, 新苑 or 公寓, read before a building
// number or 小区, or alone at either end of what was written (an everyday word such as 丹桂 or
// 樱桃 never alone), and only where no other community, committee or road contains it ("三林" is
// also a road and a town, "银杏" part of 古银杏苑). A committee named after the community (尚桂苑)
// does not count against it.
void resolver::add_stem_names() {
  std::vector<name_entry> stems;
  for (const auto& e : names_) {
    if (e.kind != name_kind::community) continue;
    for (std::u32string_view suffix : {U"新苑", U"花苑", U"家园", U"公寓", U"别墅", U"苑", U"园"}) {
      if (!e.name.ends_with(suffix) || e.name.size() < suffix.size() + 2) continue;
      auto stem = e.name.substr(0, e.name.size() - suffix.size());
      const bool elsewhere =
          std::any_of(names_.begin(), names_.end(),
                      [&](const name_entry& o) {
                        const bool own_committee = o.kind == name_kind::committee && o.label == e.label;
                        return o.communities != e.communities && !own_committee &&
                               o.name.find(stem) != std::u32string::npos;
                      }) ||
          std::any_of(roads_.begin(), roads_.end(),
                      [&](const road_entry& r) { return r.name.find(stem) != std::u32string::npos; });
      const bool everyday =
          std::find(std::begin(everyday_stems), std::end(everyday_stems), stem) != std::end(everyday_stems);
      if (!elsewhere) stems.push_back({stem, e.communities, name_kind::stem, e.label, everyday});
    }
  }
  for (auto& s : stems)
    if (!named(s.name)) names_.push_back(std::move(s));
}

void resolver::build_index() {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    words_.add(names_[i].name, word_id(word::name, i));
    // Near misses of communities' own names, nicknames and shared names of three characters or more.
    const auto kind = names_[i].kind;
    // Not of pinyin: the near-miss costs weigh characters, not letters.
    if (names_[i].name.size() >= 3 && kind != name_kind::committee && kind != name_kind::stem &&
        kind != name_kind::firm && names_[i].name[0] >= 0x80)
      near_.add(names_[i].name, static_cast<std::uint32_t>(i));
  }
  near_.finish();
  for (std::size_t r = 0; r < roads_.size(); ++r) words_.add(roads_[r].name, word_id(word::road, r));
  for (std::size_t d = 0; d < std::size(other_districts); ++d)
    words_.add(other_districts[d], word_id(word::district, d));
  for (std::size_t p = 0; p < std::size(other_places); ++p) words_.add(other_places[p], word_id(word::place, p));
  words_.add(U"镇", word_id(word::town, 0));
  words_.add(U"街道", word_id(word::street, 0));
}

bool resolver::named(std::u32string_view name) const {
  return std::any_of(names_.begin(), names_.end(), [&](const name_entry& e) { return e.name == name; });
}

std::string resolver::names_of(const std::set<std::size_t>& communities) const {
  std::string out;
  for (auto i : communities) out += (out.empty() ? "" : "、") + dir_.communities[i].name;
  return out;
}

std::u32string_view resolver::district_name(std::size_t d) { return other_districts[d]; }
std::u32string_view resolver::place_name(std::size_t p) { return other_places[p]; }

}  // namespace halfhour::sla
