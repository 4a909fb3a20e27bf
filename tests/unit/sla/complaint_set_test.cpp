// Complaint or repair on the labelled complaint sets, as shipped. The dev part is what the
// complaint words were chosen on; the test part was written first and never tuned on, so only
// its figures are printed, never its rows. A repair called a complaint would lose its 30-minute
// clock, so that count is held at zero on both.
#include <gtest/gtest.h>

#include <iostream>

#include "sla/classifier.hpp"
#include "tests/data/labelled.hpp"
#include "tests/unit/sla/shipped.hpp"

namespace halfhour::sla {
namespace {

struct figures {
  std::size_t n = 0, right = 0, complaints = 0, complaints_found = 0, repairs_called_complaints = 0;
  double accuracy() const { return n ? static_cast<double>(right) / static_cast<double>(n) : 0; }
  double recall() const { return complaints ? static_cast<double>(complaints_found) / complaints : 0; }
};

figures score(const std::string& file) {
  const auto rows = testing::read_labelled(HALFHOUR_TEST_DATA_DIR "/" + file);
  figures f;
  for (const auto& r : rows) {
    const bool want = r.kind == "COMPLAINT";
    const bool got = testing::shipped_classifier().classify(r.text).kind == request_kind::complaint;
    ++f.n;
    f.right += want == got;
    f.complaints += want;
    f.complaints_found += want && got;
    f.repairs_called_complaints += got && !want;
  }
  std::cout << file << ": " << f.n << " messages, accuracy " << f.accuracy() << ", complaint recall " << f.recall()
            << ", repairs called complaints " << f.repairs_called_complaints << "\n";
  return f;
}

TEST(complaint_set, the_dev_parts_the_words_were_chosen_on) {
  const auto f = score("complaints_dev.tsv");
  EXPECT_EQ(f.n, 300u);
  EXPECT_GE(f.accuracy(), 0.95 - 1e-9);
  EXPECT_EQ(f.repairs_called_complaints, 0u);
  // The second part was scored unseen first (accuracy 0.773), then its words were added.
  const auto g = score("complaints_dev2.tsv");
  EXPECT_EQ(g.n, 300u);
  EXPECT_GE(g.accuracy(), 0.94 - 1e-9);
  EXPECT_EQ(g.repairs_called_complaints, 0u);
}

TEST(complaint_set, the_test_part_never_tuned_on) {
  const auto f = score("complaints_test.tsv");
  EXPECT_EQ(f.n, 200u);
  // First scored at accuracy 0.810, complaint recall 0.620; after the words of the second dev
  // part, 0.835 and 0.670; no repair called a complaint either time. A message with no complaint
  // word and no repair stays an urgent repair to be confirmed: the safe side, so recall is what
  // gives way.
  EXPECT_GE(f.accuracy(), 0.83 - 1e-9);
  EXPECT_EQ(f.repairs_called_complaints, 0u);
}

}  // namespace
}  // namespace halfhour::sla
