// Urgent or general: decides a repair request's urgency and category from rules kept as data,
// and says which rule fired on which words.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace halfhour::sla {

enum class urgency { urgent, general };

struct category_rule {
  std::string code;
  std::string name;
  urgency level = urgency::general;
  int priority = 0;
  std::vector<std::string> patterns;  // terms joined by '+', all in one clause, in order
  std::string advice;
};

struct classifier_rules {
  std::vector<category_rule> categories;
  std::vector<std::string> clause_breaks;
  std::vector<std::string> negation_cues;
  std::vector<std::string> resolved_cues;
  std::vector<std::string> past_cues;
  std::vector<std::string> ongoing_cues;
  std::vector<std::string> urgent_hints;
  std::vector<std::string> tone_cues;
  // Screening a group chat's message that names no repair: adverts and small talk are not
  // requests; a message asking for help is one even when no category fits.
  std::vector<std::string> advert_cues;
  std::vector<std::string> chat_cues;
  std::vector<std::string> request_cues;
};

struct reason {
  std::string rule;
  std::vector<std::string> words;
  std::string note;

  bool operator==(const reason&) const = default;
};

struct classification {
  urgency level = urgency::urgent;
  std::string category;
  std::string category_name;
  std::vector<reason> reasons;
  std::string advice;
  bool overridden = false;

  bool operator==(const classification&) const = default;
};

// What the channel itself said; the hazard in the text outranks both.
struct classification_hints {
  std::string category;
  std::string urgency;
};

// Whether a message from a chat channel asks for a repair at all.
struct screening {
  bool request = true;
  std::string reason;  // Chinese, when it is not a request: what it looked like and on which words
};

inline constexpr std::string_view unclassified_code = "unclassified";

class classifier {
 public:
  // Throws std::invalid_argument on rules that cannot work (no categories, empty terms).
  explicit classifier(classifier_rules rules);

  classification classify(std::string_view text, const classification_hints& hints = {}) const;

  const category_rule* find(std::string_view code) const;
  const classifier_rules& rules() const { return rules_; }

  // A message naming a repair (any category) is a request; one that names none is not when it
  // reads as an advert, or as thanks or small talk with no request for help. In doubt, it is
  // a request: a missed flood costs more than an operator's glance.
  screening screen(std::string_view text, const classification& cls) const;

 private:
  struct pattern {
    std::vector<std::string> terms;
    std::vector<std::uint32_t> ids;  // the terms' indices in terms_
  };
  // Every distinct term of every pattern, found in one pass per clause by an Aho–Corasick
  // automaton (a byte DFA): searching each term of each pattern separately cost 85 % of the time.
  struct term_node {
    std::array<std::int32_t, 256> next;
    std::vector<std::uint32_t> out;  // terms ending here, suffix matches included
  };
  using term_hits = std::vector<std::pair<std::uint32_t, std::uint32_t>>;  // (term, byte offset), sorted
  term_hits find_terms(std::string_view clause) const;
  struct compiled_category {
    category_rule rule;
    std::vector<pattern> patterns;
  };

  classifier_rules rules_;
  std::vector<compiled_category> compiled_;
  std::vector<std::string> terms_;
  std::vector<term_node> automaton_;
  // For each term, the patterns (category, pattern) that begin with it, in rule order: a clause
  // tries only the patterns whose first term it contains, not all three hundred.
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> starting_with_;
};

}  // namespace halfhour::sla
