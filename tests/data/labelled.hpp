// The labelled request sets of tests/data (TSV: text, address, urgency, category, community, what
// makes the row tricky), read by the accuracy test and the classification benchmark alike.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace halfhour::testing {

struct labelled {
  std::string text, address, urgency, category, community, kind;
};

// Rows of `path`, skipping '#' comments and the header line; missing columns read as empty.
inline std::vector<labelled> read_labelled(const std::string& path) {
  std::ifstream in(path);
  std::vector<labelled> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    cols.resize(6);
    rows.push_back({cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]});
  }
  return rows;
}

}  // namespace halfhour::testing
