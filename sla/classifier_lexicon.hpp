// The classifier's lexicon: every word its rules know with the roles it plays, found in one pass
// over a request; the synonym map; and the request as it is matched.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace halfhour::sla::detail {

inline constexpr std::uint32_t npos = 0xFFFFFFFFu;

// What a word does; one word may do several things ("漏水" is a state and a pattern).
enum role : std::uint32_t {
  role_break = 1u << 0,
  role_negation = 1u << 1,
  role_denial = 1u << 2,
  role_affirm = 1u << 3,
  role_resolved = 1u << 4,
  role_past = 1u << 5,
  role_ongoing = 1u << 6,
  role_intensity = 1u << 7,
  role_mild = 1u << 8,
  role_neutral = 1u << 9,
  role_term = 1u << 10,
  role_object = 1u << 11,
  role_state = 1u << 12,
  role_context = 1u << 13,
  role_decides = 1u << 14,  // a pattern of one term: the word decides alone
  role_worry = 1u << 15,
  role_fine_now = 1u << 16,
  role_planned = 1u << 17,
  role_future = 1u << 18,
  role_news = 1u << 19,
};

struct lexeme {
  std::string text;  // normalised
  std::uint32_t roles = 0;
  std::uint32_t code_points = 0;
  std::vector<std::uint16_t> object_of;                         // categories naming it as an object
  std::vector<std::uint16_t> state_of;                          // ... and as a state
  std::vector<std::uint16_t> context_of;                        // ... and as the context it needs
  std::vector<std::pair<std::uint16_t, std::uint16_t>> starts;  // (category, pattern) it begins
};

// One occurrence of a lexeme in the text.
struct hit {
  std::uint32_t id = 0;
  std::uint32_t begin = 0, end = 0;  // bytes
  std::uint32_t cp = 0, cp_end = 0;  // code points
  std::uint32_t clause = 0;
};

class lexicon {
 public:
  // The lexeme for `text` (already normalised), created if new; `roles` are added to its roles.
  std::uint32_t add(const std::string& text, std::uint32_t roles);
  lexeme& at(std::uint32_t id) { return lexemes_[id]; }
  const lexeme& at(std::uint32_t id) const { return lexemes_[id]; }
  std::size_t size() const { return lexemes_.size(); }

  // Builds the automaton; throws std::invalid_argument when the words need too many states.
  void build();

  // Every occurrence in `text`, by position, longest first where several begin together; an
  // occurrence inside a longer one is dropped ("水" inside "水管", "漫" inside "漫步机").
  void scan(std::string_view text, std::vector<hit>& out) const;

 private:
  std::vector<lexeme> lexemes_;
  std::unordered_map<std::string, std::uint32_t> index_;
  // An Aho–Corasick automaton over bytes with its failure links folded into the table: one
  // lookup per byte. The table is most of what a scan touches, so it is kept small: 16-bit
  // states, and only as many columns as the words use distinct bytes (any other byte is column 0).
  std::array<std::uint16_t, 256> column_{};
  std::size_t columns_ = 1;
  std::vector<std::uint16_t> next_;  // state * columns_ + column
  // A lexeme ending at a state, with the lengths a hit needs: copied here so a scan reads them
  // beside the automaton rather than from the lexemes, scattered in memory.
  struct output {
    std::uint32_t id = 0;
    std::uint32_t bytes = 0;
    std::uint32_t code_points = 0;
  };
  std::vector<std::uint32_t> out_begin_;  // per state, into outs_ (one more than states)
  std::vector<output> outs_;              // lexemes ending at each state, suffixes included
};

// Rewrites colloquial wording into the words the rules use, leftmost and longest first.
class synonym_map {
 public:
  using table = std::unordered_map<char32_t, std::vector<std::pair<std::u32string, std::u32string>>>;

  void add(std::u32string from, std::u32string to);
  void build();
  void apply(std::u32string& text) const;
  // The same rewriting, written out as UTF-8.
  std::string apply_utf8(std::u32string_view text) const;

 private:
  std::vector<std::uint64_t> starts_;  // a bit per BMP code point that begins some key
  table by_first_;
};

// A rule's word as the text will hold it: normalised and rewritten by the synonyms.
std::string prepare_term(std::string_view term, const synonym_map& synonyms);

// The request as it is matched: a space between two words of Chinese, or an emoji, ends a
// clause (chat messages are punctuated so); then the shared normalisation; then the synonyms.
std::string prepare_text(std::string_view raw, const synonym_map& synonyms);

}  // namespace halfhour::sla::detail
