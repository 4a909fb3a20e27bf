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
  EXPECT_EQ(may_see(wo, station), access::allowed);  // the desk reads every job, acts on its own
  EXPECT_FALSE(sees_reporter_phone(wo, station));
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

work_order with_reporters() {
  auto wo = job("临客嘉物业", "临客嘉物业", crew_a.id);
  wo.id = "W01-000001";
  wo.who = {"张先生", "13812345678"};
  wo.content = "5号楼502室水管爆了";
  wo.address = "丹桂苑5号楼502室";
  wo.where.building = "5";
  wo.where.room = "502";
  wo.where.community_name = "丹桂苑";
  for (int i = 0; i < 8; ++i)
    wo.linked.push_back({"12345:L" + std::to_string(i),
                         channel::hotline_12345,
                         "L" + std::to_string(i),
                         {"邻居", "1390000000" + std::to_string(i)},
                         "楼上也漏",
                         "丹桂苑5号楼402室",
                         {},
                         {},
                         "同一小区"});
  wo.linked_more = 3;
  wo.linked_more_tickets = {"L8"};
  return wo;
}

TEST(access, a_receipt_names_no_reporter_and_no_staff) {
  auto r = receipt_view(with_reporters());
  EXPECT_EQ(r.id, "W01-000001");
  EXPECT_EQ(r.holder, "临客嘉物业");
  EXPECT_EQ(r.where.community_name, "丹桂苑");
  EXPECT_TRUE(r.who.name.empty() && r.who.phone.empty() && r.content.empty() && r.address.empty());
  EXPECT_TRUE(r.where.room.empty() && r.assignee.empty() && r.linked.empty() && r.linked_more_tickets.empty());
  EXPECT_EQ(r.linked_count(), 11u) << "how many reported it is no secret";
}

TEST(access, a_list_entry_keeps_a_few_linked_reporters_without_their_text) {
  auto l = list_view(with_reporters());
  EXPECT_EQ(l.linked.size(), 5u);
  EXPECT_EQ(l.linked_count(), 11u);
  for (const auto& r : l.linked) EXPECT_TRUE(r.content.empty() && r.address.empty());
  EXPECT_TRUE(l.linked_more_tickets.empty());
}

TEST(access, the_board_is_for_the_centre_and_the_station) {
  EXPECT_TRUE(may_watch_board(centre));
  EXPECT_TRUE(may_watch_board(station));
  EXPECT_FALSE(may_watch_board(manager_a));
  EXPECT_FALSE(may_watch_board(crew_a));
}

TEST(access, the_console_is_for_the_station_the_centre_and_the_firms_managers) {
  EXPECT_TRUE(may_use_console(station));
  EXPECT_TRUE(may_use_console(centre));
  EXPECT_TRUE(may_use_console({"13900000007", "赵经理", "临客嘉物业", role::manager}));
  EXPECT_FALSE(may_use_console(crew_a));
  EXPECT_FALSE(may_use_console({"13900000008", "居委小周", "凌四", role::committee}));
}

directory two_firms() {
  directory d;
  d.station = "街道物业应急维修服务站";
  d.centre = "建管中心";
  d.communities = {{1, "丹桂苑", "凌四", "临客嘉物业"}, {2, "三林路709弄", "凌四", "三杨物业"}};
  return d;
}

TEST(access, jobs_go_to_crews_and_walk_ins_are_registered_by_committees) {
  EXPECT_TRUE(may_be_assigned(crew_a));
  EXPECT_FALSE(may_be_assigned(manager_a));
  EXPECT_FALSE(may_be_assigned(station));
  EXPECT_FALSE(may_be_assigned(centre));
  const member committee{"13700000009", "王主任", "凌四", role::committee};
  EXPECT_TRUE(may_register_walk_in(committee));
  EXPECT_FALSE(may_register_walk_in(crew_a));
  EXPECT_FALSE(may_register_walk_in(station));
}

TEST(access, each_role_belongs_to_its_kind_of_organisation) {
  const auto d = two_firms();
  EXPECT_TRUE(role_fits(role::crew, "三杨物业", d));
  EXPECT_TRUE(role_fits(role::manager, d.station, d));
  EXPECT_FALSE(role_fits(role::crew, "凌四", d));
  EXPECT_TRUE(role_fits(role::committee, "凌四", d));
  EXPECT_FALSE(role_fits(role::committee, "临客嘉物业", d));
  EXPECT_TRUE(role_fits(role::supervisor, "建管中心", d));
  EXPECT_FALSE(role_fits(role::supervisor, d.station, d));
  EXPECT_TRUE(role_fits(role::station, d.station, d));
}

TEST(access, the_station_the_centre_and_the_holders_manager_split_reports_off) {
  auto wo = job("临客嘉物业", "临客嘉物业");
  EXPECT_TRUE(may_unlink(wo, station));
  EXPECT_TRUE(may_unlink(wo, centre));
  EXPECT_TRUE(may_unlink(wo, manager_a));
  EXPECT_FALSE(may_unlink(wo, crew_a));
  EXPECT_FALSE(may_unlink(job("三杨物业", "三杨物业"), manager_a));
}

TEST(access, a_crews_list_holds_its_firms_unassigned_jobs_and_its_own_and_the_centres_everyones) {
  const auto d = two_firms();
  EXPECT_EQ(organisations_listed(crew_a, d), (std::vector<std::string>{"临客嘉物业"}));
  EXPECT_EQ(organisations_listed(centre, d), (std::vector<std::string>{"临客嘉物业", "三杨物业", d.station}));
  EXPECT_TRUE(listed_for(job("临客嘉物业", "临客嘉物业"), crew_a));
  EXPECT_TRUE(listed_for(job("临客嘉物业", "临客嘉物业", crew_a.id), crew_a));
  EXPECT_FALSE(listed_for(job("临客嘉物业", "临客嘉物业", crew_a2.id), crew_a));
  EXPECT_TRUE(listed_for(job("临客嘉物业", "临客嘉物业", crew_a2.id), manager_a));
}

}  // namespace
}  // namespace halfhour::sla
