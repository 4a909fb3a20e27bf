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

INSTANTIATE_TEST_SUITE_P(table, shipped_rules,
                         ::testing::Values(row{"厨房水管爆了，水漫到客厅", urgency::urgent, "burst_pipe"},
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

TEST(classifier, rejects_a_mild_code_that_names_no_category) {
  classifier_rules bad;
  category_rule leak{"leak", "漏水", urgency::urgent, 1, {}, ""};
  leak.objects = {"水管"};
  leak.states = {"漏"};
  leak.needs_intensity = true;
  leak.mild_code = "nowhere";
  bad.categories.push_back(leak);
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
    ::testing::Values(screen_row{"5号楼水管爆了，楼道里全是水", true},        // a category: always a request
                      screen_row{"谢谢物业师傅，水管爆了的事修好了", false},  // a repair, said to be fixed: thanks
                      screen_row{"谢谢物业师傅，辛苦了！", false}, screen_row{"收到", false},
                      screen_row{"好的👍", false}, screen_row{"大家好，周末小区有团购活动，加微信xx123优惠", false},
                      screen_row{"出售二手自行车，价格优惠 https://example.cn/x", false},
                      screen_row{"麻烦物业来看一下我家这个情况，谢谢", true},    // an ask outranks the thanks
                      screen_row{"我家那个东西又不行了，能不能来人看看", true},  // unknown words: dispatched
                      screen_row{"谢谢大家，有人管吗？", true}));

TEST(screening, a_categorised_message_is_never_screened_out_even_with_advert_words) {
  const char* text = "燃气泄漏了！加微信的那个群里也说了";
  EXPECT_TRUE(shipped().screen(text, shipped().classify(text)).request);
}

}  // namespace
}  // namespace halfhour::sla

// The guide's behaviours, each on the shipped rules (and a few on rules built for the test, where
// the mechanism is the point).
namespace halfhour::sla {
namespace {

bool has_reason(const classification& c, std::string_view rule, std::string_view note_part = {}) {
  for (const auto& r : c.reasons)
    if (r.rule == rule && r.note.find(note_part) != std::string::npos) return true;
  return false;
}

// A rule set of one urgent and one general category, to watch one mechanism at a time.
classifier tiny(int window = 0) {
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
  r.object_window = window;
  return classifier(r);
}

TEST(classifier_guide, each_category_carries_the_guides_class) {
  EXPECT_EQ(shipped().classify("厨房水管爆了").group, "U1");
  EXPECT_EQ(shipped().classify("电梯困人").group, "U5");
  EXPECT_EQ(shipped().classify("水龙头一直滴水").group, "G1");
  EXPECT_EQ(shipped().classify("信箱锁坏了").group, "G2");
  EXPECT_EQ(shipped().classify("楼道灯不亮").group, "G3");
  EXPECT_EQ(shipped().classify("楼道墙面要重新粉刷").group, "G4");
  EXPECT_EQ(shipped().classify("小区道闸抬不起来").group, "G5");
  for (const auto& c : shipped().rules().categories) EXPECT_FALSE(c.group.empty()) << c.code;
}

TEST(classifier_guide, an_object_and_its_state_match_with_other_words_between_them) {
  auto lift = shipped().classify("电梯今天又把人关在里面了");
  EXPECT_EQ(lift.level, urgency::urgent);
  EXPECT_EQ(lift.group, "U5");
  auto pipe = shipped().classify("卫生间墙里的水管突然就爆开了");
  EXPECT_EQ(pipe.category, "burst_pipe");
  EXPECT_EQ(pipe.reasons.front().words, (std::vector<std::string>{"水管", "爆"}));
}

TEST(classifier_guide, an_object_and_its_state_match_in_either_order) {
  EXPECT_EQ(tiny().classify("爆了一根水管").category, "pipe");
  EXPECT_EQ(tiny().classify("水管爆了").category, "pipe");
  EXPECT_EQ(shipped().classify("闻到一股怪味，像是天然气").group, "U11");
}

TEST(classifier_guide, a_state_too_far_from_its_object_names_nothing) {
  const auto near = tiny(4).classify("水管昨晚爆了");
  EXPECT_EQ(near.category, "pipe");
  const auto far = tiny(4).classify("水管放在柜子里面很多年了才爆");
  EXPECT_EQ(far.category, unclassified_code);
  EXPECT_TRUE(far.uncertain);
}

TEST(classifier_guide, a_state_belongs_to_the_nearest_object_that_can_be_in_it) {
  auto screen = shipped().classify("电梯里的广告屏坏了");
  EXPECT_EQ(screen.level, urgency::general);
  EXPECT_EQ(screen.group, "G5");
  auto light = tiny().classify("水管旁边的灯坏了");
  EXPECT_EQ(light.category, "light");
}

TEST(classifier_guide, colloquial_and_shanghainese_words_are_understood) {
  EXPECT_EQ(shipped().classify("电梯坏脱了三日了 楼上瘫痪老人下勿来").group, "U5");
  EXPECT_EQ(shipped().classify("馨乐苑18号个门禁又坏了 门关勿牢").group, "G2");
  EXPECT_EQ(shipped().classify("608弄顶楼又漏了 落雨天天这样").group, "U6");
  EXPECT_EQ(shipped().classify("阿拉屋里厢水龙头一直滴滴答答 啥辰光有人来修啊").group, "G1");
  EXPECT_EQ(shipped().classify("楼道里煤气味道邪气重").group, "U11");
}

TEST(classifier_guide, a_space_between_chinese_words_ends_a_clause) {
  // Without the space the fixed clause would swallow the new burst.
  auto c = shipped().classify("上礼拜修好的那根热水管 今朝又在喷");
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_EQ(c.group, "U1");
}

TEST(classifier_guide, past_and_fixed_discounts_only_its_own_clause) {
  auto fixed = shipped().classify("上礼拜爆管已修好，现在补墙");
  EXPECT_EQ(fixed.level, urgency::general);
  EXPECT_EQ(fixed.group, "G4");
  auto again = shipped().classify("上礼拜爆管已修好，今天水管又爆了");
  EXPECT_EQ(again.level, urgency::urgent);
  EXPECT_EQ(again.group, "U1");
}

TEST(classifier_guide, now_and_again_keep_a_clause_present) {
  auto c = shipped().classify("品诚苑15号楼 刚刚水管又爆了 上个礼拜刚修好 现在水又在喷");
  EXPECT_EQ(c.level, urgency::urgent);
  auto sparks = shipped().classify("插座老早就冒火星 今朝又冒了一记");
  EXPECT_EQ(sparks.group, "U4");
}

TEST(classifier_guide, a_clause_that_only_says_fixed_speaks_of_the_one_before) {
  auto c = shipped().classify("昨晚楼下配电房冒烟，供电公司已连夜抢修恢复送电，现配电房门被撬坏，要求物业修门");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G2");
  EXPECT_TRUE(has_reason(c, "electrical_danger", "问题已解决"));
}

TEST(classifier_guide, not_x_but_y_denies_x_and_lets_y_decide) {
  auto up = shipped().classify("不是水管漏水，是墙上的电线被水泡了在冒火星");
  EXPECT_EQ(up.level, urgency::urgent);
  EXPECT_EQ(up.group, "U4");
  auto down = shipped().classify("勿是爆管哦 就是墙上有点渗水 湿了一块");
  EXPECT_EQ(down.level, urgency::general);
  EXPECT_EQ(down.group, "G1");
  EXPECT_TRUE(has_reason(down, "burst_pipe", "否认"));
  auto smell = shipped().classify("垃圾房门口臭得来 勿是煤气味道哦 是垃圾馊脱了");
  EXPECT_EQ(smell.level, urgency::general);
}

// Darkness said of a broken light is the light's job; a building or stairwell without power, or
// a breaker that will not stay on, is a power cut.
TEST(classifier_guide, darkness_beside_a_broken_light_is_a_light_job_not_a_power_cut) {
  for (const char* text : {"楼道灯坏了，晚上全黑", "楼道里的灯坏了 都黑了", "声控灯不亮了，楼梯间黑灯瞎火的",
                           "三楼灯泡烧了 楼道里全黑 老人不敢走", "路灯坏了，小区里全黑"}) {
    const auto c = shipped().classify(text);
    EXPECT_EQ(c.group, "G3") << text;
    EXPECT_EQ(c.level, urgency::general) << text;
  }
  for (const char* text : {"楼道没电了，灯也不亮", "3号楼没电了", "我们这个楼道跳闸合不上，整个单元都没电",
                           "楼道灯全黑了，整栋楼都没电", "整栋楼停电了 楼道里全黑", "整幢楼全黑了"}) {
    const auto c = shipped().classify(text);
    EXPECT_EQ(c.group, "U4") << text;
    EXPECT_EQ(c.level, urgency::urgent) << text;
  }
}

TEST(classifier_guide, a_space_before_a_number_ends_a_clause_too) {
  // Else "不是" would deny everything up to the end of the message.
  EXPECT_EQ(shipped().classify("不是吓大家 6号楼外墙裂缝越来越大了").group, "U8");
}

TEST(classifier_guide, a_comparison_with_the_past_is_not_the_past) {
  EXPECT_EQ(shipped().classify("车库顶板的裂缝比上个礼拜长了").group, "U8");
  EXPECT_EQ(shipped().classify("墙上这条缝跟上个月比宽了不少").group, "U8");
}

TEST(classifier_guide, the_past_ends_an_event_not_a_defect) {
  const auto c = shipped().classify("楼道墙皮老早就掉了 想刷一刷");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G4");
  EXPECT_EQ(shipped().classify("插座老早就冒火星 今朝又冒了一记").group, "U4");
}

TEST(classifier_guide, words_read_as_the_text_means_them) {
  EXPECT_EQ(shipped().classify("晚上回家一进单元门就闻到燃气味").group, "U11");  // not "上回"
  EXPECT_EQ(shipped().classify("水管接头崩开了，水喷得满地都是").group, "U1");   // not "满"
  EXPECT_EQ(shipped().classify("楼下水管爆裂，水漫到马路上").group, "U1");       // not "下水管"
  EXPECT_EQ(shipped().classify("整栋楼停电 电梯里面有没有人还不知道").group, "U4");
  EXPECT_EQ(shipped().classify("电梯又把人关辣里厢了").group, "U5");
}

TEST(classifier_guide, a_bare_leak_is_judged_by_the_whole_message) {
  const auto c = shipped().classify("楼上漏水到我家，吊顶在滴，量不大，一滴一滴的");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G1");
}

TEST(classifier_guide, the_most_urgent_issue_wins_even_last_in_a_long_message) {
  auto c = shipped().classify(
      "各位邻居晚上好 想问下快递柜是勿是坏了 还有垃圾房门口又有人扔沙发 另外门口水果店好像关门了 "
      "还有我刚刚下楼好像闻到一股煤气味 就在3号楼楼道里");
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_EQ(c.group, "U11");
  EXPECT_FALSE(c.advice.empty());
}

TEST(classifier_guide, a_hazard_said_mildly_stays_urgent) {
  auto light = shipped().classify("樱桃苑11号602 吸顶灯旁边在滴水 不急的哦 有空来看看就好");
  EXPECT_EQ(light.level, urgency::urgent);
  EXPECT_EQ(light.group, "U6");
  EXPECT_TRUE(has_reason(light, "tone"));
  auto sparks = shipped().classify("不急不急 就是灶间的插座有辰光会冒点火花 有空来看看");
  EXPECT_EQ(sparks.level, urgency::urgent);
  EXPECT_EQ(sparks.group, "U4");
}

TEST(classifier_guide, near_misses_stay_general) {
  for (const char* text :
       {"厨房水槽下面有个接头在慢慢渗水，下面放了个碗接着", "电梯按钮有点卡，要按好几下才亮，电梯运行正常",
        "墙上老裂缝 十几年了一直这样 没变过 就是难看", "楼上空调冷凝水管一直滴在我家窗台上",
        "天花板有点水印 黄黄的一圈 没在滴", "单元门闭门器坏了 门关起来砰一声 小孩手差点夹到"}) {
    auto c = shipped().classify(text);
    EXPECT_EQ(c.level, urgency::general) << text;
    EXPECT_EQ(c.group[0], 'G') << text;
  }
}

TEST(classifier_guide, ordinary_general_jobs_are_recognised_not_left_to_the_fallback) {
  for (const char* text :
       {"信报箱锁坏了", "单元门电子锁失灵，刷卡没反应", "楼下可视对讲按了没声音", "小区人行闸机刷脸刷不进",
        "窗户把手断了", "淋浴龙头关不紧一直滴", "楼道墙面要重新粉刷", "楼梯踏步水磨石缺了一角", "大堂灯一闪一闪",
        "垃圾厢房门坏了", "监控探头坏了", "健身器材螺丝松了", "绿化带的树要修剪"}) {
    auto c = shipped().classify(text);
    EXPECT_EQ(c.level, urgency::general) << text;
    EXPECT_NE(c.category, unclassified_code) << text;
    EXPECT_FALSE(c.uncertain) << text;
  }
}

TEST(classifier_guide, a_facilitys_part_is_the_facilitys_job) {
  EXPECT_EQ(shipped().classify("垃圾房的门坏了关不上").group, "G5");
  EXPECT_EQ(shipped().classify("自行车棚灯也坏了").group, "G5");
}

TEST(classifier_guide, tiles_and_glass_threaten_only_when_high_up) {
  auto indoor = shipped().classify("厨房墙砖掉了一块，掉在台面上");
  EXPECT_EQ(indoor.group, "G4");
  auto outside = shipped().classify("窗户玻璃碎了一半挂在框上，下面是人行道");
  EXPECT_EQ(outside.level, urgency::urgent);
  EXPECT_EQ(outside.group, "U7");
}

TEST(classifier_guide, a_ceiling_panel_hanging_over_a_lobby_threatens_who_walks_under_it) {
  auto lobby = shipped().classify("单元门厅的吊顶扣板脱开了一头，耷拉着");
  EXPECT_EQ(lobby.level, urgency::urgent);
  EXPECT_EQ(lobby.group, "U7");
  auto flat = shipped().classify("卫生间吊顶扣板掉了一块，想换个新的");
  EXPECT_EQ(flat.level, urgency::general);
}

TEST(classifier_guide, a_time_after_bi_is_a_measure_not_the_past) {
  // "比上周宽" compares with now: the crack is growing. "上周裂的" says when it happened.
  auto growing = shipped().classify("承重墙那条缝比上周宽了不少");
  EXPECT_EQ(growing.level, urgency::urgent);
  EXPECT_EQ(growing.group, "U8");
  auto past = shipped().classify("上周墙裂了条缝，已经补好了，现在想刷一下");
  EXPECT_EQ(past.level, urgency::general);
}

TEST(classifier_guide, a_worry_is_not_a_hazard) {
  auto c = shipped().classify("楼梯扶手松了，担心老人摔倒");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G2");
}

TEST(classifier_guide, an_ambiguous_leak_is_settled_by_how_it_is_described) {
  auto big = shipped().classify("水管漏水，水哗哗的");
  EXPECT_EQ(big.level, urgency::urgent);
  EXPECT_FALSE(big.uncertain);
  auto small = shipped().classify("水管接口有点漏");
  EXPECT_EQ(small.level, urgency::general);
  EXPECT_EQ(small.group, "G1");
  auto unknown = shipped().classify("水管漏水");
  EXPECT_EQ(unknown.level, urgency::urgent);
  EXPECT_TRUE(unknown.uncertain);
  EXPECT_TRUE(has_reason(unknown, "uncertain", "待确认"));
}

TEST(classifier, a_lift_that_runs_with_a_minor_fault_is_general_but_a_lift_alone_is_no_minor_fault) {
  auto display = shipped().classify("电梯厅的楼层显示屏黑屏了，电梯能正常坐");
  EXPECT_EQ(display.level, urgency::general);
  EXPECT_EQ(display.group, "G5");
  // Named without a state it may be anything, people trapped included: never settled as minor.
  auto bare = shipped().classify("电梯关牢人了 快来");
  EXPECT_EQ(bare.level, urgency::urgent);
  EXPECT_NE(bare.category, "lift_minor");
  EXPECT_EQ(shipped().classify("电梯早上又往下滑了一段").group, "U5");
}

TEST(classifier, ground_giving_way_is_structural_and_manholes_spilling_are_sewage) {
  EXPECT_EQ(shipped().classify("楼前的路面塌陷了一个坑，还在往下沉").group, "U8");
  EXPECT_EQ(shipped().classify("门口窨井盖边上一直在往外冒水").group, "U3");
}

TEST(classifier, a_facilitys_part_is_its_job_unless_the_part_is_a_danger_by_itself) {
  EXPECT_EQ(shipped().classify("小区车棚屋顶漏雨，电瓶车都淋湿了").group, "G5");
  auto cover = shipped().classify("小区门口人行道井盖歪了一半");
  EXPECT_EQ(cover.level, urgency::urgent);
  EXPECT_EQ(cover.group, "U9");
  EXPECT_EQ(shipped().classify("外墙落水管支架断了，在五楼高度晃").group, "U7");
}

TEST(classifier, what_goes_wrong_after_a_repair_is_present) {
  auto c = shipped().classify("前天修水管，修好了以后反而整栋楼没水了");
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_EQ(c.group, "U2");
  EXPECT_EQ(shipped().classify("上周停水，现在已经来水了，就是水龙头有点滴").level, urgency::general);
}

TEST(classifier, fire_equipment_is_known_by_its_everyday_parts) {
  EXPECT_EQ(shipped().classify("楼道里消防卷盘的软管断了").group, "U10");
  EXPECT_EQ(shipped().classify("车库防火卷帘放不下来").group, "U10");
  EXPECT_EQ(shipped().classify("楼顶避雷带断了一截悬在边上").group, "U7");
  EXPECT_EQ(shipped().classify("楼梯间安全出口指示灯和应急照明都不亮").group, "U10");
}

TEST(classifier, a_part_come_loose_indoors_is_no_structural_danger) {
  auto c = shipped().classify("墙皮鼓起来一块，踢脚线也脱开了，想补补墙");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G4");
  EXPECT_EQ(shipped().classify("散水坡和外墙脱开，地面还在下沉").group, "U8");
}

TEST(classifier, a_ceiling_dripping_in_the_rain_is_the_roof_however_small_the_drip) {
  auto rain = shipped().classify("一落雨卧室天花板就往下滴，一滴一滴的");
  EXPECT_EQ(rain.level, urgency::urgent);
  EXPECT_EQ(rain.group, "U6");
  EXPECT_EQ(shipped().classify("卫生间天花板在滴，一滴一滴的，量不大").level, urgency::general);
}

TEST(classifier, a_context_word_denied_or_negated_does_not_count) {
  // Rain denied: the pipe above decides, not the roof.
  EXPECT_EQ(shipped().classify("水从天花板往下灌，不是下雨漏的，是楼上水管爆了").group, "U1");
  EXPECT_EQ(shipped().classify("这几天没下雨，天花板还在滴，一滴一滴的").level, urgency::general);
}

TEST(classifier, a_mild_word_that_opens_with_a_negation_says_the_state_is_absent) {
  auto c = shipped().classify("楼内电梯停运了，无人被困");
  EXPECT_NE(c.category, "lift_entrapment");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(shipped().classify("电梯停在两层中间，有人被困").category, "lift_entrapment");
}

TEST(classifier, the_thing_said_to_work_anywhere_in_the_message_makes_a_doubtful_fault_mild) {
  EXPECT_EQ(shipped().classify("电梯里的按钮磨掉了，看不清是几楼，电梯运行正常").level, urgency::general);
  EXPECT_EQ(shipped().classify("电梯按钮要用力按才亮 电梯倒是好额").level, urgency::general);
  // Said of something else, it settles nothing; a lift's button is no lift failure anyway (U5 is
  // people trapped, doors open, a fall, a stop with people stuck), but what the lift does still is.
  EXPECT_EQ(shipped().classify("电梯按钮失灵，按了没反应，楼道灯倒是正常").level, urgency::general);
  EXPECT_EQ(shipped().classify("电梯按钮失灵，按了没反应，人困在里面出不来").level, urgency::urgent);
}

TEST(classifier, what_happened_then_is_past) {
  auto c = shipped().classify("上周楼上水管爆了，当时水从吊顶往下流，现在已经不漏了，吊顶扣板要换");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G4");
}

TEST(classifier, posters_and_ageing_name_no_hazard) {
  EXPECT_EQ(shipped().classify("楼道墙上贴满了通下水道的小广告").group, "G4");
  EXPECT_EQ(shipped().classify("屋面防水层老化，目前不下雨不漏，想列入维修计划").group, "G4");
}

TEST(classifier, a_bare_object_right_before_another_only_says_where_it_is) {
  EXPECT_EQ(shipped().classify("楼梯木扶手有一段松了，油漆也剥落").group, "G2");  // the handrail, not the stairs
  EXPECT_EQ(shipped().classify("楼梯灯灯罩掉下来了，灯泡还亮").group, "G3");      // the light's own cover
}

TEST(classifier, a_trace_of_an_old_leak_is_half_a_job_beside_the_job_asked_for) {
  EXPECT_EQ(shipped().classify("厨房顶上一块老水渍，早已不漏，要求刷白").group, "G4");
  EXPECT_EQ(shipped().classify("天花板有水渍，不滴，去年就有").group, "G1");
}

TEST(classifier, glass_cracked_in_its_frame_is_no_falling_danger) {
  auto glass = shipped().classify("楼道窗户玻璃裂了，用胶带贴着，没有掉，六楼");
  EXPECT_EQ(glass.level, urgency::general);
  EXPECT_EQ(glass.group, "G2");
  EXPECT_EQ(shipped().classify("楼道窗玻璃裂了 半块挂在窗框上摇摇晃晃 六楼").group, "U7");
}

TEST(classifier, a_chewed_wire_hanging_loose_indoors_is_an_electrical_danger) {
  EXPECT_EQ(shipped().classify("楼道里的电线被老鼠咬断了，线头吊在半空中").group, "U4");
}

TEST(classifier_confidence, a_clear_hazard_or_a_plain_general_job_is_sure) {
  auto hazard = shipped().classify("水管爆了");
  EXPECT_FALSE(hazard.uncertain);
  EXPECT_GE(hazard.confidence, 0.85);
  auto job = shipped().classify("楼道灯不亮");
  EXPECT_FALSE(job.uncertain);
  EXPECT_GE(job.confidence, 0.85);
}

TEST(classifier_confidence, nothing_recognised_is_uncertain_and_urgent_and_says_so) {
  auto c = shipped().classify("我家那个东西又不行了，能不能来人看看");
  EXPECT_TRUE(c.uncertain);
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_LT(c.confidence, 0.5);
  EXPECT_TRUE(has_reason(c, "uncertain", "待确认"));
}

TEST(classifier_confidence, a_hazard_only_denied_or_past_with_nothing_else_is_uncertain) {
  auto c = shipped().classify("水管没有爆");
  EXPECT_TRUE(c.uncertain);
  EXPECT_EQ(c.level, urgency::urgent);
}

TEST(classifier_confidence, a_general_job_beside_a_discounted_hazard_is_less_sure_but_general) {
  auto plain = shipped().classify("墙皮脱落，要补墙");
  auto beside = shipped().classify("上周爆管已修好，现在补墙");
  EXPECT_EQ(beside.level, urgency::general);
  EXPECT_FALSE(beside.uncertain);
  EXPECT_LT(beside.confidence, plain.confidence);
}

TEST(classifier_confidence, every_decision_names_its_rule_words_and_a_chinese_note) {
  for (const char* text : {"水管爆了", "楼道灯不亮", "上周爆管已修好，现在补墙", "请尽快派人来看一下", "水管漏水"}) {
    auto c = shipped().classify(text);
    ASSERT_FALSE(c.reasons.empty()) << text;
    for (const auto& r : c.reasons) {
      EXPECT_FALSE(r.rule.empty()) << text;
      EXPECT_FALSE(r.note.empty()) << text;
    }
  }
}

// What residents type: slips of the input method, English and pinyin among the Chinese.
TEST(classifier_voices, a_homophone_typed_for_the_word_is_read_as_the_word) {
  auto lift = shipped().classify("电悌门还开着就往上走了，人差点被夹住");
  EXPECT_EQ(lift.level, urgency::urgent);
  EXPECT_EQ(lift.group, "U5");
  auto gas = shipped().classify("不是下水道的臭味，是煤汽味，越来越重");
  EXPECT_EQ(gas.group, "U11");
}

TEST(classifier_voices, english_and_pinyin_words_among_the_chinese_are_understood) {
  EXPECT_EQ(shipped().classify("smell gas in the 楼道, very strong").group, "U11");
  EXPECT_EQ(shipped().classify("pipe burst in kitchen!! water everywhere 关不掉").group, "U1");
  EXPECT_EQ(shipped().classify("chu fang li you mei qi wei, 很重").group, "U11");
  auto drip = shipped().classify("tap dripping 一直滴, no rush");
  EXPECT_EQ(drip.level, urgency::general);
  EXPECT_EQ(drip.group, "G1");
}

// Hazards named by what they do.
TEST(classifier_hazards, soap_bubbling_on_a_gas_joint_is_a_gas_leak) {
  EXPECT_EQ(shipped().classify("燃气管接口处肥皂水一抹就冒泡泡").group, "U11");
}

TEST(classifier_hazards, a_lift_that_stops_off_level_or_moves_with_its_doors_open_is_a_lift_failure) {
  EXPECT_EQ(shipped().classify("电梯平层不准，门开了地面差了半米，刚有个阿姨摔进去").group, "U5");
  EXPECT_EQ(shipped().classify("也还好啦，电梯门开着它就动了一下，没人受伤").group, "U5");
  EXPECT_EQ(shipped().classify("电梯里关了三个人，已经半个钟头了").group, "U5");
  // Moving with its doors open, said every way: 跑, 上行, 运行, 上上下下.
  for (std::string_view moving : {"8号电梯门开着还在上下跑", "电梯门开着也上行，居民在用", "电梯门未关即运行",
                                  "电梯开着门一直上上下下，没人敢进"})
    EXPECT_EQ(shipped().classify(moving).group, "U5") << moving;
  // Shanghainese and a typo of 电梯.
  EXPECT_EQ(shipped().classify("电梯关牢人了 快来").group, "U5");
  EXPECT_EQ(shipped().classify("电题卡住了！！！我妈在里面出不来").group, "U5");
}

TEST(classifier_hazards, a_crack_said_to_grow_and_a_wall_fallen_are_structural) {
  // (A space parts clauses as a comma does: "墙裂 在扩大" is two, and is not read as one.)
  for (std::string_view danger :
       {"墙裂在扩大", "楼顶女儿墙开裂越来越宽", "地上全是裂，现在裂得更大", "东门那边的围墙倒了一段 砖头散了一地"})
    EXPECT_EQ(shipped().classify(danger).group, "U8") << danger;
  EXPECT_EQ(shipped().classify("墙上有条裂缝，好几年了，没有扩大").level, urgency::general);
}

TEST(classifier_hazards, a_roof_tank_overflowing_or_its_pipe_broken_is_a_burst_not_the_roof) {
  for (std::string_view tank : {"楼顶水箱进水管断裂，水从楼顶往下流", "顶楼水箱间溢流管断了 水从顶楼一路往下淌",
                                "天台水箱溢水，水从天台顺楼梯往下淌"})
    EXPECT_EQ(shipped().classify(tank).group, "U1") << tank;
  // A toilet's cistern is no roof tank, and a pipe burst in the stairwell is a burst pipe: two
  // reports of it must read alike to be linked as one incident.
  EXPECT_EQ(shipped().classify("我家厕所的水箱一直在流水 哗哗的 马桶里一直有水往下走").group, "G1");
  EXPECT_EQ(shipped().classify("3号楼楼道水管爆裂，水一直往下流").category, "burst_pipe");
}

TEST(classifier_hazards, a_cable_down_by_the_road_is_a_public_hazard_even_sparking) {
  for (std::string_view cable : {"路边电缆断了垂在地上 还在冒火花", "大风刮断一根电线，垂在人行道上，有火花",
                                 "凌兆路上浦路路口一根电线垂到地上，还在冒火星"})
    EXPECT_EQ(shipped().classify(cable).group, "U9") << cable;
  // Indoors it is the electrics.
  EXPECT_EQ(shipped().classify("楼道里电线掉下来了，在冒火花").group, "U4");
}

TEST(classifier_hazards, a_broken_stair_step_over_a_void_is_structural) {
  auto c = shipped().classify("楼梯踏步断了一截，底下悬空，人踩上去在晃");
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_EQ(c.group, "U8");
}

TEST(classifier_hazards, an_attics_sloping_roof_leaking_in_rain_is_the_roof) {
  EXPECT_EQ(shipped().classify("今朝雨大，阁楼的斜顶漏得像下小雨").group, "U6");
}

TEST(classifier_hazards, an_extinguisher_used_on_a_fire_is_not_failing_fire_equipment) {
  EXPECT_EQ(shipped().classify("电表箱着火了，已经用灭火器喷了，还在冒烟").group, "U4");
}

// What is not happening now.
TEST(classifier_tense, a_hypothetical_or_the_news_is_not_a_hazard_here) {
  auto shed = shipped().classify("假如下大雨车棚会不会漏啊，顶上有点锈，现在还没漏");
  EXPECT_EQ(shed.level, urgency::general);
  EXPECT_EQ(shed.group, "G5");  // the worry is what may happen to the shed; the shed is still the job
  auto news = shipped().classify("看新闻讲有的老房子塌了，阿拉墙上那条缝几十年了没变过，想请人看一眼");
  EXPECT_EQ(news.level, urgency::general);
  EXPECT_EQ(news.group, "G4");
}

TEST(classifier_tense, a_drain_said_cleared_leaves_only_the_damage_it_did) {
  auto c = shipped().classify("前天窨井冒水已经通好了，井边的草坪被冲坏了");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G5");
}

TEST(classifier_tense, a_cut_announced_for_later_is_not_an_outage_now) {
  auto c = shipped().classify("早上群里有人说小区要停水 我也没看到通知 不过现在 楼梯口灯泡坏脱了");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G3");
}

TEST(classifier_general, a_demagnetised_card_or_seepage_from_above_is_a_general_job) {
  auto card = shipped().classify("不是门禁坏了，是我的卡消磁了，想补一张");
  EXPECT_EQ(card.level, urgency::general);
  EXPECT_EQ(card.group, "G2");
  auto seep = shipped().classify("不是屋顶漏雨，这几天没下雨，是楼上卫生间渗下来一点点");
  EXPECT_EQ(seep.level, urgency::general);
  EXPECT_EQ(seep.group, "G1");
}

TEST(classifier_general, a_wall_blackened_by_smoke_is_the_walls_job_not_seepage) {
  auto c = shipped().classify("老早电线着过火，早就修好了，就是墙上熏黑了，想刷刷白");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G4");
}

TEST(classifier_general, a_part_a_facility_has_is_the_facilitys_job) {
  auto c = shipped().classify("健身器材有个扶手松了，麻烦看一下");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G5");
}

TEST(classifier_window, a_crack_stays_the_subject_across_a_clause_that_names_nothing) {
  auto c = shipped().classify("走廊墙上一条细缝，上次做了记号，这礼拜已经超出记号一公分");
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_EQ(c.group, "U8");
}

TEST(classifier_window, a_crack_said_to_grow_is_growing_whatever_week_it_started) {
  EXPECT_EQ(shipped().classify("客厅斜裂缝，从上周的十厘米长到快半米").group, "U8");
  EXPECT_EQ(shipped().classify("厨房墙角一道缝，最近越裂越开").group, "U8");
}

TEST(classifier_rain, rain_now_and_water_into_a_room_is_the_roof_leaking) {
  auto c = shipped().classify("下午雷阵雨，卧室窗台上面的墙在往里渗水");
  EXPECT_EQ(c.level, urgency::urgent);
  EXPECT_EQ(c.group, "U6");
  auto dry = shipped().classify("这几天没下雨，卧室墙角有点渗水");
  EXPECT_EQ(dry.level, urgency::general);
}

TEST(classifier_tense, a_rescue_over_leaves_the_entrapment_in_the_past) {
  auto c = shipped().classify("前天电梯关人，人已救出，现在运行正常，就是按钮有点松");
  EXPECT_EQ(c.level, urgency::general);
}

TEST(classifier_degree, a_clause_that_names_nothing_still_says_how_much) {
  auto c = shipped().classify("厨房顶上往下滴水，估计是楼上的，一晚上接了小半碗");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G1");
}

TEST(classifier_gas, soapy_water_bubbling_on_a_gas_pipe_is_a_leak) {
  auto c = shipped().classify("煤气管道接头那里抹了肥皂水，一直起泡");
  EXPECT_EQ(c.group, "U11");
}

}  // namespace
}  // namespace halfhour::sla

namespace halfhour::sla {
namespace {

TEST(classifier_question, a_question_about_what_works_now_is_no_hazard_to_run_to) {
  auto asked = shipped().classify("来电人询问：如果小区电梯关人，应该先打物业电话还是直接打119？目前电梯运行正常。");
  EXPECT_EQ(asked.level, urgency::general) << asked.reasons.back().note;
  EXPECT_FALSE(asked.uncertain);
  EXPECT_EQ(shipped().classify("要是电梯关人了 是勿是打电梯里那个电话？问问而已 今朝电梯蛮好").level, urgency::general);
  // Working now says nothing against a hazard reported now.
  EXPECT_EQ(shipped().classify("2号电梯关人了，1号电梯运行正常").level, urgency::urgent);
}

TEST(classifier_question, thanks_for_something_fixed_is_no_request_at_all) {
  auto thanks = shipped().classify("有一说一 小区门口那个道闸 今朝终于修好了 谢谢物业👍");
  EXPECT_EQ(thanks.level, urgency::general);
  EXPECT_FALSE(thanks.uncertain);
}

TEST(classifier_question, an_outage_announced_ahead_is_a_notice_and_one_that_came_is_not) {
  for (std::string_view notice : {"【物业通知】因二次供水改造，4月18日（周四）8:30—16:30全小区停水，请各位居民提前储水",
                                  "居委通知：周四9:00-11:00 水箱清洗停水", "贴了通知说下周三停电检修，想问停多久"}) {
    const auto c = shipped().classify(notice);
    EXPECT_EQ(c.level, urgency::general) << notice;
    EXPECT_EQ(c.group, "G5") << notice;
    EXPECT_FALSE(c.uncertain) << notice;
  }
  EXPECT_EQ(shipped().classify("礼拜一贴了张通知讲停两个钟头，修好以后反而整幢楼没水了").level, urgency::urgent);
  EXPECT_EQ(shipped().classify("通知说明天停水，可是现在厨房水管爆了，水哗哗的").level, urgency::urgent);
  EXPECT_EQ(shipped().classify("整栋楼停水三天了，物业也没通知，周四到现在").level, urgency::urgent);
}

TEST(classifier_question, the_news_from_elsewhere_reaches_the_end_of_its_clause) {
  const auto c =
      shipped().classify("新闻里讲闵行有个小区外墙落下来砸到人😱 阿拉小区外墙会不会也有问题？物业好检查检查伐");
  EXPECT_EQ(c.level, urgency::general) << c.reasons.front().note;
  EXPECT_FALSE(c.uncertain);
  // The next clause is here and now.
  EXPECT_EQ(shipped().classify("新闻里讲外地电梯坠落，我们楼电梯刚刚困人了").level, urgency::urgent);
  // "有个小区" is a community here left unnamed, not the news.
  EXPECT_EQ(shipped().classify("尚桂苑居委这边有个小区电梯困人了").level, urgency::urgent);
}

TEST(classifier_question, bollards_benches_and_a_blocked_toilet_are_known_general_jobs) {
  for (std::string_view job : {"门口阻车桩倒了", "门口的石墩子被车撞歪了", "家里厕所堵了，水下不去"}) {
    const auto c = shipped().classify(job);
    EXPECT_EQ(c.level, urgency::general) << job;
    EXPECT_FALSE(c.uncertain) << job;
  }
}

TEST(classifier_question, rain_leaking_into_a_room_and_a_building_gone_dark_are_named) {
  const auto rain = shipped().classify("一落雨就漏，漏到房间里");
  EXPECT_EQ(rain.group, "U6");
  EXPECT_FALSE(rain.uncertain);
  const auto dark = shipped().classify("冰箱不转了，整栋楼黑了");
  EXPECT_EQ(dark.group, "U4");
  EXPECT_FALSE(dark.uncertain);
  // A dark stairwell is its lights.
  EXPECT_EQ(shipped().classify("楼道黑了，灯不亮").level, urgency::general);
}

TEST(classifier_question, hazards_described_without_their_usual_words_are_named) {
  const std::pair<std::string_view, std::string_view> described[] = {
      {"电梯卡在五楼和六楼中间，我爸在里面，他手机快没电了", "U5"},  // a phone's battery is no power cut
      {"雨下得那么大，顶层房间的天花板往下滴，地上一摊水", "U6"},
      {"楼梯间一股怪味，像臭掉的鸡蛋的味道", "U11"},
      {"门口那只下水井的铁盖子翘起来了，有人绊了一跤", "U9"},
  };
  for (const auto& [text, group] : described) {
    const auto c = shipped().classify(text);
    EXPECT_EQ(c.group, group) << text;
    EXPECT_EQ(c.level, urgency::urgent) << text;
  }
}

TEST(classifier_question, paint_flaking_off_a_stairwell_wall_is_a_general_job) {
  const auto c = shipped().classify("楼道墙皮起壳，一块块往下掉，好几年没粉刷了");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G4");
  // Tiles off an outside wall may fall on someone.
  EXPECT_EQ(shipped().classify("外墙瓷砖松了，一块块往下掉，下面是人行道").level, urgency::urgent);
}

TEST(classifier_question, an_outage_said_to_be_over_is_not_the_request) {
  const auto c = shipped().classify("昨天整栋楼停水，晚上已经恢复；今天卫生间水龙头有点滴");
  EXPECT_EQ(c.level, urgency::general);
  EXPECT_EQ(c.group, "G1");
  EXPECT_EQ(shipped().classify("昨天整栋楼停水，到现在还没恢复").level, urgency::urgent);
}

}  // namespace
}  // namespace halfhour::sla
