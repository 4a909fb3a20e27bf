// The second opinion beside the rules: asked only where the rules call a request general, it can
// make it urgent and uncertain (a person confirms), never make an urgent one general.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "sla/classifier.hpp"

namespace halfhour::sla {
namespace {

// An opinion that answers one probability whatever it reads, and counts how often it was asked.
class fixed_opinion final : public urgency_opinion {
 public:
  explicit fixed_opinion(double p) : p_(p) {}
  double urgent(std::string_view) const override {
    ++asked;
    return p_;
  }
  std::string name() const override { return "测试"; }
  mutable int asked = 0;

 private:
  double p_;
};

classifier_rules pipe_and_light(double threshold) {
  classifier_rules r;
  category_rule pipe{"pipe", "水管爆裂", urgency::urgent, 70, {}, ""};
  pipe.group = "U1";
  pipe.objects = {"水管"};
  pipe.states = {"爆"};
  category_rule light{"light", "楼道照明", urgency::general, 20, {}, ""};
  light.group = "G3";
  light.objects = {"灯"};
  light.states = {"坏"};
  r.categories = {pipe, light};
  r.clause_breaks = {"，"};
  r.opinion_threshold = threshold;
  return r;
}

TEST(classifier_opinion, a_general_call_the_opinion_reads_as_urgent_goes_to_a_person_urgent_meanwhile) {
  auto opinion = std::make_shared<fixed_opinion>(0.93);
  const classifier cls(pipe_and_light(0.8), opinion);
  const auto c = cls.classify("楼道灯坏了");
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_TRUE(c.uncertain);
  EXPECT_EQ(c.category, "light") << "the category stays the rules' best reading";
  EXPECT_EQ(c.group, "G3");
  EXPECT_DOUBLE_EQ(c.confidence, 0.5);
  ASSERT_FALSE(c.reasons.empty());
  EXPECT_EQ(c.reasons.back().rule, "second_opinion");
  EXPECT_NE(c.reasons.back().note.find("测试模型判为急修的可能为93%"), std::string::npos) << c.reasons.back().note;
  EXPECT_EQ(opinion->asked, 1);
}

TEST(classifier_opinion, below_the_threshold_the_rules_call_stands) {
  auto opinion = std::make_shared<fixed_opinion>(0.79);
  const auto c = classifier(pipe_and_light(0.8), opinion).classify("楼道灯坏了");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_FALSE(c.uncertain);
  for (const auto& r : c.reasons) EXPECT_NE(r.rule, "second_opinion");
}

TEST(classifier_opinion, an_urgent_call_is_never_asked_about_so_never_made_general) {
  auto opinion = std::make_shared<fixed_opinion>(0.0);
  const auto c = classifier(pipe_and_light(0.8), opinion).classify("厨房水管爆了");
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_FALSE(c.uncertain);
  EXPECT_EQ(opinion->asked, 0);
}

TEST(classifier_opinion, a_threshold_of_zero_or_no_opinion_leaves_the_rules_alone) {
  auto opinion = std::make_shared<fixed_opinion>(1.0);
  EXPECT_EQ(classifier(pipe_and_light(0), opinion).classify("楼道灯坏了").level, urgency::general);
  EXPECT_EQ(opinion->asked, 0);
  EXPECT_EQ(classifier(pipe_and_light(0.8)).classify("楼道灯坏了").level, urgency::general);
}

TEST(classifier_opinion, a_notice_of_work_ahead_is_general_by_what_it_says_and_not_asked_about) {
  auto rules = pipe_and_light(0.8);
  category_rule outage{"outage", "停水", urgency::urgent, 55, {"停水"}, ""};
  outage.group = "U2";
  outage.planned_code = "notice";
  category_rule notice{"notice", "计划停水通知", urgency::general, 20, {"停水通知"}, ""};
  notice.group = "G5";
  rules.categories.push_back(outage);
  rules.categories.push_back(notice);
  rules.planned_cues = {"通知"};
  rules.future_cues = {"明天"};
  rules.negation_cues = {"没"};
  auto opinion = std::make_shared<fixed_opinion>(1.0);
  const classifier cls(rules, opinion);
  const auto announced = cls.classify("物业通知，明天上午停水");
  EXPECT_EQ(announced.level, urgency::general);
  EXPECT_EQ(announced.category, "notice");
  EXPECT_FALSE(announced.uncertain);
  EXPECT_EQ(opinion->asked, 0);
  // Not announced: no future named, or the notice denied, or the outage come.
  EXPECT_EQ(cls.classify("物业通知，停水").level, urgency::urgent);
  EXPECT_EQ(cls.classify("明天还停水吗，物业也没通知").level, urgency::urgent);
  EXPECT_EQ(cls.classify("明天的通知，结果今天就停水了").level, urgency::urgent);
}

}  // namespace
}  // namespace halfhour::sla
