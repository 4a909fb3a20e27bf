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

TEST(text, phone_numbers_are_redacted_however_they_are_written) {
  for (const char* t : {"电话13812345678", "电话138-1234-5678", "电话１３８１２３４５６７８", "电话138 1234 5678",
                        "电话(138)1234.5678", "电话一三八一二三四五六七八"}) {
    const auto out = redact_personal(t);
    EXPECT_EQ(out.find("1234"), std::string::npos) << t << " -> " << out;
    EXPECT_EQ(out.find("５６７８"), std::string::npos) << t;
    EXPECT_EQ(out.find("五六七八"), std::string::npos) << t;
    EXPECT_NE(out.find("电话"), std::string::npos) << t;
  }
}

TEST(text, rooms_are_hidden_and_buildings_and_lanes_kept) {
  EXPECT_EQ(redact_personal("凌兆路521弄3号502室漏水"), "凌兆路521弄3号***室漏水");
  EXPECT_EQ(redact_personal("丹桂苑3号楼1202"), "丹桂苑3号楼****");
  EXPECT_EQ(redact_personal("住在5-302"), "住在5-***");
  EXPECT_EQ(redact_personal("楼道灯坏了3天"), "楼道灯坏了3天");
}

TEST(text, clip_cuts_at_code_points_and_says_so) {
  EXPECT_EQ(clip("楼道灯坏了", 10), "楼道灯坏了");
  EXPECT_EQ(clip("楼道灯坏了", 3), "楼道灯…（已截断）");
}

}  // namespace
}  // namespace halfhour::sla
