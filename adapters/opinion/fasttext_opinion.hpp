// The learned second opinion on urgency: a fastText model (supervised, on characters with their
// bigrams and trigrams) trained at build time from the dev parts of tests/data and embedded in the
// binary. Loading and asking it happen here; the domain sees only sla::urgency_opinion.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "sla/classifier.hpp"

namespace halfhour::opinion {

// A request's text as the model reads it: every character a word, blanks dropped. Training and
// asking both go through this one function, so the two cannot read a text differently.
std::string model_words(std::string_view text);

class fasttext_opinion final : public sla::urgency_opinion {
 public:
  // From a model as `fasttext supervised` writes it, with the labels __label__URGENT and
  // __label__GENERAL; throws std::invalid_argument on anything else.
  explicit fasttext_opinion(std::string_view model_bytes);
  ~fasttext_opinion() override;

  double urgent(std::string_view text) const override;
  std::string name() const override { return "fastText"; }

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// The model trained at build time.
std::string_view embedded_model();

}  // namespace halfhour::opinion
