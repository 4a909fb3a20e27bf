#include "sla/text.hpp"

#include <gtest/gtest.h>

namespace halfhour::sla {
namespace {

TEST(text, folds_full_width_and_drops_spaces) {
  EXPECT_EQ(to_utf8(normalise(to_u32("凌兆路　５２１ 弄３號"))), "凌兆路521弄3号");
  EXPECT_EQ(to_utf8(normalise(to_u32("５８６弄ｂ"))), "586弄B");
}

TEST(text, edit_distance_counts_code_points_and_stops_early) {
  EXPECT_EQ(edit_distance(U"丹桂苑", U"丹桂园", 2), 1u);
  EXPECT_EQ(edit_distance(U"丹桂苑", U"丹桂苑", 2), 0u);
  EXPECT_EQ(edit_distance(U"丹桂苑", U"永泰花苑东区", 1), 2u);
}

TEST(text, masks_phone_numbers) {
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
  EXPECT_EQ(mask_phone("021-5888"), "****");
  EXPECT_EQ(mask_phone(""), "");
}

TEST(text, utf8_validity) {
  EXPECT_TRUE(is_valid_utf8("电梯困人"));
  EXPECT_FALSE(is_valid_utf8("\xe7\x94"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
  EXPECT_EQ(to_utf8(to_u32("a\xffz")), "a\xEF\xBF\xBDz");
}

}  // namespace
}  // namespace halfhour::sla
