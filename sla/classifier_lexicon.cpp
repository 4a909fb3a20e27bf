#include "sla/classifier_lexicon.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "sla/normalise_char.hpp"
#include "sla/text.hpp"

namespace halfhour::sla::detail {

namespace {

bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\r' || c == U'\n' || c == 0x3000 || c == 0xA0; }

// Chinese, Japanese and their punctuation, not the full-width ASCII forms.
bool is_wide(char32_t c) { return c >= 0x2E80 && c < 0xFF00; }

// Pictographs and the symbols chat messages end a thought with.
bool is_emoji(char32_t c) {
  return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2B00 && c <= 0x2BFF) ||
         c == 0x203C || c == 0x2049;
}

bool is_invisible(char32_t c) { return c == 0xFE0F || c == 0x200D || c == 0x200B; }

}  // namespace

std::uint32_t lexicon::add(const std::string& text, std::uint32_t roles) {
  auto [it, fresh] = index_.try_emplace(text, static_cast<std::uint32_t>(lexemes_.size()));
  if (fresh) {
    lexeme l;
    l.text = text;
    // The scan counts lead bytes; a normalised word is valid UTF-8, so the two counts agree.
    l.code_points = static_cast<std::uint32_t>(code_point_count(text));
    lexemes_.push_back(std::move(l));
  }
  lexemes_[it->second].roles |= roles;
  return it->second;
}

void lexicon::build() {
  constexpr std::uint16_t none = std::numeric_limits<std::uint16_t>::max();
  column_.fill(0);
  columns_ = 1;
  for (const auto& l : lexemes_)
    for (unsigned char c : l.text)
      if (column_[c] == 0) column_[c] = static_cast<std::uint16_t>(columns_++);
  const auto w = columns_;  // at most 256: column 0 stands for the bytes no word uses
  std::vector<std::vector<std::uint32_t>> out(1);
  next_.assign(w, none);
  std::size_t states = 1;
  for (std::uint32_t id = 0; id < lexemes_.size(); ++id) {
    std::size_t node = 0;
    for (unsigned char c : lexemes_[id].text) {
      auto& child = next_[node * w + column_[c]];
      if (child == none) {
        if (states >= none) throw std::invalid_argument("classifier rules: too many words for the matcher");
        child = static_cast<std::uint16_t>(states++);
        next_.resize(states * w, none);
        out.emplace_back();
      }
      node = next_[node * w + column_[c]];
    }
    out[node].push_back(id);
  }
  // Breadth first, turn the failure links into direct transitions and inherit their outputs.
  std::vector<std::uint16_t> fail(states, 0), queue;
  for (std::size_t c = 0; c < w; ++c) {
    auto& child = next_[c];
    if (child == none) child = 0;
    else queue.push_back(child);
  }
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const std::size_t v = queue[head];
    const std::size_t f = fail[v];
    out[v].insert(out[v].end(), out[f].begin(), out[f].end());
    for (std::size_t c = 0; c < w; ++c) {
      auto& child = next_[v * w + c];
      if (child == none) {
        child = next_[f * w + c];
      } else {
        fail[child] = next_[f * w + c];
        queue.push_back(child);
      }
    }
  }
  out_begin_.assign(1, 0);
  outs_.clear();
  for (const auto& o : out) {
    for (auto id : o) {
      const auto& l = lexemes_[id];
      outs_.push_back({id, static_cast<std::uint32_t>(l.text.size()), l.code_points});
    }
    out_begin_.push_back(static_cast<std::uint32_t>(outs_.size()));
  }
}

void lexicon::scan(std::string_view text, std::vector<hit>& found) const {
  found.clear();
  // The tables in locals: stores into `found` could alias the members, and the compiler would
  // reload them on every byte (the scan is a tenth of a request's time).
  const std::uint16_t* next = next_.data();
  const std::uint32_t* out_begin = out_begin_.data();
  const output* outs = outs_.data();
  const std::size_t columns = columns_;
  std::size_t node = 0;
  std::uint32_t cps = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if ((b & 0xC0) != 0x80) ++cps;
    node = next[node * columns + column_[b]];
    for (auto k = out_begin[node]; k < out_begin[node + 1]; ++k) {
      const auto& o = outs[k];
      const auto end = static_cast<std::uint32_t>(i + 1);
      found.push_back({o.id, end - o.bytes, end, cps - o.code_points, cps, 0});
    }
  }
  std::sort(found.begin(), found.end(),
            [](const hit& a, const hit& b) { return a.begin != b.begin ? a.begin < b.begin : a.end > b.end; });
  // Sorted so, an occurrence lies inside an earlier one exactly when an earlier one ends at or
  // after its own end.
  std::uint32_t reach = 0;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i > 0 && found[i].end <= reach) continue;
    reach = std::max(reach, found[i].end);
    found[kept++] = found[i];
  }
  found.resize(kept);
}

void synonym_map::add(std::u32string from, std::u32string to) {
  if (from.empty()) return;
  by_first_[from.front()].emplace_back(std::move(from), std::move(to));
}

void synonym_map::build() {
  starts_.assign(0x10000 / 64, 0);
  for (auto& [first, list] : by_first_) {
    if (first < 0x10000) starts_[first / 64] |= std::uint64_t{1} << (first % 64);
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  }
}

// Walks `text`, handing `emit` each run that stays and each replacement, leftmost and longest.
template <class Emit>
void rewrite(const synonym_map::table& by_first, const std::vector<std::uint64_t>& starts, std::u32string_view text,
             Emit emit) {
  std::size_t i = 0, kept = 0;
  while (i < text.size()) {
    const char32_t c = text[i];
    const bool may_start = c < 0x10000 ? (starts[c / 64] >> (c % 64)) & 1 : by_first.count(c) > 0;
    bool replaced = false;
    if (may_start) {
      for (const auto& [from, to] : by_first.at(c)) {
        if (text.substr(i, from.size()) == from) {
          emit(text.substr(kept, i - kept));
          emit(std::u32string_view(to));
          i += from.size();
          kept = i;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) ++i;
  }
  emit(text.substr(kept));
}

void synonym_map::apply(std::u32string& text) const {
  if (by_first_.empty()) return;
  std::u32string out;
  out.reserve(text.size() + 8);
  rewrite(by_first_, starts_, text, [&](std::u32string_view run) { out += run; });
  text = std::move(out);
}

std::string synonym_map::apply_utf8(std::u32string_view text) const {
  std::string out;
  out.reserve(text.size() * 3);
  auto put = [&](std::u32string_view run) {
    for (char32_t cp : run) append_utf8(out, cp);
  };
  if (by_first_.empty() || starts_.empty()) put(text);
  else rewrite(by_first_, starts_, text, put);
  return out;
}

std::string prepare_term(std::string_view term, const synonym_map& synonyms) {
  auto u = normalise(to_u32(term));
  synonyms.apply(u);
  return to_utf8(u);
}

std::string prepare_text(std::string_view raw, const synonym_map& synonyms) {
  const auto in = to_u32(raw);
  // Clause marks and normalisation in one pass, one buffer: whether a space ends a clause is
  // decided on the characters as written, so the last one kept is remembered as written.
  std::u32string text;
  text.reserve(in.size());
  char32_t last = 0;
  const auto keep = [&](char32_t c) {
    last = c;
    text.push_back(normalise_char(c));
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char32_t c = in[i];
    if (is_invisible(c)) continue;
    if (is_emoji(c)) {
      keep(U'，');
      continue;
    }
    if (!is_space(c)) {
      keep(c);
      continue;
    }
    std::size_t j = i;
    while (j < in.size() && is_space(in[j])) ++j;
    if (!text.empty() && j < in.size() && (is_wide(last) || is_wide(in[j]))) keep(U'，');
    i = j - 1;  // other spaces ("凌兆路 405 弄") are dropped, as the normalisation drops them
  }
  return synonyms.apply_utf8(text);
}

}  // namespace halfhour::sla::detail
