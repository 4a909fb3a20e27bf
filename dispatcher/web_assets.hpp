// The static pages the engine serves (the crew page), compiled into the binary: nothing to
// deploy beside it, and no path on disk a request could reach.
#pragma once

#include <string_view>

namespace halfhour::web {

struct asset {
  std::string_view path;  // "/crew/index.html"
  std::string_view content_type;
  std::string_view body;
};

const asset* find(std::string_view path);

}  // namespace halfhour::web
