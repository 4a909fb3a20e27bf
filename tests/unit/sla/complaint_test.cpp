// A complaint about the firm's service (物业投诉) runs on two clocks of working days, first contact
// and resolution, counted on the holiday calendar: the 国庆 week does not count. The firm is told
// the day and time of each; a breach is told once, not every quarter of an hour.
#include <gtest/gtest.h>

#include <algorithm>

#include "sla/machine.hpp"
#include "sla/report.hpp"
#include "tests/unit/sla/jobs.hpp"
#include "tests/unit/sla/shanghai_days.hpp"

namespace halfhour::sla {
namespace {

using testing::on;
using testing::sh;

using namespace std::chrono_literals;

using testing::station;

limits with_national_day() {
  holiday_year y;
  y.year = 2026;
  y.holidays = {{"国庆节", on(2026, 10, 1), on(2026, 10, 7)}};
  y.workdays = {on(2026, 10, 10)};
  limits lim;
  lim.calendar = std::make_shared<const working_calendar>(std::vector<holiday_year>{y});
  return lim;
}

classification complaint() {
  classification c;
  c.kind = request_kind::complaint;
  c.level = urgency::general;
  c.category = "complaint_staff";
  c.category_name = "服务态度";
  c.confidence = 0.9;
  return c;
}

classification leak() {
  classification c;
  c.level = urgency::urgent;
  c.category = "burst_pipe";
  c.category_name = "水管爆裂水漫";
  return c;
}

constexpr auto firm = &testing::firm_route;

constexpr auto lad = &testing::station_and_centre;

// Wednesday 30 September 2026, 15:00: the day before 国庆.
const instant taken = sh(2026, 9, 30, 15, 0);

decision accepted(classification cls = complaint()) {
  intake in{channel::hotline_12345, "12345-0930", {"李先生", "13800000001"}, "保安态度很差，还骂人", "丹桂苑"};
  return accept(in, "W09-000001", std::move(cls), firm(), lad(), with_national_day(), taken);
}

TEST(complaint, runs_on_first_contact_and_resolution_counted_in_working_days_past_the_national_day) {
  const auto d = accepted();
  const auto& wo = d.next;
  ASSERT_EQ(wo.clocks.size(), 2u) << "no acknowledge, on-site or contact clock of minutes";
  const auto* first = wo.find(clock_kind::first_contact);
  const auto* resolve = wo.find(clock_kind::resolution);
  ASSERT_TRUE(first && resolve);
  EXPECT_EQ(first->deadline, sh(2026, 10, 8, 17, 30));
  EXPECT_EQ(first->working_days, 1);
  // 8, 9, 10 (a Saturday worked), 12, 13.
  EXPECT_EQ(resolve->deadline, sh(2026, 10, 13, 17, 30));
  EXPECT_EQ(resolve->working_days, 5);
  EXPECT_EQ(first->limit, first->deadline - taken);
  // Only the two deadlines are armed: no warnings.
  ASSERT_EQ(d.arm.size(), 2u);
  for (const auto& a : d.arm) EXPECT_EQ(a.s, step::due);
  EXPECT_EQ(racing_clock(wo), first);
  EXPECT_EQ(promised_clock(wo), first);
}

TEST(complaint, the_firm_is_told_the_day_and_time_of_each_clock_and_the_history_names_them) {
  const auto d = accepted();
  ASSERT_EQ(d.notify.size(), 1u);
  const auto& n = d.notify[0];
  EXPECT_EQ(n.to, recipient::holder);
  EXPECT_EQ(n.organisation, "临客嘉物业");
  EXPECT_NE(n.text.find("【物业投诉】"), std::string::npos) << n.text;
  EXPECT_NE(n.text.find("1个工作日内（2026-10-08 17:30前）先行联系投诉人"), std::string::npos) << n.text;
  EXPECT_NE(n.text.find("5个工作日内（2026-10-13 17:30前）办结"), std::string::npos) << n.text;
  EXPECT_NE(n.text.find("物业投诉·服务态度"), std::string::npos) << n.text;
  const auto started = std::count_if(d.events.begin(), d.events.end(), [](const event& e) {
    return e.kind == event_kind::clock_started && e.note == "先行联系时限1个工作日（至2026-10-08 17:30）";
  });
  EXPECT_EQ(started, 1);
}

TEST(complaint, contact_stops_first_contact_and_completion_closes_the_complaint) {
  auto wo = accepted().next;
  action call{action_kind::contact, "王经理", "13900000001", "临客嘉物业", role::manager, "", "r-1", "电话"};
  auto d = apply(wo, call, station, sh(2026, 10, 8, 9, 0));
  ASSERT_TRUE(d.ok()) << d.refused;
  EXPECT_TRUE(d.next.find(clock_kind::first_contact)->stopped);
  EXPECT_FALSE(d.next.find(clock_kind::first_contact)->breached);
  EXPECT_TRUE(d.next.find(clock_kind::resolution)->running());
  EXPECT_EQ(racing_clock(d.next)->kind, clock_kind::resolution);
  action done{action_kind::complete, "王经理", "13900000001", "临客嘉物业", role::manager, "", "r-2"};
  auto closed = apply(d.next, done, station, sh(2026, 10, 12, 11, 0));
  ASSERT_TRUE(closed.ok()) << closed.refused;
  EXPECT_EQ(closed.next.state, wo_state::done);
  EXPECT_TRUE(closed.next.find(clock_kind::resolution)->stopped);
  EXPECT_EQ(racing_clock(closed.next), nullptr);
}

TEST(complaint, a_missed_first_contact_is_a_breach_told_once_to_the_centre_committee_firm_and_hotline) {
  const auto wo = accepted().next;
  const auto due = wo.find(clock_kind::first_contact)->deadline;
  const auto d = on_deadline(wo, deadline{clock_kind::first_contact, due}, due + 2s, false, lad());
  ASSERT_TRUE(d.next.find(clock_kind::first_contact)->breached);
  const auto breach = std::find_if(d.events.begin(), d.events.end(),
                                   [](const event& e) { return e.kind == event_kind::clock_breached; });
  ASSERT_NE(breach, d.events.end());
  EXPECT_EQ(breach->note, "先行联系超时（时限1个工作日）");
  std::vector<recipient> told;
  for (const auto& n : d.notify) told.push_back(n.to);
  EXPECT_EQ(told,
            (std::vector<recipient>{recipient::centre, recipient::committee, recipient::holder, recipient::hotline}));
  for (const auto& a : d.arm) EXPECT_NE(a.s, step::renotify) << "no reminder every quarter of an hour";
}

TEST(complaint, a_complaint_found_to_be_a_repair_retires_its_clocks_and_the_repairs_run_from_acceptance) {
  const auto wo = accepted().next;
  reclassification r{leak(), "其实是水管爆了", "rc-1"};
  const member duty{"13600000000", "值班员", std::string(station), role::station};
  const auto d = reclassify(wo, r, duty, with_national_day(), taken + 40min);
  ASSERT_TRUE(d.ok()) << d.refused;
  EXPECT_EQ(d.next.cls.kind, request_kind::repair);
  EXPECT_TRUE(d.next.find(clock_kind::first_contact)->retired);
  EXPECT_TRUE(d.next.find(clock_kind::resolution)->retired);
  const auto* on_site = d.next.find(clock_kind::on_site);
  ASSERT_NE(on_site, nullptr);
  EXPECT_EQ(on_site->deadline, taken + 30min) << "a wrong call buys the firm no time";
  ASSERT_NE(d.next.find(clock_kind::acknowledge), nullptr);
  ASSERT_NE(d.next.find(clock_kind::completion), nullptr);
  const bool armed = std::any_of(d.arm.begin(), d.arm.end(), [&](const deadline& a) {
    return a.kind == clock_kind::on_site && a.at == taken + 30min;
  });
  EXPECT_TRUE(armed) << "already past: it fires at once and records the breach";
}

TEST(complaint, a_repair_found_to_be_a_complaint_retires_the_repair_clocks_and_keeps_a_breach_on_record) {
  auto wo = accepted(leak()).next;
  const auto due = wo.find(clock_kind::acknowledge)->deadline;
  wo = on_deadline(wo, deadline{clock_kind::acknowledge, due}, due + 1s, false, lad()).next;
  ASSERT_TRUE(wo.find(clock_kind::acknowledge)->breached);
  const member duty{"13600000000", "值班员", std::string(station), role::station};
  const auto d = reclassify(wo, {complaint(), "是投诉保安", "rc-2"}, duty, with_national_day(), taken + 1h);
  ASSERT_TRUE(d.ok()) << d.refused;
  for (auto k : {clock_kind::on_site, clock_kind::completion}) EXPECT_TRUE(d.next.find(k)->retired);
  EXPECT_TRUE(d.next.find(clock_kind::acknowledge)->breached) << "the breach stays on record";
  EXPECT_EQ(d.next.find(clock_kind::first_contact)->deadline, sh(2026, 10, 8, 17, 30));
  EXPECT_EQ(d.next.find(clock_kind::resolution)->deadline, sh(2026, 10, 13, 17, 30));
}

TEST(complaint, the_monthly_report_counts_complaints_apart_and_judges_their_clocks) {
  auto d = accepted();
  auto wo = d.next;
  std::vector<event> history = d.events;
  const auto due = wo.find(clock_kind::first_contact)->deadline;
  auto breach = on_deadline(wo, deadline{clock_kind::first_contact, due}, due + 1s, false, lad());
  history.insert(history.end(), breach.events.begin(), breach.events.end());
  wo = breach.next;
  action done{action_kind::complete, "王经理", "13900000001", "临客嘉物业", role::manager, "", "r-2"};
  auto closed = apply(wo, done, station, sh(2026, 10, 12, 11, 0));
  history.insert(history.end(), closed.events.begin(), closed.events.end());
  const auto september = compute_report({{closed.next, history}}, month{2026, 9}, station);
  EXPECT_EQ(september.total.complaints, 1);
  EXPECT_EQ(september.total.general, 0) << "a complaint is not a general repair";
  const auto october = compute_report({{closed.next, history}}, month{2026, 10}, station);
  EXPECT_EQ(october.total.first_contact.breached, 1);
  EXPECT_EQ(october.total.resolution.met, 1);
  ASSERT_EQ(october.breaches.size(), 1u);
  EXPECT_EQ(october.breaches[0].clock, clock_kind::first_contact);
  EXPECT_EQ(october.breaches[0].kind, request_kind::complaint);
}

}  // namespace
}  // namespace halfhour::sla
