// The labelled request sets of tests/data, read by the accuracy test and the classification
// benchmark alike. Two layouts, told apart by their header line: the old sets (text, address,
// urgency, category, community, kind: what makes the row tricky) and the corpus written to the
// labelling guide (text, address, urgency, category as the guide's class, community, door, note).
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace halfhour::testing {

struct labelled {
  std::string text, address, urgency, category, community, kind;
  std::string door;  // the channel it came through (hotline, wechat, cloud, committee); may be empty
  std::string note;  // the labeller's note; may be empty
};

// The field a header name stands for; nullptr for a column nobody reads.
inline std::string* field_of(labelled& r, const std::string& name) {
  if (name == "text") return &r.text;
  if (name == "address") return &r.address;
  if (name == "urgency") return &r.urgency;
  if (name == "category") return &r.category;
  if (name == "community") return &r.community;
  if (name == "kind") return &r.kind;
  if (name == "door") return &r.door;
  if (name == "note") return &r.note;
  return nullptr;
}

// Rows of `path`, skipping '#' comments; the header line names the columns, in either layout.
// Missing columns read as empty.
inline std::vector<labelled> read_labelled(const std::string& path) {
  std::ifstream in(path);
  std::vector<labelled> rows;
  std::vector<std::string> names;
  std::string line;
  auto split = [](const std::string& l) {
    std::vector<std::string> cols;
    std::stringstream ss(l);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    return cols;
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (names.empty()) {
      names = split(line);
      continue;
    }
    const auto cols = split(line);
    labelled r;
    for (std::size_t i = 0; i < names.size() && i < cols.size(); ++i)
      if (auto* f = field_of(r, names[i])) *f = cols[i];
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace halfhour::testing
