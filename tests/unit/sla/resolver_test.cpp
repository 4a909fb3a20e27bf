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
    ::testing::Values(row{"丹桂苑", "丹桂苑", "临客嘉物业"},
                      row{"凌兆路521弄3号502室", "凌兆路521弄", "隆江物业"},
                      row{"上浦路565弄12号", "上浦路505、565弄", "三杨物业"},
                      row{"上浦路５０５弄", "上浦路505、565弄", "三杨物业"},
                      row{"凌兆路 586 弄 B 区 5号", "凌兆路586弄B", "临客嘉物业"},
                      row{"凌兆路586弄A5号101", "凌兆路586弄A", "三杨物业"},
                      row{"凌兆路586弄7号", "", ""},
                      row{"上浦路201弄B", "上浦路201弄B", "汇人物业"},
                      row{"三林路359号", "三林路359号", "三杨物业"},
                      row{"凌召路521弄", "凌兆路521弄", "隆江物业"},
                      row{"丹桂园8号楼", "丹桂苑", "临客嘉物业"},
                      row{"古银杏苑12号", "古银杏苑", "安居物业"},
                      row{"衡辰三林苑(东)3号", "衡辰三林苑(东)", "安居物业"},
                      row{"衡辰三林苑", "", ""},
                      row{"湾流域2期", "湾流域二期", "金地物业"},
                      row{"湾流域", "", ""},
                      row{"凌兆路999弄", "", ""},
                      row{"浦东南路1000号", "", ""},
                      row{"", "", ""}));

TEST(resolver, split_lane_without_a_part_says_why) {
  auto r = shipped().resolve("凌兆路530弄12号");
  EXPECT_EQ(r.to, route::station);
  EXPECT_NE(r.reason.find("A、B"), std::string::npos) << r.reason;
  EXPECT_EQ(r.candidates.size(), 2u);
  EXPECT_EQ(r.committee, "凌六");  // both parts belong to one committee
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

TEST(resolver, rejects_a_directory_that_cannot_work) {
  directory d;
  d.communities.push_back({1, "丹桂苑", "凌四", "临客嘉物业", {}, "", {}, "", ""});
  d.communities.push_back({2, "丹桂苑", "凌四", "临客嘉物业", {}, "", {}, "", ""});
  EXPECT_THROW(resolver{d}, std::invalid_argument);
}

}  // namespace
}  // namespace halfhour::sla
