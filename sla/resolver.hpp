// Where is it and who holds it: resolves what people write as an address to one community
// and its property firm, or sends the job to the emergency repair station saying why.
#pragma once

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

class resolver {
 public:
  // Throws std::invalid_argument on a directory that cannot work (duplicate names, a shared
  // name naming a community that does not exist).
  explicit resolver(directory dir);

  // Tries the address first, then the request's text (people often write "丹桂苑漏水").
  resolution resolve(std::string_view address, std::string_view content = {}) const;

  const directory& dir() const { return dir_; }

 private:
  struct name_entry {
    std::u32string name;
    std::vector<std::size_t> communities;
  };
  struct road_entry {
    std::u32string name;
    std::string utf8;
  };
  struct text_result;

  text_result resolve_text(std::u32string_view text) const;
  resolution finish(const text_result& r) const;

  directory dir_;
  std::vector<name_entry> names_;
  std::vector<road_entry> roads_;
};

}  // namespace halfhour::sla
