// The resolver's lookup tables, built once from the directory: every word it looks for (names,
// committees, roads, districts) in one trie, so a request's text is scanned once whatever the size
// of the directory, and the names indexed by their first two characters for near misses.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halfhour::sla {

class word_index {
 public:
  struct hit {
    std::uint32_t begin, end, id;
  };

  // Adds a word with the id its hits report; a word may carry several ids.
  void add(std::u32string_view word, std::uint32_t id);

  // Every word found anywhere in `text`, overlapping ones included, in order of where they begin
  // (and, beginning at one place, shortest first). Appends to `out`.
  void scan(std::u32string_view text, std::vector<hit>& out) const;

 private:
  struct node {
    std::vector<std::pair<char32_t, std::uint32_t>> next;  // sorted by character
    std::vector<std::uint32_t> ids;
  };
  std::uint32_t child(std::uint32_t n, char32_t c) const;
  bool may_start(char32_t c) const { return c < 0x10000 && ((first_[c >> 6] >> (c & 63)) & 1); }

  std::vector<node> nodes_ = std::vector<node>(1);
  std::vector<std::uint64_t> first_ = std::vector<std::uint64_t>(0x10000 / 64);  // characters a word starts with
};

// Names by the characters a near miss of them must show in its first two places: a window within
// one edit of a name starts with the name's first or second character, or has one of them second.
class near_index {
 public:
  void add(std::u32string_view name, std::uint32_t id);
  // The ids of names a window starting with `a`, `b` may be a near miss of; may repeat ids.
  template <class F>
  void candidates(char32_t a, char32_t b, F&& f) const {
    for (char32_t c : {a, b}) {
      auto it = std::lower_bound(by_char_.begin(), by_char_.end(), std::pair<char32_t, std::uint32_t>{c, 0});
      for (; it != by_char_.end() && it->first == c; ++it) f(it->second);
    }
  }
  void finish();  // sorts the table once every name is in

 private:
  std::vector<std::pair<char32_t, std::uint32_t>> by_char_;
};

// 0 when `a` and `b` are equal, 1 when one edit apart (a character changed, dropped or added),
// 2 when further: allocation-free, for the near-miss windows.
int edits_up_to_one(std::u32string_view a, std::u32string_view b);

}  // namespace halfhour::sla
