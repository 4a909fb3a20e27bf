// The trie of the resolver's words, the near-miss index of its names, and a bounded edit count.
#include "sla/resolver_index.hpp"

namespace halfhour::sla {

std::uint32_t word_index::child(std::uint32_t n, char32_t c) const {
  const auto& next = nodes_[n].next;
  auto it = std::lower_bound(next.begin(), next.end(), std::pair<char32_t, std::uint32_t>{c, 0});
  return it != next.end() && it->first == c ? it->second : 0;
}

void word_index::add(std::u32string_view word, std::uint32_t id) {
  if (word.empty()) return;
  if (word[0] < 0x10000) first_[word[0] >> 6] |= std::uint64_t{1} << (word[0] & 63);
  std::uint32_t n = 0;
  for (char32_t c : word) {
    std::uint32_t to = child(n, c);
    if (to == 0) {
      to = static_cast<std::uint32_t>(nodes_.size());
      nodes_.emplace_back();
      auto& next = nodes_[n].next;
      next.insert(std::lower_bound(next.begin(), next.end(), std::pair<char32_t, std::uint32_t>{c, 0}), {c, to});
    }
    n = to;
  }
  nodes_[n].ids.push_back(id);
}

void word_index::scan(std::u32string_view text, std::vector<hit>& out) const {
  for (std::size_t p = 0; p < text.size(); ++p) {
    if (!may_start(text[p])) continue;
    std::uint32_t n = 0;
    for (std::size_t q = p; q < text.size(); ++q) {
      n = child(n, text[q]);
      if (n == 0) break;
      for (auto id : nodes_[n].ids)
        out.push_back({static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(q + 1), id});
    }
  }
}

void near_index::add(std::u32string_view name, std::uint32_t id) {
  if (name.size() < 2) return;
  by_char_.emplace_back(name[0], id);
  if (name[1] != name[0]) by_char_.emplace_back(name[1], id);
}

void near_index::finish() { std::sort(by_char_.begin(), by_char_.end()); }

int edits_up_to_one(std::u32string_view a, std::u32string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() - b.size() > 1) return 2;
  std::size_t i = 0;
  while (i < b.size() && a[i] == b[i]) ++i;
  if (i == b.size()) return a.size() == b.size() ? 0 : 1;
  // First difference at i: a character changed, or one of `a` (the longer) dropped.
  const auto rest_a = a.substr(i + 1), rest_b = a.size() == b.size() ? b.substr(i + 1) : b.substr(i);
  return rest_a == rest_b ? 1 : 2;
}

}  // namespace halfhour::sla
