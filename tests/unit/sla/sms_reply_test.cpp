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

TEST(sms_reply, a_refused_reply_goes_on_the_record_once_and_moves_nothing_else) {
  using namespace std::chrono_literals;
  const instant t0 = from_ms(1'795'000'000'000);
  intake in{channel::hotline_12345, "12345-010", {"王女士", "13800000010"}, "门禁坏了", "丹桂苑", std::nullopt};
  classification cls;
  cls.level = urgency::general;
  resolution firm;
  firm.to = route::firm;
  firm.community_name = "丹桂苑";
  firm.firm = "临客嘉物业";
  const auto wo = accept(in, "W01-000010", cls, firm, "街道物业应急维修服务站", limits{}, t0).next;
  const member other{"13900000002", "赵师傅", "别家物业", role::crew};
  auto d = record_refused_reply(wo, {action_kind::acknowledge, "4821"}, other, "不是您单位的工单", "sms-refused:7",
                                t0 + 2min);
  ASSERT_EQ(d.events.size(), 1u);
  const auto& e = d.events[0];
  EXPECT_EQ(e.kind, event_kind::reply_refused);
  EXPECT_EQ(e.actor_id, "13900000002");
  EXPECT_EQ(e.organisation, "别家物业");
  EXPECT_EQ(e.method, "短信");
  EXPECT_EQ(e.note, "短信回复接单（工单码 4821）未执行：不是您单位的工单");
  EXPECT_EQ(e.at, t0 + 2min);
  EXPECT_TRUE(d.notify.empty());
  EXPECT_TRUE(d.arm.empty());
  EXPECT_TRUE(d.cancel.empty());
  EXPECT_EQ(d.next.state, wo.state);
  EXPECT_EQ(d.next.assignee, wo.assignee);
  EXPECT_EQ(d.next.clocks, wo.clocks);
  // The gateway delivers the same message again: nothing more on the record.
  auto again = record_refused_reply(d.next, {action_kind::acknowledge, "4821"}, other, "不是您单位的工单",
                                    "sms-refused:7", t0 + 3min);
  EXPECT_TRUE(again.duplicate);
  EXPECT_TRUE(again.events.empty());
}

}  // namespace
}  // namespace halfhour::sla
