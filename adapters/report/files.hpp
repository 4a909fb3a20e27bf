// Writing rendered files into a folder: the one door to the file system the commands use.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace halfhour::reports {

// Writes each (name, body) into `dir`, created if missing. Returns the paths written; throws
// std::runtime_error naming what failed.
std::vector<std::string> write_files(const std::string& dir,
                                     const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace halfhour::reports
