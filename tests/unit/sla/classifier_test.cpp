// The classifier on the shipped rules: the hazard decides, negation and the past are
// understood, the most urgent issue wins, and every decision names its rule and words.
#include "sla/classifier.hpp"

#include <gtest/gtest.h>

#include "adapters/config.hpp"

namespace halfhour::sla {
namespace {

const classifier& shipped() {
  static const classifier c(config::default_rules());
  return c;
}

struct row {
  const char* text;
  urgency level;
  const char* category;
};

void PrintTo(const row& r, std::ostream* os) { *os << r.text; }

class shipped_rules : public ::testing::TestWithParam<row> {};

TEST_P(shipped_rules, decides_urgency_and_category) {
  const auto& r = GetParam();
  auto c = shipped().classify(r.text);
  EXPECT_EQ(c.level, r.level) << r.text;
  EXPECT_EQ(c.category, r.category) << r.text;
  ASSERT_FALSE(c.reasons.empty());
  EXPECT_EQ(c.reasons.front().rule, r.category);
}

INSTANTIATE_TEST_SUITE_P(
    table, shipped_rules,
    ::testing::Values(
        row{"厨房水管爆了，水漫到客厅", urgency::urgent, "burst_pipe"},
        row{"电梯困人！3号楼电梯里有老人被困", urgency::urgent, "lift_entrapment"},
        row{"3号楼电梯里困了人", urgency::urgent, "lift_entrapment"},
        row{"楼道里有很重的煤气味", urgency::urgent, "gas_leak"},
        row{"外墙瓷砖松动，不急，有空来看看", urgency::urgent, "falling_object"},
        row{"上周爆管已修好，现在补墙", urgency::general, "wall_floor"},
        row{"卫生间水龙头一直滴水", urgency::general, "tap_drip"},
        row{"水龙头漏水", urgency::general, "tap_drip"},
        row{"单元门门禁坏了刷卡打不开", urgency::general, "door_lock"},
        row{"电梯口的灯坏了", urgency::general, "stair_light"},
        row{"门铃坏了，另外家里停电了", urgency::urgent, "power_outage"},
        row{"水管没有漏水，就是墙面有点潮", urgency::general, "seepage"},
        row{"下水道堵塞，污水外溢到楼道", urgency::urgent, "sewage_overflow"},
        row{"ＡＢＣ　楼上　渗水　到我家天花板", urgency::general, "seepage"},
        row{"请尽快派人来看一下", urgency::urgent, "unclassified"},
        row{"上个月停电过一次，现在楼道灯不亮", urgency::general, "stair_light"},
        row{"从上周开始一直停水", urgency::urgent, "water_outage"}));

TEST(classifier, names_the_words_that_fired) {
  auto c = shipped().classify("3号楼电梯困人");
  EXPECT_EQ(c.reasons.front().words, (std::vector<std::string>{"电梯困人"}));
}

TEST(classifier, records_what_it_discounted_and_why) {
  auto c = shipped().classify("上周爆管已修好，现在补墙");
  bool found = false;
  for (const auto& r : c.reasons)
    if (r.rule == "burst_pipe") {
      found = true;
      EXPECT_NE(r.note.find("已修好"), std::string::npos) << r.note;
    }
  EXPECT_TRUE(found);
}

TEST(classifier, tone_never_lowers_a_hazard_but_is_noted) {
  auto c = shipped().classify("空调外机松动了，不着急");
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_EQ(c.reasons.back().rule, "tone");
}

TEST(classifier, gas_carries_advice_for_the_caller) {
  auto c = shipped().classify("家里闻到煤气味");
  EXPECT_NE(c.advice.find("119"), std::string::npos);
}

TEST(classifier, urgency_hint_raises_but_never_lowers) {
  auto up = shipped().classify("门锁坏了", {.category = "", .urgency = "紧急"});
  EXPECT_EQ(up.level, urgency::urgent);
  EXPECT_EQ(up.category, "door_lock");
  auto kept = shipped().classify("电梯困人", {.category = "", .urgency = "一般"});
  EXPECT_EQ(kept.level, urgency::urgent);
}

TEST(classifier, category_hint_used_only_when_the_text_says_nothing) {
  auto c = shipped().classify("请来处理", {.category = "door_lock", .urgency = ""});
  EXPECT_EQ(c.category, "door_lock");
  EXPECT_EQ(c.level, urgency::general);
  auto t = shipped().classify("水管爆裂", {.category = "door_lock", .urgency = ""});
  EXPECT_EQ(t.category, "burst_pipe");
}

TEST(classifier, rejects_rules_that_cannot_work) {
  EXPECT_THROW(classifier(classifier_rules{}), std::invalid_argument);
  classifier_rules bad;
  bad.categories.push_back({"x", "x", urgency::general, 1, {"水+"}, ""});
  EXPECT_THROW(classifier{bad}, std::invalid_argument);
}

TEST(classifier, hostile_text_is_classified_not_crashed) {
  std::string junk = "\xff\xfe\x80 电梯 \xe7\x94";
  junk += std::string(100000, 'a');
  auto c = shipped().classify(junk);
  EXPECT_FALSE(c.category.empty());
}

}  // namespace
}  // namespace halfhour::sla

namespace halfhour::sla {
namespace {

struct screen_row {
  const char* text;
  bool request;
};

void PrintTo(const screen_row& r, std::ostream* os) { *os << r.text; }

class screening_chat : public ::testing::TestWithParam<screen_row> {};

TEST_P(screening_chat, tells_requests_from_chat_adverts_and_thanks) {
  const auto& r = GetParam();
  auto s = shipped().screen(r.text, shipped().classify(r.text));
  EXPECT_EQ(s.request, r.request) << r.text << " " << s.reason;
  EXPECT_EQ(s.reason.empty(), r.request) << "a screened-out message says why";
}

INSTANTIATE_TEST_SUITE_P(
    group_messages, screening_chat,
    ::testing::Values(
        screen_row{"5号楼水管爆了，楼道里全是水", true},             // a category: always a request
        screen_row{"谢谢物业师傅，水管爆了的事修好了", false},        // a repair, said to be fixed: thanks
        screen_row{"谢谢物业师傅，辛苦了！", false},
        screen_row{"收到", false},
        screen_row{"好的👍", false},
        screen_row{"大家好，周末小区有团购活动，加微信xx123优惠", false},
        screen_row{"出售二手自行车，价格优惠 https://example.cn/x", false},
        screen_row{"麻烦物业来看一下我家这个情况，谢谢", true},        // an ask outranks the thanks
        screen_row{"我家那个东西又不行了，能不能来人看看", true},      // unknown words: dispatched
        screen_row{"谢谢大家，有人管吗？", true}));

TEST(screening, a_categorised_message_is_never_screened_out_even_with_advert_words) {
  const char* text = "燃气泄漏了！加微信的那个群里也说了";
  EXPECT_TRUE(shipped().screen(text, shipped().classify(text)).request);
}

}  // namespace
}  // namespace halfhour::sla
