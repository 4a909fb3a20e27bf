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

TEST(sms_reply, a_number_and_a_code_are_read_in_any_width_and_with_any_separator) {
  struct row {
    const char* text;
    action_kind kind;
    const char* code;
  };
  const row rows[] = {
      {"1 1234", action_kind::acknowledge, "1234"},       {"2 1234", action_kind::contact, "1234"},
      {"3 123456", action_kind::arrive, "123456"},        {"9 1234", action_kind::hand_over, "1234"},
      {"１　１２３４", action_kind::acknowledge, "1234"}, {"  3，1234。 ", action_kind::arrive, "1234"},
      {"2-1234", action_kind::contact, "1234"},           {"1#1234", action_kind::acknowledge, "1234"},
      {"11234", action_kind::acknowledge, "1234"},        {"３１２３４５", action_kind::arrive, "12345"},
      {"1\n1234\r\n", action_kind::acknowledge, "1234"},
  };
  for (const auto& r : rows) {
    auto got = read_reply(r.text);
    ASSERT_TRUE(got) << r.text;
    EXPECT_EQ(got->kind, r.kind) << r.text;
    EXPECT_EQ(got->code, r.code) << r.text;
  }
}

TEST(sms_reply, anything_else_is_not_a_reply) {
  for (const char* text : {"", "好的", "1 1234 好的", "收到 1 1234", "4 1234", "0 1234", "1 123", "1 0123", "1 1234567",
                           "12 1234", "1 1234 5", "1234", "\xff\xfe 1234", "1 12３4x"})
    EXPECT_FALSE(read_reply(text)) << text;
  EXPECT_FALSE(read_reply(std::string(300, '1')));
}

}  // namespace
}  // namespace halfhour::sla
