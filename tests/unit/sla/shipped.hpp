// The classifier as the engine ships it: the embedded rules with the embedded second opinion, and
// the same rules alone, so the accuracy tests can say what the opinion adds.
#pragma once

#include <memory>

#include "adapters/config.hpp"
#include "adapters/opinion/fasttext_opinion.hpp"
#include "sla/classifier.hpp"

namespace halfhour::testing {

inline const sla::classifier& shipped_classifier() {
  static const sla::classifier c(config::default_rules(),
                                 std::make_shared<const opinion::fasttext_opinion>(opinion::embedded_model()));
  return c;
}

inline const sla::classifier& rules_alone() {
  static const sla::classifier c(config::default_rules());
  return c;
}

}  // namespace halfhour::testing
