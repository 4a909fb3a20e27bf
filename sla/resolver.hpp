// Where is it and who holds it: resolves what people write as an address to one community
// and its property firm, or sends the job to the emergency repair station saying why.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <string_view>
#include <vector>

#include "sla/directory.hpp"
#include "sla/resolver_index.hpp"

namespace halfhour::sla {

enum class route { firm, station };

struct resolution {
  route to = route::station;
  std::string community_name;
  std::string committee;
  std::string firm;
  std::string reason;  // Chinese, for the station's triage and the history
  std::vector<std::string> candidates;
  std::string building;
  std::string room;

  bool operator==(const resolution&) const = default;
};

// Chinese numerals that number a lane, a street number or a building ("五二一弄", "五百二十一弄",
// "六〇八弄", "十二号楼") written as ASCII digits; numerals in names ("凌十四居委", "湾流域二期",
// "三林路") and loose ones ("八百多弄") are left as they are.
std::u32string read_chinese_numerals(std::u32string_view text);

class resolver {
 public:
  // Throws std::invalid_argument on a directory that cannot work (duplicate names, a shared
  // name naming a community that does not exist).
  explicit resolver(directory dir);

  // Reads the address and the request's text alike (people often write "丹桂苑漏水" and leave the
  // address empty, or give only their 居委 there): one community between them goes to its firm.
  resolution resolve(std::string_view address, std::string_view content = {}) const;

  const directory& dir() const { return dir_; }

 private:
  // One place written in a request: the communities it may mean, and how it was read.
  struct mention {
    std::set<std::size_t> candidates;
    bool area = false;          // an area of several communities (居委, shared name, firm), not one place
    int area_kind = 0;          // an area's kind: 1 committee, 2 shared name, 3 property firm
    bool exact = true;          // written as the directory has it (no typo, no guess)
    bool from_content = false;  // found in the request's text, not its address
    bool part_open = false;     // a split lane or a shared name whose part (A/B, 一期, 东) is not written
    std::size_t begin = 0;      // where it begins in its text
    std::size_t shared = static_cast<std::size_t>(-1);  // the shared name it is, if one
    std::size_t end = 0;                                // where it ends in its text: building and room follow
    std::string written;                                // as written, quoted in the reason
    std::string note;                                   // how it was read, for the reason of a firm route
    std::string several;                                // why it fits several communities, for the station
  };
  // Everything one request says about where it is.
  struct evidence {
    std::vector<mention> mentions;
    std::vector<std::string> outside;  // places outside the sub-district ("徐汇", "杨思路1000弄")
    std::vector<std::string> unknown;  // lanes of the sub-district's roads that are not in the directory
    std::vector<std::string> roads;    // roads of the directory written without a lane ("凌兆路上")
    std::vector<std::string> beside;   // places named as landmarks only ("品华苑对面", "丹桂苑隔壁")
    std::string not_ours;              // the text's words that the trouble is not the community's
    std::string undecided;             // lanes offered as alternatives, not all of them known
    // Where each name was read, set aside or not (from_content, begin, end): no typo is read there.
    std::vector<std::tuple<bool, std::size_t, std::size_t>> read_at;
    bool numerals = false;  // Chinese numerals were read as digits
    bool address_empty = false;
  };
  // One of the two texts, read once: normalised, numerals as digits, every word of the index found.
  struct reading {
    std::u32string text;
    std::vector<word_index::hit> hits;
    bool from_content = false;
    bool numerals = false;
  };
  enum class name_kind { community, alias, shared, committee, stem, firm };
  struct name_entry {
    std::u32string name;
    std::vector<std::size_t> communities;
    name_kind kind = name_kind::community;
    std::string label;         // the community an alias names, or the committee's name
    bool word = false;         // may be an everyday word written bare: a committee's bare name, a stem such as 丹桂
    bool place_named = false;  // a firm's bare name that begins a place nearby's (上钢: 上钢新村)
    std::size_t shared = static_cast<std::size_t>(-1);  // its index in dir_.shared_names, if shared
  };
  struct road_entry {
    std::u32string name;
    std::string utf8;
    std::vector<std::size_t> communities;  // on this road, in the directory's order
  };
  // The part of a shared name each of its communities is ("湾流域" + "二期"), as people write it.
  struct part_form {
    std::size_t community;
    std::u32string form;
  };
  // What a word of the index stands for: the kind in the top byte, the table's index below.
  enum class word : std::uint32_t { name, road, district, town, street, place };
  static std::uint32_t word_id(word kind, std::size_t i) {
    return static_cast<std::uint32_t>(kind) << 24 | static_cast<std::uint32_t>(i);
  }
  static word kind_of(std::uint32_t id) { return static_cast<word>(id >> 24); }
  static std::size_t index_of(std::uint32_t id) { return id & 0xFFFFFF; }

  void add_name(std::string_view name, std::vector<std::size_t> idx, name_kind kind, std::string label);
  void add_shared_names();
  void add_committee_names();
  void add_firm_names();
  void add_stem_names();
  void build_index();
  reading prepare(std::string_view raw, bool from_content) const;
  void part_names(std::u32string& wide) const;
  void part_numbers(std::u32string& wide) const;
  void read(const reading& r, evidence& ev) const;
  void read_lanes(const reading& r, evidence& ev) const;
  // Numbers after a road: "505、565弄" is {505, 565} and 弄, ending where `end` is.
  struct lane_written {
    std::vector<int> numbers;
    std::string suffix;
    std::size_t end = 0;
    bool approximate = false;  // "500多弄", "30几号": a lane only roughly known
    bool offered = false;      // "709或711弄", "709弄还是711弄": alternatives, not one lane's numbers
  };
  static lane_written read_lane(std::u32string_view t, std::size_t pos);
  bool read_road_lane(const reading& r, std::size_t pos, const std::vector<std::size_t>& roads, bool exact,
                      std::vector<bool>& used, evidence& ev) const;
  static void read_road_outside(std::u32string_view t, std::size_t p, std::vector<bool>& used, evidence& ev);
  std::vector<std::size_t> on_road(std::size_t road, const std::vector<int>& numbers, std::string_view suffix) const;
  void read_bare_lanes(const reading& r, const std::vector<bool>& used, evidence& ev) const;
  void read_bare_lane(const reading& r, int n, const std::string& suffix, std::size_t p, std::size_t pos,
                      evidence& ev) const;
  bool split_part_follows(std::u32string_view t, std::size_t pos, int n) const;
  static bool street_number(std::u32string_view t, std::size_t begin, std::size_t end, int n);
  void pick_road(std::u32string_view t, std::vector<std::size_t>& on_lane, std::set<std::string>& roads,
                 mention& m) const;
  void add_lane(std::vector<std::size_t> on_lane, std::u32string_view t, std::size_t pos, mention m,
                evidence& ev) const;
  void read_names(const reading& r, evidence& ev) const;
  bool written_as_place(const name_entry& e, const reading& r, std::size_t begin, std::size_t end) const;
  mention name_mention(const name_entry& e, const reading& r, std::size_t begin, std::size_t end) const;
  void add_direction_twins(std::u32string_view t, const name_entry& e, mention& m) const;
  void narrow_by_number(std::u32string_view t, mention& m) const;
  void add_offered_parts(std::u32string_view t, mention& m) const;
  void add_other_side(std::u32string_view t, mention& m) const;
  void add_prefixed_twin(std::u32string_view t, mention& m) const;
  static void widen(mention& m, const std::set<std::size_t>& more, std::string why);
  // The nearest near misses so far: their cost (typo_cost), communities, first window and name.
  struct near_miss {
    int cost = 4;
    std::set<std::size_t> communities;
    std::size_t begin = 0, end = 0;
    std::string label;
    bool heard = false;  // one of them is more than another estate's name (heard_wrong)
  };
  bool read_typos(const reading& r, evidence& ev) const;
  bool read_half_remembered(const reading& r, evidence& ev) const;
  std::set<std::size_t> half_remembered_fits(std::u32string_view t, std::size_t q, std::size_t filler,
                                             std::size_t& begin, std::size_t& end) const;
  // Where a name was read exactly; `set_aside`: denied, another's, or a landmark.
  struct exact_span {
    std::size_t begin = 0, end = 0;
    bool set_aside = false;
  };
  void try_near_miss(std::u32string_view t, std::size_t p, std::uint32_t id, const std::vector<exact_span>& exact,
                     near_miss& best) const;
  void read_outside(const reading& r, evidence& ev) const;
  void read_other_street(std::u32string_view t, std::size_t p, evidence& ev) const;
  void settle_parts(const reading& addr, const reading& text, evidence& ev) const;
  void drop_denied(const reading& addr, const reading& text, evidence& ev) const;
  bool in_another_district(const reading& r, std::size_t begin) const;
  bool lies_in_another_district(const reading& r, std::size_t end) const;
  static void drop_someone_elses(const reading& addr, const reading& text, evidence& ev);
  static void drop_landmarks(const reading& addr, const reading& text, evidence& ev);
  static void drop_desk(const reading& text, evidence& ev);
  void widen_unsure_heads(const reading& text, evidence& ev) const;
  static bool opens_desk_note(std::u32string_view t, const mention& m);
  static std::u32string_view home_on_a_road(std::u32string_view t);
  // A hit naming another district, or a town or street of another place.
  bool elsewhere_at(std::u32string_view t, const word_index::hit& h) const;
  std::size_t place_begin(std::u32string_view t, const word_index::hit& h) const;
  std::size_t street_begin(std::u32string_view t, std::size_t p) const;
  static bool place_at(std::u32string_view t, const word_index::hit& h);
  bool home_elsewhere(const reading& text) const;
  std::u32string_view said_outside(const reading& text) const;
  void drop_field_elsewhere(const reading& text, evidence& ev) const;
  resolution finish(const evidence& ev) const;
  resolution to_firm(const evidence& ev, std::size_t i, bool narrowed) const;
  resolution to_station(const evidence& ev, const std::set<std::size_t>& candidates, const std::string& conflict) const;
  std::string names_of(const std::set<std::size_t>& communities) const;
  bool named(std::u32string_view name) const;  // a name of the table already, of whatever kind

  static std::u32string_view district_name(std::size_t d);
  static std::u32string_view place_name(std::size_t p);
  static std::string part_written(std::u32string_view t);
  static void read_building_room(std::u32string_view t, std::size_t pos, std::string& building, std::string& room);

  directory dir_;
  std::vector<name_entry> names_;
  std::vector<road_entry> roads_;
  std::vector<std::vector<part_form>> parts_;  // per shared name of dir_.shared_names
  std::u32string own_district_;
  word_index words_;
  near_index near_;
};

}  // namespace halfhour::sla
