// Complaint or repair, on rules written here: anything said broken makes a repair (the complaint
// noted beside it), a complaint needs words that complain, not a bare "物业", and complaints and
// repairs are compiled apart so one never hides the other's words.
#include <gtest/gtest.h>

#include <algorithm>

#include "sla/classifier.hpp"

namespace halfhour::sla {
namespace {

category_rule repair(std::string code, urgency level, std::vector<std::string> objects, std::vector<std::string> states,
                     std::vector<std::string> patterns = {}) {
  category_rule r;
  r.code = code;
  r.name = code;
  r.level = level;
  r.objects = std::move(objects);
  r.states = std::move(states);
  r.patterns = std::move(patterns);
  return r;
}

category_rule complaint(std::string code, std::vector<std::string> patterns, std::vector<std::string> objects = {},
                        std::vector<std::string> states = {}) {
  auto r = repair(std::move(code), urgency::general, std::move(objects), std::move(states), std::move(patterns));
  r.kind = request_kind::complaint;
  r.name = "服务态度";
  return r;
}

const classifier& rules() {
  static const classifier c([] {
    classifier_rules r;
    r.categories = {repair("burst_pipe", urgency::urgent, {"水管"}, {"爆"}),
                    repair("door_lock", urgency::general, {"门禁"}, {"坏"}),
                    repair("stair_light", urgency::general, {"楼道灯", "灯泡"}, {"不亮"}),
                    complaint("complaint_staff", {"态度差", "门禁卡收费"}, {"保安", "物业"}, {"睡觉", "不管"})};
    r.clause_breaks = {"，", "。"};
    r.negation_cues = {"没"};
    r.denial_cues = {"不是"};
    r.affirm_cues = {"是"};
    r.resolved_cues = {"已修好"};
    r.past_cues = {"上次"};
    r.urgent_hints = {"紧急"};
    return r;
  }());
  return c;
}

bool notes(const classification& c, std::string_view code, std::string_view words) {
  return std::any_of(c.reasons.begin(), c.reasons.end(),
                     [&](const reason& r) { return r.rule == code && r.note.find(words) != std::string::npos; });
}

TEST(complaint_classifier, a_complaint_with_nothing_broken_is_a_general_complaint_on_its_own_words) {
  const auto c = rules().classify("物业的保安天天睡觉");
  EXPECT_EQ(c.kind, request_kind::complaint);
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.category, "complaint_staff");
  EXPECT_FALSE(c.uncertain) << "a complaint is not an unknown repair";
  ASSERT_FALSE(c.reasons.empty());
  EXPECT_EQ(c.reasons.front().words, (std::vector<std::string>{"保安", "睡觉"}));
}

TEST(complaint_classifier, something_still_broken_makes_a_repair_and_the_complaint_is_noted) {
  const auto c = rules().classify("水管爆了，保安态度差");
  EXPECT_EQ(c.kind, request_kind::repair);
  EXPECT_EQ(c.category, "burst_pipe");
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_TRUE(notes(c, "complaint_staff", "另有投诉"));
  const auto general = rules().classify("门禁坏了，保安态度差");
  EXPECT_EQ(general.kind, request_kind::repair) << "a general fault is still a repair";
}

TEST(complaint_classifier, a_bare_name_of_the_firm_or_a_guard_is_no_complaint_and_an_unknown_request_stays_urgent) {
  const auto c = rules().classify("物业快来人看看");
  EXPECT_EQ(c.kind, request_kind::repair);
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_TRUE(c.uncertain);
}

TEST(complaint_classifier, a_bare_object_of_a_repair_beside_a_complaint_is_what_the_complaint_is_about) {
  const auto c = rules().classify("换个灯泡，态度差得不得了");
  EXPECT_EQ(c.kind, request_kind::complaint);
  EXPECT_TRUE(notes(c, "stair_light", "未说坏在哪里"));
}

TEST(complaint_classifier,
     the_past_a_repair_since_done_or_a_negation_leave_a_complaint_standing_but_a_denial_does_not) {
  EXPECT_EQ(rules().classify("上次来修的师傅态度差").kind, request_kind::complaint);
  const auto fixed = rules().classify("水管爆了已修好，就是态度差");
  EXPECT_EQ(fixed.kind, request_kind::complaint);
  EXPECT_TRUE(notes(fixed, "burst_pipe", "已排除")) << "the fixed repair stays in view";
  // What was not done is the complaint itself.
  EXPECT_EQ(rules().classify("物业没管，保安不管").kind, request_kind::complaint);
  EXPECT_NE(rules().classify("不是态度差是水管爆了").kind, request_kind::complaint);
}

TEST(complaint_classifier, complaint_words_do_not_hide_the_repair_words_inside_them) {
  // "门禁卡收费" holds "门禁"; compiled together, the longer word would hide the door's fault.
  const auto c = rules().classify("门禁卡收费坏了");
  EXPECT_EQ(c.kind, request_kind::repair);
  EXPECT_EQ(c.category, "door_lock");
}

TEST(complaint_classifier, no_urgency_hint_makes_a_complaint_urgent) {
  const auto c = rules().classify("保安天天睡觉", {"", "紧急"});
  EXPECT_EQ(c.kind, request_kind::complaint);
  EXPECT_EQ(c.level, urgency::general);
}

TEST(complaint_classifier, a_channel_naming_a_complaint_category_is_heard_when_the_text_says_nothing) {
  const auto c = rules().classify("见附件", {"complaint_staff", ""});
  EXPECT_EQ(c.kind, request_kind::complaint);
  EXPECT_EQ(c.category, "complaint_staff");
  EXPECT_NE(rules().find("complaint_staff"), nullptr) << "an operator can put a job in it";
}

TEST(complaint_classifier, a_complaint_category_must_come_with_repairs) {
  classifier_rules only;
  only.categories = {complaint("complaint_staff", {"态度差"})};
  EXPECT_THROW(classifier{only}, std::invalid_argument);
}

}  // namespace
}  // namespace halfhour::sla
