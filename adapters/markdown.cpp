#include "adapters/markdown.hpp"

namespace halfhour::markdown {

std::string as_text(std::string_view text) {
  // The marks that make structure anywhere in a line; line-start marks (- + 1.) cannot take
  // effect once the text is one line that starts with the engine's own words.
  static constexpr std::string_view marks = "\\`*_[]()#~";
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out.push_back(' ');
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      if (marks.find(c) != std::string_view::npos) out.push_back('\\');
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace halfhour::markdown
