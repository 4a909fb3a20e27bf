// Urgent or general: decides a repair request's urgency and category from rules kept as data,
// and says which rule fired on which words.
#pragma once

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

inline constexpr std::string_view unclassified_code = "unclassified";

class classifier {
 public:
  // Throws std::invalid_argument on rules that cannot work (no categories, empty terms).
  explicit classifier(classifier_rules rules);

  classification classify(std::string_view text, const classification_hints& hints = {}) const;

  const category_rule* find(std::string_view code) const;

 private:
  struct pattern {
    std::vector<std::string> terms;
  };
  struct compiled_category {
    category_rule rule;
    std::vector<pattern> patterns;
  };

  classifier_rules rules_;
  std::vector<compiled_category> compiled_;
};

}  // namespace halfhour::sla
