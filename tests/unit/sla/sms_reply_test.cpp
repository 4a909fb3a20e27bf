#include "sla/sms_reply.hpp"

#include <gtest/gtest.h>

namespace halfhour::sla {
namespace {

TEST(sms_reply, a_short_code_is_four_to_six_digits_without_a_leading_zero) {
  EXPECT_TRUE(is_short_code("1008"));
  EXPECT_TRUE(is_short_code("999999"));
  EXPECT_FALSE(is_short_code("123"));
  EXPECT_FALSE(is_short_code("1234567"));
  EXPECT_FALSE(is_short_code("0123"));
  EXPECT_FALSE(is_short_code("12a4"));
  EXPECT_FALSE(is_short_code(""));
}

TEST(sms_reply, the_grammar_names_the_code_with_each_action) {
  EXPECT_EQ(reply_grammar("1234"), "回复 1 1234 接单，2 1234 已联系，3 1234 到场，9 1234 转应急站");
}

}  // namespace
}  // namespace halfhour::sla
