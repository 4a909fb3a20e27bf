// How a request's words become matches: clauses and their tense, negation and denial, and the
// category each pattern, object and state names. The decision among matches is classifier.cpp's.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sla/classifier.hpp"
#include "sla/classifier_lexicon.hpp"

namespace halfhour::sla::detail {

struct compiled_category {
  category_rule rule;
  std::vector<std::vector<std::uint32_t>> patterns;  // lexeme ids of each pattern's terms
  std::uint32_t mild = npos;                         // index of rule.mild_code
  std::uint32_t planned = npos;                      // index of rule.planned_code
};

struct compiled {
  classifier_rules rules;  // cue lists normalised, for screening
  std::vector<compiled_category> categories;
  lexicon words;
  synonym_map synonyms;
  std::uint32_t window = 10;  // code points between an object and its state
};

enum class status : std::uint8_t { live, negated, denied, worried, resolved, past };
enum class kind : std::uint8_t { object, object_state, pattern };  // how a match was made

inline constexpr std::size_t max_parts = 4;

struct match {
  std::uint32_t category = 0;
  kind how = kind::pattern;
  status is = status::live;
  std::uint32_t clause = 0;
  std::array<std::uint32_t, max_parts> parts{};  // hit indices, in text order
  std::uint32_t count = 0;
  std::uint32_t head = 0;    // the hit that says what happens: a pattern's last term, a state
  std::uint32_t cue = npos;  // the hit that discounted it
  // Intensity and mild cues: 3 in its own clause, 2 in the clause before or after, 1 elsewhere in
  // the message, 0 none.
  std::uint8_t intense = 0;
  std::uint8_t mild = 0;
  bool yielded = false;    // its words mean something else here (set by the decision)
  bool announced = false;  // made its planned_code by a notice of work ahead
  bool unsure = false;     // an ambiguous hit neither cue settled (set by the decision)
};

struct analysis {
  std::string text;
  std::vector<hit> hits;
  std::vector<std::uint32_t> bound_to;  // per hit: the object hit a state was bound to
  std::vector<match> matches;
  std::uint32_t clauses = 0;
  bool fine_now = false;  // a cue says the thing works now ("目前运行正常")
  bool planned = false;   // the message announces work ahead ("通知", "周四")
};

// Finds every match in `raw`, each with its status; none is dropped here.
void analyse(const compiled& c, std::string_view raw, analysis& out);

}  // namespace halfhour::sla::detail
