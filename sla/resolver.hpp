// Where is it and who holds it: resolves what people write as an address to one community
// and its property firm, or sends the job to the emergency repair station saying why.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sla/directory.hpp"

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
    bool area = false;          // an area of several communities (居委, shared name), not one place
    bool exact = true;          // written as the directory has it (no typo, no guess)
    bool from_content = false;  // found in the request's text, not its address
    std::size_t end = 0;        // where it ends in its text: building and room follow
    std::string written;        // as written, quoted in the reason
    std::string note;           // how it was read, for the reason of a firm route
    std::string several;        // why it fits several communities, for the station
  };
  // Everything one request says about where it is.
  struct evidence {
    std::vector<mention> mentions;
    std::vector<std::string> outside;  // places outside the sub-district ("徐汇", "杨思路1000弄")
    std::vector<std::string> unknown;  // lanes of the sub-district's roads that are not in the directory
    std::vector<std::string> roads;    // roads of the directory written without a lane ("凌兆路上")
    bool numerals = false;             // Chinese numerals were read as digits
    bool address_empty = false;
  };
  enum class name_kind { community, alias, shared, committee, stem };
  struct name_entry {
    std::u32string name;
    std::vector<std::size_t> communities;
    name_kind kind = name_kind::community;
    std::string label;  // the community an alias names, or the committee's name
  };
  struct road_entry {
    std::u32string name;
    std::string utf8;
  };

  void add_committee_names(std::set<std::u32string>& seen);
  void add_stem_names(std::set<std::u32string>& seen);
  evidence read(std::u32string_view text, bool from_content) const;
  void read_lanes(std::u32string_view t, bool from_content, evidence& ev) const;
  void read_road_lane(std::u32string_view t, std::size_t road_end, std::size_t road, bool exact, bool from_content,
                      evidence& ev, std::vector<bool>& used) const;
  void read_bare_lanes(std::u32string_view t, bool from_content, const std::vector<bool>& used, evidence& ev) const;
  void add_lane(std::vector<std::size_t> on_lane, std::u32string_view t, std::size_t pos, mention m,
                evidence& ev) const;
  void read_names(std::u32string_view t, bool from_content, evidence& ev) const;
  bool read_typos(std::u32string_view t, bool from_content, evidence& ev) const;
  void read_outside(std::u32string_view t, evidence& ev) const;
  resolution finish(const evidence& ev) const;
  resolution to_station(const evidence& ev, const std::set<std::size_t>& candidates, const std::string& conflict) const;
  std::string names_of(const std::set<std::size_t>& communities) const;

  static void read_building_room(std::u32string_view t, std::size_t pos, std::string& building, std::string& room);

  directory dir_;
  std::vector<name_entry> names_;
  std::vector<road_entry> roads_;
};

}  // namespace halfhour::sla
