// The resolver over the shipped Dongming directory.
#include "sla/resolver.hpp"

#include <gtest/gtest.h>

#include "adapters/config.hpp"

namespace halfhour::sla {
namespace {

const resolver& shipped() {
  static const resolver r(config::default_directory());
  return r;
}

struct row {
  const char* address;
  const char* community;  // "" = the station
  const char* firm;
};

void PrintTo(const row& r, std::ostream* os) { *os << r.address; }

class shipped_directory : public ::testing::TestWithParam<row> {};

TEST_P(shipped_directory, resolves_or_sends_to_the_station) {
  const auto& r = GetParam();
  auto res = shipped().resolve(r.address);
  EXPECT_EQ(res.community_name, r.community) << r.address << " → " << res.reason;
  if (*r.community) {
    EXPECT_EQ(res.to, route::firm);
    EXPECT_EQ(res.firm, r.firm);
  } else {
    EXPECT_EQ(res.to, route::station);
    EXPECT_FALSE(res.reason.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    table, shipped_directory,
    ::testing::Values(
        row{"丹桂苑", "丹桂苑", "临客嘉物业"}, row{"凌兆路521弄3号502室", "凌兆路521弄", "隆江物业"},
        row{"上浦路565弄12号", "上浦路505、565弄", "三杨物业"}, row{"上浦路５０５弄", "上浦路505、565弄", "三杨物业"},
        row{"凌兆路 586 弄 B 区 5号", "凌兆路586弄B", "临客嘉物业"},
        row{"凌兆路586弄A5号101", "凌兆路586弄A", "三杨物业"}, row{"凌兆路586弄7号", "", ""},
        row{"上浦路201弄B", "上浦路201弄B", "汇人物业"}, row{"三林路359号", "三林路359号", "三杨物业"},
        row{"凌召路521弄", "凌兆路521弄", "隆江物业"}, row{"丹桂园8号楼", "丹桂苑", "临客嘉物业"},
        row{"古银杏苑12号", "古银杏苑", "安居物业"}, row{"衡辰三林苑(东)3号", "衡辰三林苑(东)", "安居物业"},
        row{"衡辰三林苑", "", ""}, row{"湾流域2期", "湾流域二期", "金地物业"}, row{"湾流域", "", ""},
        row{"凌兆路999弄", "", ""}, row{"浦东南路1000号", "", ""}, row{"", "", ""},
        row{"凌兆路五百二十一弄8号301室", "凌兆路521弄", "隆江物业"},
        row{"上浦路五〇五弄3号", "上浦路505、565弄", "三杨物业"},
        row{"５５５弄１２号１０１", "凌兆路555弄", "隆江物业"}, row{"凌十二居委", "上浦路36弄", "仁信物业"},
        row{"凌七居委", "", ""}, row{"意凯3号楼", "意凯家园", "恩号物业"},
        row{"衡辰西区12号", "衡辰三林苑(西)", "安居物业"}, row{"湾二7栋", "湾流域二期", "金地物业"},
        row{"樱桃园3号", "樱桃苑", "申能物业"}, row{"金桔新苑8号", "金橘新苑", "北京和鸿"},
        row{"浦东新区三林镇杨思路", "", ""}, row{"三林世博家园", "", ""}));

TEST(resolver, split_lane_without_a_part_says_why) {
  auto r = shipped().resolve("凌兆路530弄12号");
  EXPECT_EQ(r.to, route::station);
  EXPECT_NE(r.reason.find("A、B"), std::string::npos) << r.reason;
  EXPECT_EQ(r.candidates.size(), 2u);
  EXPECT_EQ(r.committee, "凌六");  // both parts belong to one committee
}

TEST(resolver, two_bare_lanes_offered_as_alternatives_stay_with_the_station) {
  for (const char* text : {"709还是711弄，三林路那边", "521/555弄", "凌兆路521或555弄"}) {
    auto r = shipped().resolve("", text);
    EXPECT_EQ(r.to, route::station) << text << ": " << r.reason;
    EXPECT_EQ(r.candidates.size(), 2u) << text;
  }
  EXPECT_EQ(shipped().resolve("", "上浦路505、565弄").community_name, "上浦路505、565弄");
}

TEST(resolver, a_split_lanes_part_written_straight_after_its_number_is_read) {
  auto r = shipped().resolve("", "586A 电梯关人");
  EXPECT_EQ(r.to, route::firm) << r.reason;
  EXPECT_EQ(r.community_name, "凌兆路586弄A");
  EXPECT_EQ(shipped().resolve("", "530B 7号").community_name, "凌兆路530弄B");
  EXPECT_EQ(shipped().resolve("", "586AB区都有").to, route::station);
}

TEST(resolver, unknown_lane_names_itself) {
  auto r = shipped().resolve("凌兆路999弄");
  EXPECT_NE(r.reason.find("凌兆路999弄"), std::string::npos) << r.reason;
}

TEST(resolver, reads_building_and_room) {
  auto r = shipped().resolve("凌兆路521弄3号502室");
  EXPECT_EQ(r.building, "3");
  EXPECT_EQ(r.room, "502");
  auto e = shipped().resolve("丹桂苑12号楼301");
  EXPECT_EQ(e.building, "12");
  EXPECT_EQ(e.room, "301");
}

TEST(resolver, falls_back_to_the_request_text) {
  auto r = shipped().resolve("", "金桂苑5号楼电梯困人");
  EXPECT_EQ(r.community_name, "金桂苑");
  EXPECT_EQ(r.firm, "民盈城投物业");
}

TEST(resolver, ambiguous_typo_goes_to_the_station) {
  // "品真苑" is one character from 品珍苑, 品华苑, 品新苑 and 品诚苑 alike.
  auto r = shipped().resolve("品真苑3号");
  EXPECT_EQ(r.to, route::station);
  EXPECT_GE(r.candidates.size(), 2u);
}

TEST(resolver, reads_chinese_numerals_only_where_they_number_a_place) {
  EXPECT_EQ(read_chinese_numerals(U"凌兆路五百二十一弄"), U"凌兆路521弄");
  EXPECT_EQ(read_chinese_numerals(U"五二一弄十二号楼"), U"521弄12号楼");
  EXPECT_EQ(read_chinese_numerals(U"凌兆路六百零八弄"), U"凌兆路608弄");
  EXPECT_EQ(read_chinese_numerals(U"上浦路三十六弄"), U"上浦路36弄");
  EXPECT_EQ(read_chinese_numerals(U"凌十四居委湾流域二期三林路"), U"凌十四居委湾流域二期三林路");
  EXPECT_EQ(read_chinese_numerals(U"环林东路八百多弄"), U"环林东路八百多弄");
  EXPECT_EQ(read_chinese_numerals(U"凌兆路伍佰贰拾壹弄"), U"凌兆路521弄");
  auto r = shipped().resolve("", "我是凌兆路六〇八弄的 卫生间地砖裂了");
  EXPECT_EQ(r.community_name, "凌兆路608弄");
  EXPECT_NE(r.reason.find("中文数字"), std::string::npos) << r.reason;
}

TEST(resolver, a_lane_alone_resolves_when_it_is_on_one_road_only) {
  auto r = shipped().resolve("", "555弄12号楼道里水管爆脱了");
  EXPECT_EQ(r.community_name, "凌兆路555弄");
  EXPECT_EQ(r.building, "12");
  auto two = shipped().resolve("711弄");
  EXPECT_EQ(two.to, route::station);
  EXPECT_EQ(two.candidates, (std::vector<std::string>{"三林路711弄", "凌兆路711弄"}));
  EXPECT_NE(two.reason.find("地址未写路名"), std::string::npos) << two.reason;
}

TEST(resolver, a_road_written_elsewhere_picks_the_lane_on_that_road) {
  EXPECT_EQ(shipped().resolve("", "凌兆路那边的711弄楼道灯坏了").community_name, "凌兆路711弄");
}

TEST(resolver, a_lane_on_a_road_outside_the_directory_is_not_read_alone) {
  auto r = shipped().resolve("杨思路555弄12号");
  EXPECT_EQ(r.to, route::station);
  EXPECT_NE(r.reason.find("杨思路555弄"), std::string::npos) << r.reason;
}

TEST(resolver, a_committee_covering_one_community_resolves) {
  EXPECT_EQ(shipped().resolve("品华居委").community_name, "品华苑");
  EXPECT_EQ(shipped().resolve("金禾", "意见箱：楼道窗户关不上").community_name, "金禾新苑");
  EXPECT_EQ(shipped().resolve("", "新一那边 单元门电子锁坏脱了").community_name, "环林东路879弄");
}

TEST(resolver, a_committee_numbered_in_digits_is_the_same_committee) {
  EXPECT_EQ(shipped().resolve("凌12居委").community_name, "上浦路36弄");
}

TEST(resolver, a_name_without_its_ending_resolves_before_a_building_or_xiaoqu) {
  auto r = shipped().resolve("丹桂5号楼");
  EXPECT_EQ(r.community_name, "丹桂苑");
  EXPECT_EQ(r.building, "5");
  EXPECT_EQ(shipped().resolve("锦丽小区").community_name, "锦丽新苑");
  EXPECT_EQ(shipped().resolve("", "楼下樱桃树倒了").to, route::station);  // a tree, not 樱桃苑
  // A stem another name or road shares is no stem: 银杏 is in 古银杏苑, 三林 is a road and a town.
  EXPECT_EQ(shipped().resolve("银杏5号楼").to, route::station);
  EXPECT_EQ(shipped().resolve("三林5号楼").to, route::station);
}

TEST(resolver, a_name_without_its_ending_alone_at_an_end_of_the_text_is_the_community) {
  EXPECT_EQ(shipped().resolve("", "楼道灯坏了好几天了 锦丽").community_name, "锦丽新苑");
  EXPECT_EQ(shipped().resolve("锦丽：单元门关不上").community_name, "锦丽新苑");
  // An everyday word is read alone only where the address is all that was written.
  EXPECT_EQ(shipped().resolve("", "楼道灯坏了 丹桂").to, route::station);
  EXPECT_EQ(shipped().resolve("丹桂").community_name, "丹桂苑");
  EXPECT_EQ(shipped().resolve("锦丽公司").to, route::station);  // joined to another word: not alone
}

TEST(resolver, a_place_right_after_a_denial_is_set_aside) {
  EXPECT_EQ(shipped().resolve("", "不是丹桂苑，是金桂苑7号楼 楼道灯不亮").community_name, "金桂苑");
  EXPECT_EQ(shipped().resolve("品华苑3号", "勿是品珍苑格").community_name, "品华苑");
  // A denial followed by its alternative leaves both places open.
  EXPECT_EQ(shipped().resolve("", "不是品华苑就是品珍苑 我记勿清").to, route::station);
}

TEST(resolver, a_place_named_only_as_a_landmark_is_not_where_the_caller_is) {
  for (const char* text :
       {"品华苑对面那个小区 水管爆了", "住在丹桂苑隔壁 楼道里燃气味道很重", "金桂苑小区斜对面 停电了"}) {
    const auto r = shipped().resolve("", text);
    EXPECT_EQ(r.to, route::station) << text << " → " << r.community_name;
    EXPECT_NE(r.reason.find("附近"), std::string::npos) << r.reason;
  }
  // The landmark beside a place that is written: the place decides.
  EXPECT_EQ(shipped().resolve("凌兆路521弄5号", "就在品华苑对面").community_name, "凌兆路521弄");
  // A building in between: the neighbour's flat, in the same community.
  EXPECT_EQ(shipped().resolve("丹桂苑12号楼302隔壁", "楼上漏水").community_name, "丹桂苑");
}

TEST(resolver, the_part_a_name_leaves_open_may_be_written_elsewhere) {
  EXPECT_EQ(shipped().resolve("湾流域", "三期8号楼楼道灯坏了").community_name, "湾流域三期");
  EXPECT_EQ(shipped().resolve("", "一期5号楼门口井盖松了 湾流域").community_name, "湾流域一期");
  EXPECT_EQ(shipped().resolve("衡辰三林苑", "东区2号楼电梯停了").community_name, "衡辰三林苑(东)");
  EXPECT_EQ(shipped().resolve("凌兆路530弄", "B区这几天晚上没水").community_name, "凌兆路530弄B");
  EXPECT_EQ(shipped().resolve("湾流域", "车库顶板在滴水").to, route::station);  // no part anywhere
}

TEST(resolver, a_road_one_character_off_two_roads_is_the_one_with_the_lane) {
  auto r = shipped().resolve("上蒲路355弄");  // 上浦路 and 上南路 alike; only 上浦路 has 355弄
  EXPECT_EQ(r.community_name, "上浦路355弄");
  EXPECT_NE(r.reason.find("路名疑似笔误"), std::string::npos) << r.reason;
}

TEST(resolver, a_long_name_typed_by_its_sound_is_a_near_miss) {
  EXPECT_EQ(shipped().resolve("", "天花板有块水印 金河新苑").community_name, "金禾新苑");
}

TEST(resolver, a_half_remembered_name_goes_to_the_station_with_every_name_that_fits) {
  auto r = shipped().resolve("", "我住金什么新苑 名字记不全了 家里墙上的裂缝在变大");
  EXPECT_EQ(r.to, route::station);  // not 品新苑, one character from "么新苑"
  EXPECT_EQ(r.candidates, (std::vector<std::string>{"金禾新苑", "金橘新苑"})) << r.reason;
  EXPECT_NE(r.reason.find("名字不全"), std::string::npos) << r.reason;
  // One name that fits is the place, as a nickname is.
  auto one = shipped().resolve("", "金啥雅筑3号楼 楼道灯不亮");
  EXPECT_EQ(one.community_name, "金色雅筑") << one.reason;
  EXPECT_EQ(shipped().resolve("", "不知道什么原因 楼道灯不亮").to, route::station);
}

TEST(resolver, a_name_going_on_with_a_direction_another_name_has_is_either) {
  // 三林苑 and 衡辰三林苑(西) both answer to "三林苑西".
  auto r = shipped().resolve("", "有谁知道 三林苑 和 三林苑西 是一个物业吗 我是西边的 楼道窗关不上");
  EXPECT_EQ(r.to, route::station);
  EXPECT_EQ(r.candidates, (std::vector<std::string>{"三林苑", "衡辰三林苑(西)"})) << r.reason;
  EXPECT_EQ(shipped().resolve("三林苑西5号").to, route::station);
  EXPECT_EQ(shipped().resolve("三林苑东门旁边5号楼").community_name, "三林苑");  // its own gate
  EXPECT_EQ(shipped().resolve("衡辰三林苑西区5号").community_name, "衡辰三林苑(西)");
  EXPECT_EQ(shipped().resolve("丹桂苑东侧3号楼").community_name, "丹桂苑");  // no 丹桂苑东 elsewhere
}

TEST(resolver, a_property_firm_narrows_the_place_like_a_committee) {
  auto one = shipped().resolve("上钢物业");  // the firm of one community
  EXPECT_EQ(one.community_name, "上南路4265弄") << one.reason;
  EXPECT_NE(one.reason.find("上钢物业只管这一个小区"), std::string::npos) << one.reason;
  EXPECT_EQ(shipped().resolve("", "红枫居委：民盈城投物业管的小区，非机动车棚地面积水").community_name, "红柿苑");
  EXPECT_EQ(shipped().resolve("", "530弄 临客嘉管的那半边 厨房水管接头滴水").community_name, "凌兆路530弄A");
  EXPECT_EQ(shipped().resolve("湾流域（新希望物业）").community_name, "湾流域三期");
  auto several = shipped().resolve("", "三杨物业管的小区 楼道灯坏了");
  EXPECT_EQ(several.to, route::station);
  EXPECT_NE(several.reason.find("三杨物业管理"), std::string::npos) << several.reason;
  EXPECT_EQ(shipped().resolve("安居苑").community_name, "安居苑");  // a community, not the firm 安居物业
}

TEST(resolver, a_long_firm_name_is_shortened_as_people_shorten_it) {
  EXPECT_EQ(shipped().resolve("", "红枫居委 民盈物业那个小区 门口大树倒了").community_name, "红柿苑");
  EXPECT_EQ(shipped().resolve("", "市民称小区是和鸿物业在管，水龙头关不紧").community_name, "金橘新苑");
}

TEST(resolver, phases_written_together_are_each_of_them) {
  auto r = shipped().resolve("", "市民反映湾流域一二期交界处的人行门禁刷卡失灵");
  EXPECT_EQ(r.to, route::station);
  EXPECT_EQ(r.candidates, (std::vector<std::string>{"湾流域一期", "湾流域二期"})) << r.reason;
  EXPECT_EQ(shipped().resolve("湾流域", "二期6号楼楼道灯坏").community_name, "湾流域二期");
}

TEST(resolver, a_name_spelt_in_pinyin_is_the_name) {
  EXPECT_EQ(shipped().resolve("", "zonglv yuan 单元门关不牢").community_name, "棕榈苑");
  auto r = shipped().resolve("Jinse Yazhu 21号楼");
  EXPECT_EQ(r.community_name, "金色雅筑");
  EXPECT_EQ(r.building, "21");
  EXPECT_EQ(shipped().resolve("Heng Chen San Lin Yuan 3号").to, route::station);  // both halves, not 三林苑
  EXPECT_EQ(shipped().resolve("Yin Xing Yuan").community_name, "银杏苑");
  EXPECT_EQ(shipped().resolve("Gu Yin Xing Yuan").community_name, "古银杏苑");
}

TEST(resolver, a_name_of_ours_written_after_another_district_is_that_districts_place) {
  auto r = shipped().resolve("徐汇区丹桂苑", "不是浦东那个丹桂苑，是徐汇的，楼道门禁失灵。");
  EXPECT_EQ(r.to, route::station);
  EXPECT_NE(r.reason.find("徐汇"), std::string::npos) << r.reason;
  EXPECT_EQ(shipped().resolve("", "12345转：嘉定区“樱桃苑”住户，外墙空调外机支架松动").to, route::station);
  EXPECT_EQ(shipped().resolve("", "我在徐汇上班，家住丹桂苑3号楼，水管爆了").community_name, "丹桂苑");
}

TEST(resolver, a_name_of_ours_after_another_town_is_that_towns_and_so_wherever_else_it_is_written) {
  EXPECT_EQ(shipped().resolve("", "亲戚家在金桥的金色雅筑，客厅墙上裂缝越来越大").to, route::station);
  EXPECT_EQ(shipped().resolve("", "阿姨女儿家在奉贤南桥丹桂苑，外墙空调架子松了").to, route::station);
  EXPECT_EQ(shipped().resolve("", "闵行浦江的安居苑，厨房水龙头滴水").to, route::station);
  EXPECT_EQ(shipped().resolve("", "他父母住川沙棕榈苑，小区健身器材坏了").to, route::station);
  // A near miss is a guess, not made beside another town.
  EXPECT_EQ(shipped().resolve("", "婆婆住康桥那边的永泰花园，整栋楼停水").to, route::station);
  // Said plainly first, then said to be another district's: another district's.
  auto r = shipped().resolve("嘉定", "有个老人说住丁香苑，再一问是嘉定的丁香苑，单元门锁坏了");
  EXPECT_EQ(r.to, route::station);
  EXPECT_NE(r.reason.find("嘉定"), std::string::npos) << r.reason;
  // A town named for another reason leaves the caller's home where it is.
  EXPECT_EQ(shipped().resolve("", "我在张江上班，家住金色雅筑5号楼，水管爆了").community_name, "金色雅筑");
  EXPECT_EQ(shipped().resolve("", "黄浦江边散步回来，丹桂苑3号楼停电了").community_name, "丹桂苑");
}

TEST(resolver, two_homes_with_the_caller_unsure_which_stay_both_candidates) {
  auto r = shipped().resolve("", "王伯伯住兰庭苑，女儿住尚桂苑，他说6楼阳台栏杆晃得厉害，是哪家的没讲清");
  EXPECT_EQ(r.to, route::station);
  EXPECT_EQ(r.candidates.size(), 2u) << r.reason;
  EXPECT_EQ(shipped().resolve("", "王伯伯住兰庭苑，女儿住尚桂苑，他说自家阳台栏杆晃得厉害").community_name, "兰庭苑");
}

TEST(resolver, a_clerk_s_short_forms_committee_in_digits_road_without_lu_and_numbers_parted_by_spaces) {
  EXPECT_EQ(shipped().resolve("", "凌14 刘阿姨 3号楼道灯一直不亮").community_name, "上浦路165弄");
  EXPECT_EQ(shipped().resolve("", "新3：地下室管子爆了").community_name, "环林东路875弄");
  // Not a committee where the number goes on to a building.
  EXPECT_EQ(shipped().resolve("", "凌1号楼道灯坏了").to, route::station);
  // "凌16 355弄" is not 16355弄; "5 0 5 弄" spelt out is 505弄.
  EXPECT_EQ(shipped().resolve("", "凌16 355弄4号楼 电梯门开着往下掉了一截").community_name, "上浦路355弄");
  EXPECT_EQ(shipped().resolve("", "化粪池满出来了 上浦路 5 0 5 弄").community_name, "上浦路505、565弄");
  EXPECT_EQ(shipped().resolve("", "凌兆 428 7号302 门锁坏").community_name, "凌兆路428弄");
  EXPECT_EQ(shipped().resolve("", "金光：上南4265 7号 垃圾房顶棚漏").community_name, "上南路4265弄");
  EXPECT_EQ(shipped().resolve("凌兆佳苑5号").community_name, "凌兆佳苑");
}

TEST(resolver, a_committee_s_clerk_writing_a_bare_number_after_it_names_that_lane_of_its_communities) {
  auto r = shipped().resolve("", "凌八 405 12号302 电表箱有烧焦味");
  EXPECT_EQ(r.community_name, "凌兆路405弄");
  EXPECT_EQ(r.building, "12");
  // No building is numbered 359: it is the roof of 三林路359号, a community of 凌七.
  EXPECT_EQ(shipped().resolve("", "凌七：359号楼顶漏雨").community_name, "三林路359号");
  EXPECT_EQ(shipped().resolve("", "凌八 999 门坏了").to, route::station);
}

TEST(resolver, a_street_number_with_a_building_after_it_is_the_lane_when_only_the_lane_exists) {
  auto r = shipped().resolve("凌兆路608号12号楼");
  EXPECT_EQ(r.community_name, "凌兆路608弄");
  EXPECT_NE(r.reason.find("按弄号匹配"), std::string::npos) << r.reason;
  EXPECT_EQ(shipped().resolve("凌兆路608号").to, route::station);
  EXPECT_EQ(shipped().resolve("三林路359号5号楼").community_name, "三林路359号");
}

TEST(resolver, a_name_denied_is_no_near_miss_and_none_of_a_committee_s_candidates) {
  EXPECT_EQ(shipped().resolve("", "不是凌兆佳苑，客厅地板翘起来了").to, route::station);
  auto r = shipped().resolve("", "凌十六 不是凌兆佳苑，客厅地板翘起来了");
  EXPECT_EQ(r.to, route::station);
  EXPECT_EQ(r.candidates, (std::vector<std::string>{"锦翠苑", "上浦路355弄"}));
  EXPECT_EQ(shipped().resolve("", "凌十六 阿姨说住锦翠，不是凌兆佳苑，地板翘起来了").community_name, "锦翠苑");
}

TEST(resolver, a_place_the_text_denies_is_set_aside_in_the_address_too) {
  EXPECT_EQ(shipped().resolve("丹桂苑5号", "不是丹桂苑，是金桂苑，楼道灯坏了").community_name, "金桂苑");
  EXPECT_EQ(shipped().resolve("丹桂苑5号", "不是丹桂苑，地址写错了").to, route::station);
  // Named plainly in the text as well: the denial was of something else.
  EXPECT_EQ(shipped().resolve("丹桂苑5号", "不是丹桂苑3号，是丹桂苑5号").community_name, "丹桂苑");
  EXPECT_EQ(shipped().resolve("兰庭苑", "兰庭苑居民（非尚桂苑）报：楼前大树折断").community_name, "兰庭苑");
}

TEST(resolver, where_the_caller_lived_or_someone_else_lives_yields_to_the_callers_home) {
  EXPECT_EQ(shipped().resolve("", "我以前住丁香苑，去年搬到锦丽新苑，厨房水管爆了").community_name, "锦丽新苑");
  EXPECT_EQ(shipped().resolve("", "原先住锦翠苑，已搬走两年，现住处天花板滴水").to, route::station);
  EXPECT_EQ(shipped().resolve("", "我在樱桃苑朋友家打麻将 我家金禾新苑 门口一股煤气味").community_name, "金禾新苑");
  EXPECT_EQ(shipped().resolve("", "我女儿住兰庭苑 我自己住上浦路276弄 我们楼道灯坏了").community_name, "上浦路276弄");
  EXPECT_EQ(shipped().resolve("", "本人在棕榈苑上班，家住古银杏苑，窗户合页断了").community_name, "古银杏苑");
  // Alone, someone else's home is where the request is; unless the trouble is the caller's own.
  EXPECT_EQ(shipped().resolve("", "我女儿住兰庭苑 她家里卫生间漏水").community_name, "兰庭苑");
  EXPECT_EQ(shipped().resolve("", "其在棕榈苑朋友家做客，回家后发现自家厨房水管爆了").to, route::station);
}

TEST(resolver, a_place_named_as_nearby_or_as_where_one_comes_from_is_a_landmark) {
  EXPECT_EQ(shipped().resolve("", "其在凌兆佳苑附近经营的商铺卫生间水管滴水").to, route::station);
  EXPECT_EQ(shipped().resolve("金色雅筑6号", "从金谊河畔那边过来第一栋 地下室污水冒出来了").community_name, "金色雅筑");
  EXPECT_EQ(shipped().resolve("丹桂苑18号边上").community_name, "丹桂苑");  // a building between: inside
}

TEST(resolver, a_nickname_going_on_as_another_name_is_not_that_nickname) {
  EXPECT_NE(shipped().resolve("", "我住的是金谊新苑 不是河畔那个哦 楼道灯坏了").community_name, "金谊河畔");
  EXPECT_EQ(shipped().resolve("", "金谊 12号楼 电梯困人").community_name, "金谊河畔");
}

TEST(resolver, every_half_remembered_fragment_counts) {
  auto r = shipped().resolve("", "我阿姨住的小区 叫尚什么苑还是什么桂苑 她屋里插座冒火星");
  EXPECT_EQ(r.to, route::station);
  EXPECT_GE(r.candidates.size(), 3u) << r.reason;  // 尚桂苑, and every name ending in 桂苑
  EXPECT_EQ(shipped().resolve("", "什么新苑来着 楼道灯坏了").to, route::station);  // no telling end
}

TEST(resolver, a_near_miss_reads_every_character_written) {
  auto r = shipped().resolve("凌源公寓", "地下室有明显煤气味");
  EXPECT_EQ(r.to, route::station);  // one character from 凌云公寓 and from 盛源公寓
  EXPECT_EQ(r.candidates, (std::vector<std::string>{"凌云公寓", "盛源公寓"})) << r.reason;
  EXPECT_EQ(shipped().resolve("锦翠花苑8号").community_name, "锦翠苑");                 // 花 put in, not 翠竹苑
  EXPECT_EQ(shipped().resolve("", "住锦丽苑5号 楼道灯坏").community_name, "锦丽新苑");  // 新 dropped
}

TEST(resolver, another_part_offered_after_a_name_leaves_the_part_open) {
  auto r = shipped().resolve("湾流域", "湾流域一期还是二期我也搞不清，楼下消火栓被车撞歪了");
  EXPECT_EQ(r.to, route::station);
  EXPECT_EQ(r.candidates, (std::vector<std::string>{"湾流域一期", "湾流域二期"})) << r.reason;
}

TEST(resolver, areas_of_different_kinds_narrow_each_other) {
  EXPECT_EQ(shipped().resolve("衡辰三林苑 三林苑居委").community_name, "衡辰三林苑(西)");
  EXPECT_EQ(shipped().resolve("", "安居苑居委：衡辰三林苑居民报楼道感应灯坏").community_name, "衡辰三林苑(东)");
  EXPECT_EQ(shipped().resolve("凌四或凌六").to, route::station);  // two of one kind: alternatives
}

TEST(resolver, a_street_number_alone_names_the_community_that_has_it) {
  EXPECT_EQ(shipped().resolve("", "小区后门 359号 有根电线掉在地上").community_name, "三林路359号");
  EXPECT_EQ(shipped().resolve("", "5号楼302室").to, route::station);  // a building, not a street number
}

TEST(resolver, a_committee_covering_several_goes_to_the_station_saying_so) {
  auto r = shipped().resolve("凌七居委", "接待：4楼独居老人家门口有煤气味");
  EXPECT_EQ(r.to, route::station);
  EXPECT_EQ(r.committee, "凌七");
  EXPECT_NE(r.reason.find("凌七居委管辖"), std::string::npos) << r.reason;
  EXPECT_EQ(shipped().resolve("尚桂苑居委").to, route::station);  // the committee, not the community
}

TEST(resolver, a_committee_and_a_place_narrow_each_other) {
  EXPECT_EQ(shipped().resolve("凌三居委", "来访：521弄7号602阿姨").community_name, "凌兆路521弄");
  EXPECT_EQ(shipped().resolve("金一居委", "居民称其住的711弄小区").community_name, "凌兆路711弄");
  EXPECT_EQ(shipped().resolve("尚桂苑居委", "兰庭苑9号楼化粪池满出来").community_name, "兰庭苑");
  EXPECT_EQ(shipped().resolve("三林苑居委", "衡辰西区3号楼").community_name, "衡辰三林苑(西)");
  EXPECT_EQ(shipped().resolve("凌十六居委", "丹桂苑3号").to, route::station);  // they disagree
}

TEST(resolver, two_places_offered_as_alternatives_go_to_the_station) {
  for (const char* text : {"伊住三林路709弄或者711弄 我记勿清", "不是凌兆路521弄就是555弄", "凌兆路334弄或396弄",
                           "金禾新苑还是金橘新苑 我问一问再讲", "凌四或凌六"}) {
    auto r = shipped().resolve("", text);
    EXPECT_EQ(r.to, route::station) << text << " → " << r.community_name;
    EXPECT_GE(r.candidates.size(), 2u) << text;
  }
  // Two lanes of one community are one place.
  EXPECT_EQ(shipped().resolve("510弄还是606弄都行").community_name, "上浦路510、606弄");
}

TEST(resolver, a_place_outside_the_sub_district_goes_to_the_station) {
  for (const char* address : {"徐汇区田林街道", "闵行区莘松路958弄", "浦东新区北蔡镇莲溪路", "塘桥街道"}) {
    auto r = shipped().resolve(address);
    EXPECT_EQ(r.to, route::station) << address;
    EXPECT_NE(r.reason.find("辖区"), std::string::npos) << address << " → " << r.reason;
  }
  // "三林" near a name is no near miss of 三林苑 when it is a town or a vague place.
  EXPECT_EQ(shipped().resolve("", "我是三林镇世博家园的").to, route::station);
  EXPECT_EQ(shipped().resolve("", "来电人仅称在三林那边").to, route::station);
  EXPECT_EQ(shipped().resolve("东明路街道").to, route::station);  // the sub-district alone names no community
}

TEST(resolver, a_place_written_in_full_outweighs_a_passing_mention_of_elsewhere) {
  EXPECT_EQ(shipped().resolve("", "我在徐汇上班 家里丹桂苑5号楼停水了").community_name, "丹桂苑");
  EXPECT_EQ(shipped().resolve("丹桂苑5号", "重新一轮维修后又漏了").community_name, "丹桂苑");
}

TEST(resolver, nicknames_resolve_and_say_what_they_stand_for) {
  auto r = shipped().resolve("", "我家阳台推拉窗滑轮掉了 金谊 8-1102");
  EXPECT_EQ(r.community_name, "金谊河畔");
  EXPECT_EQ(r.building, "8");
  EXPECT_EQ(r.room, "1102");
  EXPECT_NE(r.reason.find("即金谊河畔"), std::string::npos) << r.reason;
  EXPECT_EQ(shipped().resolve("", "雅筑5栋电梯门开着就往上走").community_name, "金色雅筑");
  EXPECT_EQ(shipped().resolve("", "衡辰 卫生间墙砖空鼓").to, route::station);  // both halves of 衡辰
}

TEST(resolver, near_misses_keep_the_name_ending_and_prefer_a_dropped_character) {
  EXPECT_EQ(shipped().resolve("凌云公司").to, route::station);
  EXPECT_EQ(shipped().resolve("锦丽苑8号楼").community_name, "锦丽新苑");
  EXPECT_EQ(shipped().resolve("永泰花园").community_name, "永泰花苑");  // not the committee 永泰
  EXPECT_EQ(shipped().resolve("品X苑").to, route::station);
}

TEST(resolver, a_split_lane_with_both_parts_named_is_no_part) {
  auto r = shipped().resolve("凌五居委", "586弄停水，楼组长来报整栋无水，未说A/B区。");
  EXPECT_EQ(r.to, route::station);
  EXPECT_NE(r.reason.find("A、B"), std::string::npos) << r.reason;
}

TEST(resolver, the_word_index_finds_every_word_in_one_pass_overlapping_ones_included) {
  word_index words;
  words.add(U"银杏苑", 1);
  words.add(U"古银杏苑", 2);
  words.add(U"银杏", 3);
  std::vector<word_index::hit> hits;
  words.scan(U"住古银杏苑5号", hits);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].id, 2u);  // 古银杏苑 begins first
  EXPECT_EQ(hits[1].id, 3u);  // then 银杏, shortest first
  EXPECT_EQ(hits[2].id, 1u);
  EXPECT_EQ(hits[2].begin, 2u);
  EXPECT_EQ(hits[2].end, 5u);
}

TEST(resolver, edits_are_counted_up_to_one_and_no_further) {
  EXPECT_EQ(edits_up_to_one(U"丹桂苑", U"丹桂苑"), 0);
  EXPECT_EQ(edits_up_to_one(U"丹贵苑", U"丹桂苑"), 1);
  EXPECT_EQ(edits_up_to_one(U"锦丽苑", U"锦丽新苑"), 1);
  EXPECT_EQ(edits_up_to_one(U"锦丽新苑", U"锦丽苑"), 1);
  EXPECT_EQ(edits_up_to_one(U"丹贵园", U"丹桂苑"), 2);
  EXPECT_EQ(edits_up_to_one(U"丹", U"丹桂苑"), 2);
}

TEST(resolver, rejects_a_directory_that_cannot_work) {
  directory d;
  d.communities.push_back({1, "丹桂苑", "凌四", "临客嘉物业", {}, "", {}, "", ""});
  d.communities.push_back({2, "丹桂苑", "凌四", "临客嘉物业", {}, "", {}, "", ""});
  EXPECT_THROW(resolver{d}, std::invalid_argument);
}

TEST(resolver, a_road_and_lane_written_in_pinyin_or_english_are_read_as_the_chinese) {
  auto lane = shipped().resolve("Lane 521, Lingzhao Rd");
  EXPECT_EQ(lane.to, route::firm);
  EXPECT_EQ(lane.community_name, "凌兆路521弄");
  auto nong = shipped().resolve("Lingzhao Road 396 nong");
  EXPECT_EQ(nong.community_name, "凌兆路396弄");
  EXPECT_EQ(shipped().resolve("Lane 586, Lingzhao Rd").to, route::station);  // a split lane stays open
}

TEST(resolver, a_short_name_set_apart_by_marks_is_the_place) {
  auto r = shipped().resolve("", "想请物业处理一下，凌云，楼道灯坏了");
  EXPECT_EQ(r.to, route::firm);
  EXPECT_EQ(r.community_name, "凌云公寓");
  EXPECT_EQ(shipped().resolve("", "壮志凌云的少年").to, route::station);
}

TEST(resolver, a_lane_written_without_its_lane_mark_before_a_spaced_building_is_the_lane) {
  auto r = shipped().resolve("凌兆路608 3号");
  EXPECT_EQ(r.to, route::firm);
  EXPECT_EQ(r.community_name, "凌兆路608弄");
  EXPECT_EQ(shipped().resolve("凌兆路 396 弄 14 号").community_name, "凌兆路396弄");
}

TEST(resolver, both_sides_of_an_estate_written_one_after_the_other_stay_with_the_station) {
  EXPECT_EQ(shipped().resolve("", "侬好 衡辰三林苑 东面西面我也搞不清 7号楼电梯停在半当中").to, route::station);
  EXPECT_EQ(shipped().resolve("", "衡辰三林苑东边还是西边我忘了，7号楼电梯关人").to, route::station);
  // "东西" is a thing, not two sides.
  EXPECT_EQ(shipped().resolve("", "衡辰三林苑东东西被偷了").community_name, "衡辰三林苑(东)");
}

TEST(resolver, a_wrong_character_in_a_name_of_three_counts_only_typed_by_its_sound) {
  EXPECT_EQ(shipped().resolve("丹贵苑5号").community_name, "丹桂苑");
  EXPECT_EQ(shipped().resolve("兰亭苑5号").community_name, "兰庭苑");
  // Other estates' names, not 锦翠苑 or 金桂苑 misspelt.
  EXPECT_EQ(shipped().resolve("锦绣苑5号").to, route::station);
  EXPECT_EQ(shipped().resolve("金丽苑5号").to, route::station);
  // Typed by the sound of 红枫苑 and one character from 红柿苑: either.
  EXPECT_EQ(shipped().resolve("红峰苑5号").candidates.size(), 2u);
}

TEST(resolver, a_word_of_age_before_a_name_may_mean_its_twin) {
  const auto r = shipped().resolve("老银杏苑8号");
  EXPECT_EQ(r.to, route::station);
  EXPECT_EQ(r.candidates.size(), 2u) << r.reason;
  EXPECT_EQ(shipped().resolve("银杏苑8号").community_name, "银杏苑");
  EXPECT_EQ(shipped().resolve("古银杏苑8号").community_name, "古银杏苑");
}

TEST(resolver, no_near_miss_is_read_when_the_caller_cannot_say_the_name) {
  EXPECT_EQ(shipped().resolve("翠苑", "来电人自称住“翠苑”，问是否翠竹苑称记不清，反映楼道灯坏。").to, route::station);
}

TEST(resolver, a_split_lanes_part_by_the_heavenly_stems_is_a_or_b) {
  EXPECT_EQ(shipped().resolve("", "586弄甲块5号楼道灯坏了").community_name, "凌兆路586弄A");
  EXPECT_EQ(shipped().resolve("上浦路201弄乙区6号302室").community_name, "上浦路201弄B");
  // Not a word that holds one.
  EXPECT_EQ(shipped().resolve("凌兆路586弄", "家里甲醛超标").to, route::station);
}

}  // namespace
}  // namespace halfhour::sla
