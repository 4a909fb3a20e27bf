#include "adapters/report/files.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace halfhour::reports {

std::vector<std::string> write_files(const std::string& dir,
                                     const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir + ": " + ec.message());
  std::vector<std::string> paths;
  for (const auto& [name, body] : files) {
    const auto path = (std::filesystem::path(dir) / name).string();
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << body;
    f.close();
    if (!f) throw std::runtime_error("cannot write " + path);
    paths.push_back(path);
  }
  return paths;
}

}  // namespace halfhour::reports
