#include "sla/access.hpp"

#include <gtest/gtest.h>

namespace halfhour::sla {
namespace {

work_order job(std::string holder, std::string responsible, std::string assignee = "") {
  work_order wo;
  wo.holder = std::move(holder);
  wo.responsible_firm = std::move(responsible);
  wo.assignee = std::move(assignee);
  return wo;
}

const member crew_a{"13900000001", "李师傅", "临客嘉物业", role::crew};
const member crew_a2{"13900000002", "王师傅", "临客嘉物业", role::crew};
const member manager_a{"13900000003", "赵经理", "临客嘉物业", role::manager};
const member crew_b{"13900000004", "钱师傅", "三杨物业", role::crew};
const member station{"13900000005", "孙站长", "街道物业应急维修服务站", role::station};
const member centre{"13900000006", "周科长", "建管中心", role::supervisor};

TEST(access, a_firm_acts_on_its_own_jobs_only) {
  auto wo = job("临客嘉物业", "临客嘉物业");
  EXPECT_EQ(may_act(wo, crew_a), access::allowed);
  EXPECT_EQ(may_act(wo, crew_b), access::forbidden);
  EXPECT_EQ(may_see(wo, crew_b), access::forbidden);
  EXPECT_EQ(may_act(wo, station), access::forbidden);
}

TEST(access, a_job_moved_to_the_station_is_seen_but_not_acted_on_by_the_firm) {
  auto wo = job("街道物业应急维修服务站", "临客嘉物业");
  EXPECT_EQ(may_see(wo, crew_a), access::allowed);
  EXPECT_EQ(may_act(wo, crew_a), access::moved);
  EXPECT_EQ(may_act(wo, station), access::allowed);
}

TEST(access, the_centre_sees_everything_and_acts_on_nothing) {
  auto wo = job("三杨物业", "三杨物业");
  EXPECT_EQ(may_see(wo, centre), access::allowed);
  EXPECT_EQ(may_act(wo, centre), access::forbidden);
}

TEST(access, reporter_phone_goes_to_the_assigned_crew_and_the_dispatchers) {
  auto wo = job("临客嘉物业", "临客嘉物业", crew_a.id);
  EXPECT_TRUE(sees_reporter_phone(wo, crew_a));
  EXPECT_FALSE(sees_reporter_phone(wo, crew_a2));
  EXPECT_TRUE(sees_reporter_phone(wo, manager_a));
  EXPECT_FALSE(sees_reporter_phone(wo, crew_b));
}

}  // namespace
}  // namespace halfhour::sla
