// The sub-district's directory as the domain sees it: communities, their residents'
// committees and property firms, and the names several communities share.
#pragma once

#include <string>
#include <vector>

namespace halfhour::sla {

struct community {
  int seq = 0;
  std::string name;
  std::string committee;
  std::string firm;
  std::vector<std::string> aliases;
  std::string road;           // set for road + lane communities
  std::vector<int> numbers;   // lane (弄) or street (号) numbers on that road
  std::string number_suffix;  // "弄" or "号"
  std::string part;           // "A" / "B" on the split lanes
  std::string pinyin;         // syllables apart, ü as "ü": "zong lü yuan"
};

struct shared_name {
  std::string name;
  std::vector<std::string> communities;
  std::string pinyin;
};

struct directory {
  std::string district;
  std::string station;
  std::string centre;
  std::vector<community> communities;
  std::vector<shared_name> shared_names;
};

}  // namespace halfhour::sla
