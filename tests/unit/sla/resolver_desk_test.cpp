// The resolver on notes written at a desk and on calls retold: fields parted by spaces, a firm
// beside its committee, numerals in words, a relative's home, a caller taking a name back, and
// places offered as alternatives, which stay with the station.
#include <gtest/gtest.h>

#include "adapters/config.hpp"
#include "sla/resolver.hpp"

namespace halfhour::sla {
namespace {

const resolver& shipped() {
  static const resolver r(config::default_directory());
  return r;
}

void expect_firm(std::string_view text, std::string_view community) {
  const auto r = shipped().resolve("", text);
  EXPECT_EQ(r.to, route::firm) << text << ": " << r.reason;
  EXPECT_EQ(r.community_name, community) << text << ": " << r.reason;
}

void expect_station(std::string_view text, std::string_view address = "") {
  const auto r = shipped().resolve(address, text);
  EXPECT_EQ(r.to, route::station) << text << " @ " << address << ": " << r.community_name << " " << r.reason;
}

TEST(resolver_desk, a_firms_bare_name_parted_by_spaces_narrows_its_committee) {
  expect_firm("凌五 临客嘉 586弄 外墙空调架锈断一半", "凌兆路586弄B");
  expect_firm("红枫 民盈 燃气管有味道", "红柿苑");
  expect_firm("尚桂苑居委 隆江 楼顶水箱漏", "兰庭苑");
  // Both of 品新's communities are 安居's: still two.
  expect_station("品新 安居 楼顶女儿墙开裂");
}

TEST(resolver_desk, a_number_parted_from_a_word_that_cannot_go_on_from_it_ends_there) {
  expect_firm("凌14 楼道电线裸露 有小孩玩", "上浦路165弄");
  expect_firm("凌三 五二一弄4号 楼梯灯", "凌兆路521弄");
  EXPECT_EQ(shipped().resolve("凌兆路 396 弄 14 号").community_name, "凌兆路396弄") << "a lane mark goes on";
}

TEST(resolver_desk, a_part_offered_as_one_of_two_right_after_the_lane_leaves_it_open) {
  expect_station("凌兆路530 A还是B我也搞不清 反正楼道灯坏");
  expect_firm("凌兆路530B 楼道灯坏", "凌兆路530弄B");
}

TEST(resolver_desk, a_namesake_after_a_town_written_with_its_zhen_is_elsewhere) {
  expect_station("三林镇的丁香苑 电梯困人");
  expect_firm("丁香苑 电梯困人", "丁香苑");
}

TEST(resolver_desk, a_second_lane_joined_to_the_first_after_a_committee_keeps_both_open) {
  expect_station("凌七 396和428中间那条通道 地面塌陷");
  expect_firm("凌七 396 地面塌陷", "凌兆路396弄");
}

TEST(resolver_desk, any_relatives_home_yields_to_the_callers_own) {
  expect_firm("我妈住凌兆路256弄 我住285弄 楼顶漏雨 滴到客厅了", "凌兆路285弄");
  expect_firm("来电人住上浦路510弄，说其女儿家在480弄，去年也坏过", "上浦路510、606弄");
  // Unsure whose or which: either.
  expect_station("我外婆住379弄或者405弄 记勿清了 楼道灯一闪一闪");
}

TEST(resolver_desk, a_name_the_caller_took_back_is_not_the_place) {
  expect_firm("来电人自述住银杏苑，又改口说是古银杏苑，楼道灯坏了。", "古银杏苑");
  expect_firm("我家住凌兆路608弄…不对，我上个月刚搬到丹桂苑，现在家是丹桂苑9号楼，锁芯坏了", "丹桂苑");
  expect_firm("勒凌兆路285弄……哦勿对勿对，是阿姐屋里，256弄，伊楼下水表爆特了", "凌兆路256弄");
  // Something wrong with the place is no taking back.
  expect_firm("丹桂苑9号楼水泵声音不对劲", "丹桂苑");
}

TEST(resolver_desk, a_relatives_home_in_the_text_beats_the_posters_own_address_in_the_field) {
  const auto r = shipped().resolve("环林东路879弄12号", "我父亲独居在三林路519弄2号，刚才打电话说家里煤气味很浓");
  EXPECT_EQ(r.community_name, "三林路519弄") << r.reason;
  EXPECT_EQ(shipped().resolve("兰庭苑业主群", "我姆妈屋里在红柿苑，伊讲厨房间插座冒火星").community_name, "红柿苑");
  // The caller's own home said in the text still wins over a relative's.
  EXPECT_EQ(shipped().resolve("环林东路879弄", "我妈住凌兆路256弄，我家厨房水管爆了").community_name, "环林东路879弄");
  // Two places offered for the same relative: either.
  expect_station("窗子把手断了 阿拉婆婆屋里 金禾新苑还是金橘新苑 我问一问再讲 6号");
}

TEST(resolver_desk, a_namesake_said_to_lie_elsewhere_or_also_so_called_is_not_ours) {
  expect_station("市民来电称其住翠竹苑，家中防盗门锁坏了；经询问，该翠竹苑位于奉贤区南桥镇。", "奉贤区南桥镇");
  expect_station("我在嘉定安亭还有一套房子，小区也叫\"翠竹苑\"，那边卫生间漏水", "翠竹苑");
  expect_station("来访者住杨思那边上南路3000多弄，家里厨房水龙头漏，已告知非本街道", "樱桃苑居委");
}

TEST(resolver_desk, a_place_the_text_puts_next_door_is_not_the_place_even_in_the_field) {
  expect_station("樱桃苑隔壁那个小区里向有棵树倒在路当中，我路过看到的，叫勿出小区名字", "樱桃苑业主群");
}

TEST(resolver_desk, a_committees_part_or_street_number_picks_its_community) {
  expect_firm("凌5 B区7号 单元门电子锁坏", "凌兆路586弄B");
  expect_firm("凌七 359号 楼道窗户把手掉了", "三林路359号");
  // A building number is no street number.
  expect_station("凌七 12号楼道窗户把手掉了");
}

TEST(resolver_desk, two_numbers_offered_with_spaces_around_haishi_stay_two) {
  expect_station("凌四 709 还是 711 不清楚 楼道灯坏了");
  expect_station("凌兆路 256 或 285 凌十 外墙渗水");
  expect_firm("凌四 709 楼道灯坏了", "三林路709弄");
}

TEST(resolver_desk, a_stem_parted_by_spaces_is_the_community_unless_it_is_an_everyday_word) {
  expect_firm("美林 电表箱 冒烟", "美林别墅");
  expect_firm("兰庭 5号 楼道灯 不亮", "兰庭苑");
  expect_station("丹桂 开花了 楼道灯不亮");  // 丹桂 is a tree before it is 丹桂苑
}

TEST(resolver_desk, a_lane_known_only_roughly_or_both_parts_of_a_split_lane_stay_with_the_station) {
  expect_station("凌兆路500多弄 12号 厨房下水慢");
  expect_station("凌兆路530弄A和B中间的围墙裂缝越来越宽");
  expect_firm("凌兆路530弄A 3号楼 楼道灯坏", "凌兆路530弄A");
}

TEST(resolver_desk, traditional_characters_are_read_as_their_simplified_forms) {
  expect_firm("翠竹園 8號樓 水管爆了", "翠竹苑");
  expect_firm("環林東路799弄 3號 樓道燈不亮", "环林东路799弄");
}

TEST(resolver_desk, a_place_said_first_and_put_right_later_is_set_aside) {
  // What the caller put right leaves the place unknown: nothing is left for a firm.
  expect_station("来电人先报凌兆路608弄，后说明是608弄对面的一个老小区，名称不详，楼道扶手断。", "凌兆路608弄");
  expect_firm("来电人称住上浦路606弄，后称记错，应为凌兆路608弄。6号楼四楼楼道窗玻璃碎裂悬在框上。", "凌兆路608弄");
  // The place that puts it right, followed by words about the mistake, stays.
  expect_firm("凌兆路405弄，不对，是396弄，我记错了，家门口楼道灯坏了", "凌兆路396弄");
  // A place taken back stays taken back, though 是 comes before it.
  expect_firm("我家是丹桂苑，说错了，是金桂苑，楼道灯坏了", "金桂苑");
  expect_firm("来电人先报凌兆路521弄，话务员复述时更正为555弄。20号楼楼梯扶手松动", "凌兆路555弄");
  // A check that confirms the trouble, not the place, takes nothing back.
  expect_firm("市民反映丹桂苑5号楼电梯困人，经核实情况属实", "丹桂苑");
}

TEST(resolver_desk, lanes_offered_as_alternatives_stay_with_the_station_when_one_is_not_the_roads) {
  // 凌兆路 has 711弄 and no 709弄: the caller is unsure, and the station asks.
  expect_station("凌兆路709弄或者711弄楼道灯坏了");
  expect_station("三林路709弄还是711弄楼道灯坏了");
  // A lane, a building and a room parted by slashes are one place; a lane's own two numbers are one.
  expect_firm("上浦路 480/6/501 墙皮剥落", "上浦路480弄");
  expect_firm("上浦路505、565弄3号 楼道灯坏了", "上浦路505、565弄");
}

TEST(resolver_desk, the_committee_opening_a_desks_note_narrows_no_place_the_note_names) {
  // The visitor speaks of a son's home; 三林苑居委 covers only the west half, but it only took the note.
  expect_station("三林苑居委接待：一位老伯说他儿子家在衡辰三林苑，楼道水管爆了，水往楼梯下淌");
  // Written as part of the address, the committee still narrows.
  EXPECT_EQ(shipped().resolve("衡辰三林苑 三林苑居委", "楼道水管爆了").community_name, "衡辰三林苑(西)");
  // Alone, the desk is the place.
  expect_firm("金禾居委登记：楼道灯不亮好几天了", "金禾新苑");
}

TEST(resolver_desk, a_request_made_for_an_employer_goes_to_the_employers_home) {
  expect_firm("安居苑居委接待：保姆小周替东家老两口来说，东家在安居苑，卫生间下水慢。小周自己住金禾新苑。", "安居苑");
}

TEST(resolver_desk, two_names_the_caller_cannot_tell_apart_both_stay) {
  expect_station("来电人先说住红枫苑，后又改口“好像是红柿苑，两个小区挨着分不清”，地下车库灯不亮",
                 "红枫苑（或红柿苑）");
  // Near miss: a correction not hedged puts it right.
  expect_firm("来电人先说住红枫苑，后又改口说是红柿苑，地下车库灯不亮", "红柿苑");
}

TEST(resolver_desk, a_bare_name_offered_after_a_full_one_is_the_other_place) {
  // 美林 alone is no place; after "翠竹苑还是" it is the other of two, and 悦华 manages both.
  expect_station("翠竹苑还是美林，悦华物业管的那个我讲不清，绿化带里电线断了耷拉在地上");
  // Two bare names: the committee's 红枫 is not made a place by it.
  expect_station("我住的那个小区是红什么苑，红枫还是红柿，我老是记混，整栋楼没水", "红X苑");
}

TEST(resolver_desk, a_whole_name_read_with_a_word_beside_it_is_no_typo_and_areas_that_narrow_are_named) {
  const auto shared = shipped().resolve("", "老伯说他儿子家在衡辰三林苑，楼道水管爆了");
  EXPECT_EQ(shared.to, route::station);
  EXPECT_EQ(shared.reason.find("只差一个字"), std::string::npos) << shared.reason;
  const auto both = shipped().resolve("安居苑居委", "衡辰三林苑18号楼门口庭院灯不亮");
  EXPECT_EQ(both.community_name, "衡辰三林苑(东)");
  EXPECT_NE(both.reason.find("共同确定"), std::string::npos) << both.reason;
}

TEST(resolver_desk, a_place_the_caller_left_or_said_is_not_theirs_is_set_aside_everywhere) {
  expect_station("上个月已经从凌兆路608弄搬走，现在住周浦，新小区的车棚门锁坏了", "凌兆路608弄");
  expect_station("全楼停水，上次锦翠苑也这样停了一整天。问她是不是住锦翠苑，她说“不是，锦翠苑是我朋友那边”");
  // Near miss: a correction the caller hedges still leaves the lane open, not the first part said.
  expect_station("凌兆路530弄A，哦不对，A还是B我搞错了，反正530弄，3楼水管爆了在喷", "凌兆路530弄A");
}

TEST(resolver_desk, a_relatives_home_beside_the_callers_own_unknown_or_unsettled_one_stays_with_the_station) {
  // The caller's own home is said and is none of the directory's.
  expect_station("来电人老周称住凌兆新村，门洞底楼电表箱冒烟。是他儿子（住金色雅筑）叫他打12345的。", "凌兆新村15号");
  // The caller cannot settle whose home it is.
  expect_station("王老师称她自己住凌兆路256弄，妈妈住凌兆路285弄，其中一家瓷砖掉了，但她前后说法不一", "凌十居委");
  // The poster says it is not their estate.
  expect_station("我帮我爸发的：「阿拉楼道灯五楼六楼都坏脱了」伊是凌十一居委那边的，跟我不是一个小区", "上浦路276弄");
}

TEST(resolver_desk, doubts_about_a_name_leave_every_name_that_fits) {
  // More in front of the name, maybe.
  expect_station("一位女士替婆婆报修：婆婆住“什么银杏苑”，前头几个字她记不清，楼下电子锁坏了", "银杏苑");
  expect_station("一楼地面往下沉。来电人说小区叫“银杏苑”，又说“前面好像还有个字”");
  // Half remembered beside a name the field gives.
  expect_station("一位先生替岳父来报：岳父家在“锦什么苑”，他老婆知道他不知道。楼顶水箱没上水", "锦翠苑");
  // Corrections that end in "something with 桂".
  expect_station("来电人一开始说金桂苑，后来说是丹桂苑，最后又说“反正名字里有个桂”", "金桂苑");
  // A phase pointed at, not named; an estate held up for comparison; a namesake asked about.
  expect_station("楼组长转：湾流域地库消防栓被撞了。楼组长本人不住那一期，也不知道是哪一期", "湾流域");
  expect_station("群里转发：“我们小区车库天天漏水，你看人家尚桂苑从来不这样。”转发的阿姨说不是她们小区的事");
  expect_station("“丁香花园”楼道灯不亮。话务员问是不是东明路街道的丁香苑，来电人说不是，是徐汇那边",
                 "徐汇区华山路丁香花园");
  // Near miss: a name written whole and sure.
  expect_firm("婆婆住古银杏苑，楼下电子锁坏了", "古银杏苑");
}

}  // namespace
}  // namespace halfhour::sla
