// The fastText second opinion as built: the embedded model loads and answers probabilities, the
// text is read as characters the same way for training and asking, and bytes that are not a model
// are refused with a reason.
#include "adapters/opinion/fasttext_opinion.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace halfhour::opinion {
namespace {

TEST(opinion, the_text_is_read_as_characters_without_blanks) {
  EXPECT_EQ(model_words("水管 爆了"), "水 管 爆 了");
  EXPECT_EQ(model_words("  lift\t坏\u3000了\n"), "l i f t 坏 了");
  EXPECT_EQ(model_words(""), "");
  EXPECT_EQ(model_words("😀漏"), "😀 漏") << "a four-byte character stays whole";
}

TEST(opinion, the_embedded_model_loads_and_answers_a_probability) {
  const fasttext_opinion o(embedded_model());
  EXPECT_EQ(o.name(), "fastText");
  const double flood = o.urgent("厨房水管爆了，水一直往外喷，地上全是水");
  const double mailbox = o.urgent("信箱的锁坏了，钥匙插不进去，有空来换一把");
  EXPECT_GT(flood, 0.5);
  EXPECT_LT(mailbox, 0.5);
  for (double p : {flood, mailbox, o.urgent(""), o.urgent("\xff\xfe")}) {
    EXPECT_GE(p, 0.0);
    EXPECT_LE(p, 1.0);
  }
  EXPECT_EQ(o.urgent("厨房水管爆了"), o.urgent("厨房 水管 爆了")) << "blanks change nothing";
}

TEST(opinion, bytes_that_are_not_a_model_are_refused) {
  EXPECT_THROW(fasttext_opinion(""), std::invalid_argument);
  EXPECT_THROW(fasttext_opinion(std::string(64, 'x')), std::invalid_argument);
}

}  // namespace
}  // namespace halfhour::opinion
