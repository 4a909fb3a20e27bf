#include <gtest/gtest.h>

#include "adapters/channels/sms.hpp"

namespace halfhour::channels {
namespace {

constexpr std::string_view json_type = "application/json";

TEST(sms_channel, an_aliyun_push_is_read_message_by_message) {
  auto p = parse_aliyun_sms(
      R"([{"phone_number":"13900000001","content":"1 1234","send_time":"2026-12-01 09:30:00","dest_code":"7","sequence_id":1001},
          {"phone_number":"+8613900000002","content":"２　１２３４","sequence_id":"1002","sign_name":"东明路"}])",
      "application/json; charset=utf-8");
  ASSERT_TRUE(p.ok) << p.error.message;
  ASSERT_EQ(p.messages.size(), 2u);
  EXPECT_EQ(p.messages[0].id, "aliyun:1001");
  EXPECT_EQ(p.messages[0].phone, "13900000001");
  EXPECT_EQ(p.messages[0].text, "1 1234");
  ASSERT_TRUE(p.messages[0].sent_at);
  EXPECT_EQ(sla::to_ms(*p.messages[0].sent_at), 1'796'088'600'000);  // 01:30 UTC
  EXPECT_EQ(p.messages[1].id, "aliyun:1002");
  EXPECT_EQ(p.messages[1].phone, "13900000002");  // +86 dropped
  EXPECT_FALSE(p.messages[1].sent_at);
}

TEST(sms_channel, a_tencent_reply_gets_an_id_of_its_sender_time_and_text) {
  auto body =
      R"({"extend":"","mobile":"13900000001","nationcode":"86","sign":"东明路","text":"3 1234","time":1796088600})";
  auto p = parse_tencent_sms(body, json_type);
  ASSERT_TRUE(p.ok) << p.error.message;
  ASSERT_EQ(p.messages.size(), 1u);
  const auto& m = p.messages[0];
  EXPECT_EQ(m.phone, "13900000001");
  EXPECT_EQ(m.text, "3 1234");
  EXPECT_TRUE(m.id.starts_with("tencent:13900000001:1796088600:")) << m.id;
  EXPECT_EQ(parse_tencent_sms(body, json_type).messages[0].id, m.id);  // a redelivery: the same id
  auto other =
      parse_tencent_sms(R"({"mobile":"13900000001","nationcode":"86","text":"2 1234","time":1796088600})", json_type);
  ASSERT_TRUE(other.ok);
  EXPECT_NE(other.messages[0].id, m.id);
  auto abroad = parse_tencent_sms(R"({"mobile":"91234567","nationcode":"852","text":"1","time":1})", json_type);
  ASSERT_TRUE(abroad.ok);
  EXPECT_EQ(abroad.messages[0].phone, "+85291234567");
}

TEST(sms_channel, malformed_pushes_are_refused_whole) {
  const char* aliyun[] = {
      "",
      "{",
      "{}",
      "[]",
      "[1]",
      R"([{"phone_number":"13900000001","content":"1 1234"}])",
      R"([{"phone_number":"13900000001","sequence_id":1}])",
      R"([{"content":"1 1234","sequence_id":1}])",
      R"([{"phone_number":"abc","content":"1 1234","sequence_id":1}])",
      R"([{"phone_number":"13900000001","content":"1 1234","sequence_id":-5}])",
      R"([{"phone_number":"13900000001","content":"1 1234","sequence_id":1},{"phone_number":"13900000001"}])",
      "[\"\xff\"]"};
  for (const char* body : aliyun) {
    auto p = parse_aliyun_sms(body, json_type);
    EXPECT_FALSE(p.ok) << body;
    EXPECT_EQ(p.error.status, 400) << body;
    EXPECT_FALSE(p.error.message.empty());
  }
  const char* tencent[] = {"",
                           "[]",
                           R"({"mobile":"13900000001","text":"1 1234"})",
                           R"({"mobile":"13900000001","text":"1 1234","time":"soon"})",
                           R"({"mobile":"13900000001","text":"1 1234","time":-1})",
                           R"({"text":"1 1234","time":1})",
                           R"({"mobile":"13900000001","time":1})",
                           R"({"mobile":"13900000001","nationcode":"x","text":"1","time":1})"};
  for (const char* body : tencent) {
    auto p = parse_tencent_sms(body, json_type);
    EXPECT_FALSE(p.ok) << body;
    EXPECT_EQ(p.error.status, 400) << body;
  }
  EXPECT_EQ(parse_aliyun_sms("[]", "application/xml").error.status, 415);
  std::string many = "[";
  for (int i = 0; i < 101; ++i)
    many += (i ? "," : "") + std::string(R"({"phone_number":"13900000001","content":"1","sequence_id":)") +
            std::to_string(i) + "}";
  EXPECT_FALSE(parse_aliyun_sms(many + "]", json_type).ok);
  std::string long_text(501 * 3, '\0');
  long_text.clear();
  for (int i = 0; i < 501; ++i) long_text += "修";
  EXPECT_FALSE(parse_tencent_sms(R"({"mobile":"13900000001","text":")" + long_text + R"(","time":1})", json_type).ok);
}

}  // namespace
}  // namespace halfhour::channels
