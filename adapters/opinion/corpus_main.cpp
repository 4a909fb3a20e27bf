// Writes the second opinion's training text from labelled sets: one line per request,
// "__label__URGENT c h a r s", the text read by the same model_words the engine asks with.
// Usage: halfhour_opinion_corpus OUT.txt SET.tsv…   (the sets' header line names text and urgency)
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/opinion/fasttext_opinion.hpp"

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cols;
  std::stringstream ss(line);
  std::string col;
  while (std::getline(ss, col, '\t')) cols.push_back(col);
  return cols;
}

int column(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

// Appends the rows of one set; false (and says why) on a set it cannot read.
bool add(const std::string& path, std::ostream& out, std::size_t& rows) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << path << ": cannot be read\n";
    return false;
  }
  std::vector<std::string> header;
  int text = -1;
  int urgency = -1;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto cols = split(line);
    if (header.empty()) {
      header = cols;
      text = column(header, "text");
      urgency = column(header, "urgency");
      if (text < 0 || urgency < 0) {
        std::cerr << path << ": the header names no text or urgency column\n";
        return false;
      }
      continue;
    }
    const auto at = [&](int i) { return i < static_cast<int>(cols.size()) ? cols[i] : std::string(); };
    if (at(urgency) != "URGENT" && at(urgency) != "GENERAL") {
      std::cerr << path << ":" << n << ": urgency is \"" << at(urgency) << "\", not URGENT or GENERAL\n";
      return false;
    }
    out << "__label__" << at(urgency) << ' ' << halfhour::opinion::model_words(at(text)) << '\n';
    ++rows;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: halfhour_opinion_corpus OUT.txt SET.tsv…\n";
    return 2;
  }
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  std::size_t rows = 0;
  for (int i = 2; i < argc; ++i)
    if (!add(argv[i], out, rows)) return 1;
  out.close();
  if (!out || rows == 0) {
    std::cerr << argv[1] << ": nothing written\n";
    return 1;
  }
  return 0;
}
