// The resolver when the request says the trouble is not where the caller lives: a home in another
// district, the caller away from home, words that it is not the community's, a relative's home; and
// the near misses of each, which keep the caller's own place. The caller's own place is set aside
// only when no other place is written, so these rules send a request to the station and never pick
// a firm out of two places written.
#include <gtest/gtest.h>

#include "adapters/config.hpp"
#include "sla/resolver.hpp"

namespace halfhour::sla {
namespace {

const resolver& shipped() {
  static const resolver r(config::default_directory());
  return r;
}

void expect_firm(std::string_view address, std::string_view text, std::string_view community) {
  const auto r = shipped().resolve(address, text);
  EXPECT_EQ(r.to, route::firm) << text << " @ " << address << ": " << r.reason;
  EXPECT_EQ(r.community_name, community) << text << " @ " << address << ": " << r.reason;
}

resolution expect_station(std::string_view address, std::string_view text) {
  auto r = shipped().resolve(address, text);
  EXPECT_EQ(r.to, route::station) << text << " @ " << address << ": " << r.community_name << " " << r.reason;
  return r;
}

// To the station, and the reason it gives names `why`.
void expect_station_saying(std::string_view address, std::string_view text, std::string_view why) {
  const auto r = expect_station(address, text);
  EXPECT_NE(r.reason.find(why), std::string::npos) << r.reason;
}

TEST(resolver_elsewhere, two_homes_written_stay_with_the_station_when_the_caller_reports_for_a_relative) {
  // The caller's own home and a relative's, both of the sub-district: the station asks which, rather
  // than a cue word picking a firm (a wrong firm is the one routing mistake never to make).
  auto r = expect_station("湾流域二期", "我住湾流域二期，今天是帮我岳母报的，她住凌兆路428弄，厨房水管爆了");
  EXPECT_EQ(r.candidates.size(), 2u) << r.reason;
  expect_station("上浦路165弄", "我住上浦路165弄，我姐住凌兆路405弄，她家楼道里一股煤气味");
}

TEST(resolver_elsewhere, the_callers_own_home_in_trouble_beats_a_relatives_named_beside_it) {
  expect_firm("", "我住丹桂苑，我女儿住金桂苑，麻烦帮我报一下，我家卫生间漏水", "丹桂苑");
  expect_firm("", "我住丹桂苑3号楼，我妈住金桂苑，其他家也停水了，我家一滴水都没有", "丹桂苑");
}

TEST(resolver_elsewhere, a_home_in_another_district_sets_the_posters_own_place_aside) {
  expect_station("社区云·凌云公寓", "我住在徐汇区一个也叫凌云的小区，楼道电线裸露");
  expect_station("馨乐苑", "我在宝山的妈妈家，她家屋顶漏雨滴到床上");
  expect_station("金桂苑", "我住金桂苑，是帮我婆婆报的，她住闵行古美那边的老小区，厨房水管爆了");
  expect_station("凌兆佳苑", "诉求人住凌兆佳苑，反映其在浦江镇的出租房卫生间水管爆裂");
  expect_station_saying("上浦路480弄", "这次报修的是我爸妈家，他们住在杨浦区，燃气表那里有煤气味", "杨浦区");
}

TEST(resolver_elsewhere, a_district_that_is_not_a_home_keeps_the_callers_place) {
  expect_firm("丹桂苑", "我在徐汇上班，回家发现厨房水管爆了", "丹桂苑");
  expect_firm("丹桂苑", "刚从闵行回来，楼道灯不亮了", "丹桂苑");
  // The person the request is about, not the caller introducing themselves.
  expect_firm("凌兆路334弄8号", "独居老人，女儿住闵行区；老人本人住凌兆路334弄，墙上裂缝越来越宽", "凌兆路334弄");
}

TEST(resolver_elsewhere, the_caller_away_from_home_is_no_reason_to_send_their_firm) {
  expect_station_saying("凌兆路555弄", "我住凌兆路555弄，今天路过地铁站出口，旁边一个窨井盖翘起来了", "今天路过");
  expect_station("棕榈苑", "我住棕榈苑，公司在张江，公司楼道灯坏了谁管？");
  // "物业公司在处理" is the firm at work; "路过的人" are passers-by.
  expect_firm("棕榈苑", "物业公司在处理吗？楼道灯坏了三天了", "棕榈苑");
  expect_firm("红柿苑", "花坛边燃气调压箱附近一股味道，路过的人都捂鼻子", "红柿苑");
}

TEST(resolver_elsewhere, words_that_it_is_not_the_communitys_send_it_to_the_station_saying_so) {
  expect_station_saying("社区云·丁香苑", "东门外公交站旁边井盖掀开一半，不知道是不是我们小区的", "不是我们小区");
  expect_station("金桂苑业主群", "马路对面那排房子前头电线杆斜了");
  expect_station("社区云·金禾新苑", "可能不归物业管：外面马路上的行道树被车撞裂了");
}

TEST(resolver_elsewhere, a_place_only_near_or_only_asked_about_is_not_the_place) {
  expect_station("凌兆路521弄门口", "凌兆路上靠近521弄门口的窨井盖缺失");
  expect_station("", "来电人说住金谊花园，追问是否金谊河畔，称不是");
  // Confirmed, it is the place.
  expect_firm("", "问是否金谊河畔，称是的，楼道灯坏", "金谊河畔");
}

TEST(resolver_elsewhere, a_namesake_elsewhere_is_set_aside_and_ours_written_again_stays) {
  expect_station("安居苑", "嘉定那边也有个安居苑，我说的是那个，卫生间墙面掉瓷砖");
  expect_station("金色雅筑", "昆山那个金色雅筑，爸妈家客厅吊灯那里渗水");
  expect_firm("馨乐苑", "闵行也有个馨乐苑，我说的是东明这边的馨乐苑，路灯坏了三盏", "馨乐苑");
  expect_station("凌云公寓", "我女儿一家住在川沙的凌云公寓（不是我们这边的凌云公寓），热水器边上有煤气味");
}

TEST(resolver_elsewhere, which_phase_asked_is_no_phase) {
  const auto r = expect_station("", "我们是湾流域，哪一期说不清，靠河边那几栋，电表箱冒白烟");
  EXPECT_EQ(r.candidates.size(), 3u) << r.reason;
  expect_firm("", "湾流域一期5号楼电表箱冒烟", "湾流域一期");
}

TEST(resolver_elsewhere, a_request_said_to_lie_outside_the_sub_district_goes_to_the_station) {
  // The operator's finding after asking outweighs the name the caller gave.
  expect_station_saying("", "市民反映所住樱桃苑楼道有煤气味，经核实来电人住青浦区，非本辖区", "青浦区");
  expect_station_saying("", "来电人称其小区丹桂苑位于闵行区，门口窨井盖缺了一块", "闵行区");
  expect_station("", "紧挨金桂苑的那栋写字楼电梯困人");
  // Near misses: the sub-district itself, and a place only beside the community's name.
  expect_firm("", "我们小区在东明路街道，丹桂苑5号楼停电了", "丹桂苑");
  expect_firm("", "金桂苑12号楼挨着车库那个单元停水了", "金桂苑");
}

TEST(resolver_elsewhere, public_ground_and_other_places_of_the_caller_go_to_the_station) {
  // Public ground: said so, at a gate, across the road from the caller's estate.
  expect_station("金桂苑", "金桂苑门口人行道上的窨井盖没了，经核实为市政道路");
  expect_station("", "樱桃苑大门口的公交车站顶棚玻璃碎了，还挂着半块");
  expect_station("丹桂苑业主群", "阿拉小区对面加油站旁边，路灯杆子歪了要倒");
  // The caller's home said, the trouble at work, a shop or a home moved to elsewhere.
  expect_station("兰庭苑", "来电人家住兰庭苑，反映其工作的三林镇某厂房屋顶漏雨");
  expect_station("馨乐苑", "来电人家在馨乐苑，报修的是其开的小饭店，店内电线冒烟");
  expect_station("丹桂苑", "来电人登记住址为丹桂苑，现已搬至周浦镇，反映新住处楼道灯不亮");
  expect_station("棕榈苑", "我已经搬去川沙了，原来棕榈苑那套卖掉了，现在这边门禁坏了");
  expect_station_saying("凌兆路334弄", "来电人报凌兆路334弄，经核实为其他街道地址，屋顶漏雨", "其他街道");
  // Near misses: a landmark people live by, the estate's own facade, a tree across its own road.
  expect_firm("凌兆路405弄22号", "来电人只说住在菜场对面，楼道铁门插销坏了", "凌兆路405弄");
  expect_firm("", "金桂苑5号楼小区外墙瓷砖松了", "金桂苑");
  expect_firm("金禾新苑", "大树被风刮倒了，横在路中间，压着两辆电瓶车", "金禾新苑");
}

TEST(resolver_elsewhere, a_neighbouring_street_or_town_before_a_name_is_that_places_namesake) {
  expect_station("上钢新村街道丹桂苑", "楼道灯坏了");
  expect_station("", "上钢新村那边的丹桂苑5号楼道灯坏了");
  expect_station("", "三林那边的翠竹苑楼道灯坏了");
  expect_station("", "杨思那边樱桃苑电梯关人了");
  // 三林 is also in names and a road here.
  expect_firm("", "三林苑5号楼道灯坏了", "三林苑");
  expect_firm("", "三林路519弄5号楼道灯坏了", "三林路519弄");
  expect_firm("", "衡辰三林苑东区5号楼道灯坏了", "衡辰三林苑(东)");
}

TEST(resolver_elsewhere, a_firm_named_after_a_neighbouring_street_is_that_area_before_那边) {
  expect_station("", "上钢那边杨思路上有棵树倒在路中间了 谁管");
  expect_firm("", "上钢物业管的那个小区楼道灯坏了", "上南路4265弄");
}

TEST(resolver_elsewhere, a_request_pointing_at_a_relatives_home_goes_there) {
  expect_firm("凌兆路379弄", "来电人家住凌兆路379弄，但反映的是她女儿家凌兆路405弄8号6楼：顶楼客厅天花板在滴水",
              "凌兆路405弄");
  expect_firm("金桂苑", "来电人住金桂苑，反映的是她母亲家品诚苑21号：厨房热水管爆了", "品诚苑");
  // Named as the home of the one passing it on, a place is no more the trouble's than the relative's.
  expect_station("", "兰庭苑的陈老师说，她姐姐家尚桂苑7号墙面粉刷起皮");
}

TEST(resolver_elsewhere, a_caller_who_says_who_they_are_is_set_aside_when_the_trouble_is_not_the_communitys) {
  expect_station(
      "", "你好，我是永泰花苑的，不过这个事情不是我们小区的啊，是我路过看到的，上浦路上，一个小区门口，窨井盖没了");
  expect_firm("", "我是永泰花苑的，5号楼门口窨井盖没了", "永泰花苑");
}

TEST(resolver_elsewhere, the_callers_work_yields_to_a_lane_the_directory_does_not_know) {
  expect_station("", "我在丹桂苑上班，这次报的是我爸家三林路1200弄3号楼道灯坏了");
  // Alone, the work place is where the request is.
  expect_firm("", "我在丹桂苑上班，门卫室旁边的窨井盖没了", "丹桂苑");
}

TEST(resolver_elsewhere, a_caller_who_went_to_a_relatives_home_and_found_the_trouble_there_sends_it_there) {
  expect_firm("", "我住锦翠苑，儿子住金谊河畔，今天去儿子家一看，卫生间天花板在滴水", "金谊河畔");
  expect_firm("", "本人住三林苑，昨天到我妈家凌兆路405弄，看到她们楼道扶手断了", "凌兆路405弄");
  // Back home, the trouble is the caller's own.
  expect_firm("", "我住丹桂苑，我女儿住金桂苑，去女儿家吃饭回来，发现我家卫生间漏水", "丹桂苑");
}

TEST(resolver_elsewhere, a_request_made_for_a_relative_goes_to_the_relatives_home) {
  expect_firm("", "来电人家住金桂苑，替其哥哥反映：哥哥家丹桂苑5号楼道灯不亮", "丹桂苑");
  // Nothing says it is for him: the relative's home yields to the caller's own.
  expect_firm("", "来电人家住金桂苑，哥哥家丹桂苑，楼道灯不亮", "金桂苑");
}

TEST(resolver_elsewhere, a_place_the_operator_found_outside_the_sub_district_sends_it_to_the_station) {
  expect_station("金禾新苑", "来电人家住金禾新苑，反映公司门口窨井冒水。经询问，冒水地点不在东明路街道辖区");
  expect_station("金禾新苑", "来电人家住金禾新苑，单位门口窨井冒水，经询问地点不在东明。");
}

TEST(resolver_elsewhere, the_posters_own_place_is_set_aside_when_the_text_puts_the_trouble_elsewhere) {
  // A relative's home in another district, named with a mark between.
  expect_station("凌兆路555弄", "来电人住凌兆路555弄，但反映的是她舅舅家：杨浦区控江路上的一个老小区，楼道灯坏了");
  expect_station("上南路4265弄", "【求助】同事刚刚讲伊拉屋里（闵行莘庄）楼道里煤气味道老重");
  // The caller's work or the household they serve, outside.
  expect_station("凌兆路256弄", "市民住凌兆路256弄，反映的是他上班的地方——周浦镇一个厂区宿舍楼下的消防栓被撞断");
  expect_station("凌兆路500弄", "家政阿姨来电：她服务的那户在金杨新村，厨房的水表刚刚爆了。阿姨说自己住凌兆路500弄");
  // The estate across the road, unnamed.
  expect_station("凌兆佳苑3号楼群", "对过小区门口额大树倒下来了，横辣人行道高头");
  // Near misses: the caller's own place, in trouble.
  expect_firm("凌兆路555弄", "我住凌兆路555弄，刚从杨浦区舅舅那边回来，楼道灯坏了", "凌兆路555弄");
  expect_firm("凌兆佳苑3号楼群", "阿拉小区门口额大树倒下来了，横辣人行道高头", "凌兆佳苑");
}

TEST(resolver_elsewhere, a_relative_who_rang_from_their_home_puts_the_trouble_there) {
  expect_firm(
      "上南路4265弄",
      "来电人在单位上班，父母家在衡辰三林苑东区，母亲刚打电话说卫生间地漏往上冒黑水。来电人自己住上南路4265弄。",
      "衡辰三林苑(东)");
}

TEST(resolver_elsewhere, the_door_of_a_public_place_is_outside_any_community) {
  expect_station_saying("凌九居委会", "居委登记：东明小学门口那段路灯不亮，家长接孩子看不清", "小学");
  // A committee that opens a desk's note says who wrote it down, as the address field does.
  expect_station_saying("", "新二居委转：居民说东明路地铁站出口旁边的路灯不亮好几天了", "地铁站");
  expect_station_saying("环林东路799弄", "我家是799弄的，今朝去东明路上那个药房，门口人行道地砖松了好几块", "药房");
  // Near miss: a home by the school is still the home.
  expect_firm("凌兆路555弄", "我家离学校门口最近那栋，楼道灯坏了", "凌兆路555弄");
}

TEST(resolver_elsewhere, a_relatives_home_on_a_road_is_not_the_posters_estate) {
  expect_station_saying("锦翠苑", "我老丈人屋里在浦东南路那边，顶楼，今朝落雨又滴到床上了", "浦东南路");
  expect_station("锦翠苑", "我妈家在凌兆路上，顶楼，今朝落雨又滴到床上了");
  // Near miss: with its lane, the road is the place.
  expect_firm("锦翠苑", "我妈家在凌兆路405弄，顶楼，今朝落雨又滴到床上了", "凌兆路405弄");
}

TEST(resolver_elsewhere, trouble_at_the_callers_own_unwritten_home_goes_to_the_station) {
  // The field says whose home it is: the mother's, or the caller's work.
  expect_station("凌兆路256弄（母亲住址）", "报修人母亲住凌兆路256弄，他自己住的那栋楼单元门对讲机坏了；自家地址没说");
  expect_station("（来电人工作单位：锦翠苑物业）", "来电人在锦翠苑物业做保安，反映的是自己租住房子的卫生间墙角渗水");
  expect_station("丹桂苑（来电人女儿住址）", "老人来电，说女儿住丹桂苑，这次反映的是他自己那栋楼楼道灯坏了");
}

TEST(resolver_elsewhere, public_ground_by_the_callers_estate_is_no_estates) {
  expect_station("凌兆路428弄",
                 "凌兆路和上浦路路口东南角的人行道上有个窨井盖不见了。来电人住凌兆路428弄，每天走这条路");
  expect_station("金色雅筑", "金色雅筑业主来电：路过一个街心花园，健身器材转轮掉了。她说不是小区，是街道的街心花园");
  expect_station("金禾新苑", "来电人在东明路菜场卖菜，反映菜场公共厕所洗手池下面水管渗水。她住金禾新苑");
  expect_station("上浦路276弄", "来电人系东明路上一家幼儿园的保安，称园内灭火器压力不足。来电人自己住上浦路276弄");
  expect_station("湾流域三期", "扩散一下：湾流域大门外面那个十字路口的消火栓被车撞了，水柱喷得老高");
  // Near misses: the door of the caller's own flat; a junction in passing, not where the trouble is.
  expect_firm("凌兆佳苑", "孩子上学的路口也没人管……今天主要想说的是：我们这栋楼空调外机铁架断了", "凌兆佳苑");
  expect_firm("凌兆路379弄2号", "我家大门外的楼梯扶手断了一截，我七十多岁了上下楼只能扶墙", "凌兆路379弄");
}

TEST(resolver_elsewhere, a_community_or_relative_over_in_another_district_is_not_the_posters) {
  expect_station("丹桂苑", "我住丹桂苑，是替宝山区的老母亲打的电话：老母亲家卫生间水管爆了");
  expect_station("永泰花苑", "转载：浦东北蔡那边一个小区，地下室管道爆了，整层都是水");
  expect_station("湾流域一期", "帮我舅舅说一下，他们单位宿舍在徐汇区田林路那边，卫生间水管一直在滴水");
  // Near miss: news of a community elsewhere, and a worry about the poster's own.
  expect_firm("上浦路201弄B", "新闻里讲闵行有个小区外墙落下来砸到人，阿拉小区外墙会不会也有问题", "上浦路201弄B");
}

TEST(resolver_elsewhere, a_visitor_named_with_their_estate_speaks_of_a_home_elsewhere) {
  expect_station("凌兆路285弄", "社工走访凌兆路285弄独居老人，老人提到女儿在闵行七宝的房子卫生间下水道反水");
  expect_station("金禾新苑", "金禾新苑钱阿姨来居委，替她老同学打听：老同学住宝山大华，楼道里煤气味很重");
  expect_station("凌兆路711弄", "社工走访凌兆路711弄汪老伯，老人说南汇周浦还有一套老房子，阳台防盗窗锈穿了");
  expect_station("盛源公寓", "盛源公寓业主宋女士来问：她在昆山买的新房交房了，好几面墙开裂");
  expect_station("丁香苑", "丁香苑楼组长转：她亲家住浦东川沙，亲家那栋楼的电梯门开着就往上走");
  expect_station("翠竹苑", "翠竹苑住户小葛是二房东，她转租出去的一套在闵行梅陇，阳台推拉门坏了");
  expect_station("锦丽新苑", "锦丽新苑退休的马老师提到：她每天去浦西女儿家带外孙，女儿小区里滑梯断了");
  // Near misses: a job done in the estate ("做阿姨"), and a caller of Puxi for a parent here.
  expect_firm("", "我在美林别墅做阿姨 东家二楼天花板在滴水 一滴一滴 外面没下雨", "美林别墅");
  expect_firm("410弄", "来电人称老父亲独居410弄，卧室窗户把手断了。来电人住浦西，周末才过去。", "上浦路336、410弄");
}

TEST(resolver_elsewhere, public_ground_the_poster_walked_to_from_their_estate_is_no_estates) {
  expect_station("丹桂苑", "我从丹桂苑出来走到三林路上，路口红绿灯下面一棵行道树倒了");
  expect_station("凌七居委", "凌兆路396弄大门外头人行道上一块盲道砖碎了，小区门里面没事");
  // Near miss: the estate's own gate.
  expect_firm("凌兆路396弄", "凌兆路396弄大门口的道闸杆断了，车子进不来", "凌兆路396弄");
}

TEST(resolver_elsewhere, a_caller_who_says_where_they_live_and_calls_for_someone_else_is_not_the_place) {
  expect_station("上南路41××弄", "我自己住上南路4265弄，现在是帮朋友打的。他住上南路41几弄，楼道里一股很重的煤气味");
  expect_station("德州五村", "我住金橘新苑，想帮我姐问一下，她家在德州五村，楼道墙皮一大片脱落");
  expect_station("周浦镇", "我现在人在凌云公寓我儿子家，邻居打电话来说我周浦那边老房子顶楼漏雨");
  expect_station("锦翠苑业主群", "紧急！我妹妹被关在杨浦控江路她们小区的电梯里了，我们这边的物业能不能帮忙叫人？");
  expect_station("樱桃苑5号202", "我平时住樱桃苑，这次想反映我单位在奉贤的宿舍，走廊里的灯坏了一整排");
  expect_station("品新苑业主群", "打扰一下，我们品新苑这边都好。我张江那套出租房的窗户把手断了");
  expect_station("凌兆路500弄门卫室", "我是凌兆路500弄的保安，不是报这里的事。我自己住浦西老西门那边，厨房龙头在滴");
  // Near misses: helping an older neighbour, and a relative's home written beside the caller's own.
  expect_firm("凌兆路334弄", "代老人报修：3号楼，洗脸盆下水管滴水，要换。", "凌兆路334弄");
  expect_firm("永泰花苑5号楼", "不是我家漏水，是楼上人家的空调冷凝水管一直往下滴", "永泰花苑");
}

}  // namespace
}  // namespace halfhour::sla
