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
}

}  // namespace
}  // namespace halfhour::sla
