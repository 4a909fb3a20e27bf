// The state machine with simulated time: thirty minutes pass in a function argument.
#include "sla/machine.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/sla/jobs.hpp"

namespace halfhour::sla {
namespace {

using namespace std::chrono_literals;

using testing::station;
const instant t0 = from_ms(1'795'000'000'000);  // a fixed instant in 2026

classification urgent_cls() { return {urgency::urgent, "burst_pipe", "水管爆裂水漫", {}, "", false}; }
classification general_cls() { return {urgency::general, "door_lock", "门锁门禁对讲", {}, "", false}; }

using testing::firm_route;

work_order accepted(classification c, resolution r = firm_route()) {
  intake in{channel::hotline_12345, "12345-001", {"张先生", "13800000000"}, "水管爆了", "丹桂苑", std::nullopt};
  return accept(in, "W01-000001", c, r, station, limits{}, t0).next;
}

action act(action_kind kind, std::string who, std::string org, std::string note) {
  return {.kind = kind, .actor = who, .actor_id = who, .organisation = std::move(org), .note = std::move(note)};
}

member duty() { return {"13600000000", "值班员", "街道物业应急维修服务站", role::station}; }

bool has_event(const decision& d, event_kind k) {
  return std::any_of(d.events.begin(), d.events.end(), [k](const event& e) { return e.kind == k; });
}

TEST(accept, urgent_starts_ack_on_site_and_completion_clocks_at_acceptance) {
  intake in{channel::hotline_12345, "12345-001", {}, "水管爆了", "丹桂苑", t0 - 5min};
  auto d = accept(in, "W01-000001", urgent_cls(), firm_route(), station, limits{}, t0);
  const auto& wo = d.next;
  EXPECT_EQ(wo.state, wo_state::dispatched);
  EXPECT_EQ(wo.holder, "临客嘉物业");
  EXPECT_EQ(wo.responsible_firm, "临客嘉物业");
  ASSERT_NE(wo.find(clock_kind::on_site), nullptr);
  EXPECT_EQ(wo.find(clock_kind::on_site)->deadline, t0 + 30min);  // from acceptance, not the call
  EXPECT_EQ(wo.find(clock_kind::acknowledge)->deadline, t0 + 10min);
  EXPECT_EQ(wo.find(clock_kind::completion)->deadline, t0 + 24h);
  EXPECT_EQ(wo.find(clock_kind::contact), nullptr);
  EXPECT_EQ(d.arm.size(), 4u);  // three deadlines and the on-site warning at 20 minutes
  EXPECT_TRUE(std::count(d.arm.begin(), d.arm.end(), deadline{clock_kind::on_site, t0 + 20min, step::warn, 0}));
  ASSERT_EQ(d.notify.size(), 1u);
  EXPECT_EQ(d.notify[0].kind, "dispatch");
  EXPECT_EQ(d.notify[0].organisation, "临客嘉物业");
  EXPECT_TRUE(has_event(d, event_kind::accepted));
  EXPECT_TRUE(has_event(d, event_kind::routed));
}

TEST(accept, general_runs_a_contact_clock_and_unknown_address_goes_to_the_station) {
  resolution unknown;
  unknown.reason = "地址未能匹配";
  auto wo = accepted(general_cls(), unknown);
  EXPECT_EQ(wo.state, wo_state::triage);
  EXPECT_EQ(wo.holder, station);
  EXPECT_EQ(wo.find(clock_kind::contact)->deadline, t0 + 30min);
  EXPECT_EQ(wo.find(clock_kind::acknowledge)->deadline, t0 + 15min);
  EXPECT_EQ(wo.find(clock_kind::completion)->deadline, t0 + 72h);
}

TEST(on_deadline, breach_is_recorded_with_how_late) {
  auto wo = accepted(urgent_cls());
  auto d = on_deadline(wo, clock_kind::on_site, t0 + 30min, t0 + 30min + 7ms, false);
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].kind, event_kind::clock_breached);
  EXPECT_EQ(d.events[0].late_ms, 7);
  EXPECT_EQ(d.events[0].organisation, "临客嘉物业");
  EXPECT_EQ(d.next.find(clock_kind::on_site)->breached, t0 + 30min + 7ms);
  EXPECT_TRUE(std::count(d.cancel.begin(), d.cancel.end(), deadline{clock_kind::on_site}));
  EXPECT_TRUE(std::count(d.cancel.begin(), d.cancel.end(), deadline{clock_kind::on_site, {}, step::warn, 0}));
}

TEST(on_deadline, fires_once_and_ignores_stale_or_early_deadlines) {
  auto wo = accepted(urgent_cls());
  auto first = on_deadline(wo, clock_kind::on_site, t0 + 30min, t0 + 31min, true);
  EXPECT_TRUE(first.events[0].on_recovery);
  auto again = on_deadline(first.next, clock_kind::on_site, t0 + 30min, t0 + 32min, false);
  EXPECT_FALSE(again.changed());
  EXPECT_FALSE(on_deadline(wo, clock_kind::on_site, t0 + 29min, t0 + 31min, false).changed());
  EXPECT_FALSE(on_deadline(wo, clock_kind::on_site, t0 + 30min, t0 + 29min, false).changed());
}

// ---- the escalation ladder ---------------------------------------------------------------

ladder drill_ladder() {
  ladder lad;
  lad.station = std::string(station);
  lad.centre = "建管中心";
  return lad;
}

std::vector<std::string> told(const decision& d) {
  std::vector<std::string> out;
  for (const auto& n : d.notify) out.push_back(std::string(code_of(n.to)) + ":" + n.kind);
  return out;
}

TEST(ladder, warns_the_firm_and_committee_at_twenty_minutes_while_the_clock_runs) {
  auto wo = accepted(urgent_cls());
  auto d = on_deadline(wo, {clock_kind::on_site, t0 + 20min, step::warn, 0}, t0 + 20min, false, drill_ladder());
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].kind, event_kind::warned);
  EXPECT_EQ(told(d), (std::vector<std::string>{"holder:warn", "committee:warn"}));
  EXPECT_NE(d.notify[0].text.find("10分钟"), std::string::npos) << d.notify[0].text;

  auto arrived = apply(wo, act(action_kind::arrive, "a", "临客嘉物业", ""), station, t0 + 15min);
  EXPECT_TRUE(
      std::count(arrived.cancel.begin(), arrived.cancel.end(), deadline{clock_kind::on_site, {}, step::warn, 0}));
  auto late =
      on_deadline(arrived.next, {clock_kind::on_site, t0 + 20min, step::warn, 0}, t0 + 20min, false, drill_ladder());
  EXPECT_FALSE(late.changed());
  EXPECT_TRUE(late.notify.empty());
}

TEST(ladder, breach_tells_centre_committee_firm_and_hotline_then_reminds_every_fifteen_minutes) {
  auto wo = accepted(urgent_cls());
  auto breach = on_deadline(wo, {clock_kind::on_site, t0 + 30min}, t0 + 30min, false, drill_ladder());
  EXPECT_EQ(told(breach),
            (std::vector<std::string>{"centre:breach", "committee:breach", "holder:breach", "hotline:breach"}));
  EXPECT_NE(breach.notify.back().text.find("12345-001"), std::string::npos);
  EXPECT_TRUE(
      std::count(breach.arm.begin(), breach.arm.end(), deadline{clock_kind::on_site, t0 + 45min, step::renotify}));

  auto again =
      on_deadline(breach.next, {clock_kind::on_site, t0 + 45min, step::renotify}, t0 + 45min, false, drill_ladder());
  EXPECT_EQ(again.events.at(0).kind, event_kind::renotified);
  EXPECT_EQ(told(again), (std::vector<std::string>{"centre:renotify", "committee:renotify", "holder:renotify"}));
  EXPECT_TRUE(
      std::count(again.arm.begin(), again.arm.end(), deadline{clock_kind::on_site, t0 + 60min, step::renotify}));

  auto arrived = apply(again.next, act(action_kind::arrive, "a", "临客嘉物业", ""), station, t0 + 50min);
  EXPECT_TRUE(
      std::count(arrived.cancel.begin(), arrived.cancel.end(), deadline{clock_kind::on_site, {}, step::renotify}));
  auto after =
      on_deadline(arrived.next, {clock_kind::on_site, t0 + 60min, step::renotify}, t0 + 60min, false, drill_ladder());
  EXPECT_FALSE(after.changed());
  EXPECT_TRUE(after.arm.empty());
}

TEST(ladder, a_breach_noticed_an_hour_late_reminds_once_then_keeps_the_quarter_hour_cadence) {
  auto wo = accepted(urgent_cls());
  // The engine was down from before the deadline until 1h05 after it.
  auto breach = on_deadline(wo, {clock_kind::on_site, t0 + 30min}, t0 + 95min, true, drill_ladder());
  const deadline first{clock_kind::on_site, t0 + 105min, step::renotify};
  EXPECT_EQ(std::count(breach.arm.begin(), breach.arm.end(), first), 1) << "the first reminder after now";
  for (const auto& a : breach.arm) EXPECT_GT(a.at, t0 + 95min) << "nothing armed in the past fires at once";

  // A reminder itself noticed 40 minutes late: one message, the next on the cadence after now.
  auto again = on_deadline(breach.next, first, t0 + 145min, false, drill_ladder());
  EXPECT_EQ(told(again), (std::vector<std::string>{"centre:renotify", "committee:renotify", "holder:renotify"}));
  EXPECT_EQ(again.arm, (std::vector<deadline>{{clock_kind::on_site, t0 + 150min, step::renotify}}));
}

TEST(ladder, a_reminder_armed_before_reminders_were_switched_off_is_the_last) {
  auto wo = accepted(urgent_cls());
  auto breach = on_deadline(wo, {clock_kind::on_site, t0 + 30min}, t0 + 30min, false, drill_ladder());
  auto off = drill_ladder();
  off.renotify = sla::duration{0};
  auto last = on_deadline(breach.next, {clock_kind::on_site, t0 + 45min, step::renotify}, t0 + 45min, false, off);
  EXPECT_EQ(told(last), (std::vector<std::string>{"centre:renotify", "committee:renotify", "holder:renotify"}));
  EXPECT_TRUE(last.arm.empty());
}

TEST(ladder, quiet_hours_hold_back_a_general_jobs_warnings_but_never_a_breach_or_an_urgent_job) {
  auto lad = drill_ladder();
  lad.quiet_from = 22;
  lad.quiet_to = 7;
  // t0 is 2026-11-18 11:06:40 UTC, 19:06:40 in Shanghai: move to 23:30:40 there.
  const instant night = t0 + 4h + 24min;
  intake in{channel::hotline_12345, "12345-002", {}, "门锁坏了", "丹桂苑", std::nullopt};
  auto wo = accept(in, "W01-000002", general_cls(), firm_route(), lad, limits{}, night).next;
  auto warn = on_deadline(wo, {clock_kind::contact, night + 20min, step::warn, 0}, night + 20min, false, lad);
  ASSERT_EQ(warn.events.size(), 1u);
  EXPECT_TRUE(warn.notify.empty());
  EXPECT_NE(warn.events[0].note.find("夜间免打扰"), std::string::npos);
  auto breach = on_deadline(wo, {clock_kind::contact, night + 30min}, night + 30min, false, lad);
  EXPECT_FALSE(breach.notify.empty());
  auto urgent = accept(in, "W01-000003", urgent_cls(), firm_route(), lad, limits{}, night).next;
  auto uwarn = on_deadline(urgent, {clock_kind::on_site, night + 20min, step::warn, 0}, night + 20min, false, lad);
  EXPECT_FALSE(uwarn.notify.empty());
  auto day = on_deadline(wo, {clock_kind::contact, night + 20min, step::warn, 0}, night + 20min + 8h, false, lad);
  EXPECT_TRUE(day.events.empty());  // that warning's moment passed with the breach; nothing to say
}

TEST(ladder, a_step_fired_twice_makes_the_same_keys) {
  auto wo = accepted(urgent_cls());
  auto a = on_deadline(wo, {clock_kind::on_site, t0 + 30min}, t0 + 30min, false, drill_ladder());
  auto b = on_deadline(wo, {clock_kind::on_site, t0 + 30min}, t0 + 30min + 5ms, true, drill_ladder());
  ASSERT_EQ(a.notify.size(), b.notify.size());
  for (std::size_t i = 0; i < a.notify.size(); ++i) EXPECT_EQ(a.notify[i].key, b.notify[i].key);
}

TEST(ladder, unacknowledged_urgent_job_goes_to_the_station_and_the_firm_keeps_the_breach) {
  auto wo = accepted(urgent_cls());
  auto d = on_deadline(wo, {clock_kind::acknowledge, t0 + 10min}, t0 + 10min, false, drill_ladder());
  EXPECT_EQ(d.next.holder, station);
  EXPECT_EQ(d.next.responsible_firm, "临客嘉物业");
  EXPECT_EQ(d.next.state, wo_state::triage);
  EXPECT_TRUE(has_event(d, event_kind::clock_breached));
  EXPECT_TRUE(has_event(d, event_kind::handed_over));
  EXPECT_EQ(told(d), (std::vector<std::string>{"station:breach", "holder:fallback"}));
  EXPECT_EQ(d.next.find(clock_kind::on_site)->deadline, t0 + 30min);  // the clock runs on

  auto general = accepted(general_cls());
  auto g = on_deadline(general, {clock_kind::acknowledge, t0 + 15min}, t0 + 15min, false, drill_ladder());
  EXPECT_EQ(g.next.holder, "临客嘉物业");
  EXPECT_EQ(told(g), (std::vector<std::string>{"station:breach", "holder:breach"}));
}

TEST(apply, a_hotline_ticket_reports_each_status_to_the_hotline_once) {
  auto wo = accepted(general_cls());  // came in as 12345-001
  auto ack = apply(wo, act(action_kind::acknowledge, "a", "临客嘉物业", ""), station, t0 + 1min);
  ASSERT_EQ(ack.notify.size(), 1u);
  EXPECT_EQ(ack.notify[0].to, recipient::hotline);
  EXPECT_EQ(ack.notify[0].kind, "acknowledged");
  EXPECT_EQ(ack.notify[0].ref, "12345-001");
  auto contact = apply(ack.next, act(action_kind::contact, "a", "临客嘉物业", ""), station, t0 + 2min);
  EXPECT_EQ(contact.notify.at(0).kind, "contacted");
  auto again = apply(contact.next, act(action_kind::contact, "a", "临客嘉物业", "再次联系"), station, t0 + 3min);
  EXPECT_TRUE(again.changed());
  EXPECT_TRUE(again.notify.empty());
  auto done = apply(again.next, act(action_kind::complete, "a", "临客嘉物业", ""), station, t0 + 4h);
  EXPECT_EQ(done.notify.at(0).kind, "done");
}

TEST(apply, on_site_check_in_stops_the_clock_in_time) {
  auto wo = accepted(urgent_cls());
  auto d = apply(wo, act(action_kind::arrive, "李师傅", "临客嘉物业", ""), station, t0 + 25min);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.next.state, wo_state::on_site);
  EXPECT_EQ(d.next.find(clock_kind::on_site)->stopped, t0 + 25min);
  EXPECT_EQ(d.next.find(clock_kind::acknowledge)->stopped, t0 + 25min);
  EXPECT_TRUE(std::count(d.cancel.begin(), d.cancel.end(), deadline{clock_kind::on_site}));
  // The deadline that was armed for it is now stale.
  EXPECT_FALSE(on_deadline(d.next, clock_kind::on_site, t0 + 30min, t0 + 30min, false).changed());
}

TEST(apply, late_arrival_keeps_the_breach_on_record) {
  auto wo = accepted(urgent_cls());
  auto breached = on_deadline(wo, clock_kind::on_site, t0 + 30min, t0 + 30min, false).next;
  auto d = apply(breached, act(action_kind::arrive, "李师傅", "临客嘉物业", ""), station, t0 + 42min);
  const auto* c = d.next.find(clock_kind::on_site);
  EXPECT_TRUE(c->breached.has_value());
  EXPECT_EQ(c->stopped, t0 + 42min);
}

TEST(apply, contact_stops_the_general_clock_and_acknowledges) {
  auto wo = accepted(general_cls());
  auto d = apply(wo, act(action_kind::contact, "王师傅", "临客嘉物业", "电话联系"), station, t0 + 5min);
  EXPECT_EQ(d.next.state, wo_state::contacted);
  EXPECT_EQ(d.next.find(clock_kind::contact)->stopped, t0 + 5min);
  EXPECT_EQ(d.next.find(clock_kind::acknowledge)->stopped, t0 + 5min);
  EXPECT_EQ(d.next.assignee, "王师傅");
}

TEST(apply, acknowledging_what_another_crew_took_is_refused_but_a_retry_is_not) {
  auto wo = accepted(urgent_cls());
  auto d = apply(wo, act(action_kind::acknowledge, "a", "临客嘉物业", ""), station, t0 + 1min);
  ASSERT_TRUE(d.ok());
  auto other = apply(d.next, act(action_kind::acknowledge, "b", "临客嘉物业", ""), station, t0 + 2min);
  EXPECT_FALSE(other.ok());
  auto retry = apply(d.next, act(action_kind::acknowledge, "a", "临客嘉物业", ""), station, t0 + 2min);
  EXPECT_TRUE(retry.ok());
  EXPECT_TRUE(retry.duplicate);
  EXPECT_FALSE(retry.changed());
}

TEST(apply, a_known_request_id_is_a_duplicate_even_after_later_steps) {
  auto wo = accepted(general_cls());
  auto contact = act(action_kind::contact, "a", "临客嘉物业", "");
  contact.request_id = "r-1";
  auto d = apply(wo, contact, station, t0 + 1min);
  ASSERT_TRUE(d.changed());
  auto done = apply(d.next, act(action_kind::complete, "a", "临客嘉物业", ""), station, t0 + 2min).next;
  auto retry = apply(done, contact, station, t0 + 3min);
  EXPECT_TRUE(retry.ok());  // not "工单已完工": the retry was applied before completion
  EXPECT_TRUE(retry.duplicate);
}

TEST(apply, on_site_check_in_records_device_time_and_position) {
  auto wo = accepted(urgent_cls());
  auto arrive = act(action_kind::arrive, "a", "临客嘉物业", "");
  arrive.device_time = t0 + 9min;
  arrive.where = position{31.15, 121.50, 12};
  auto d = apply(wo, arrive, station, t0 + 10min);
  const auto& e = d.events.front();
  EXPECT_EQ(e.kind, event_kind::arrived);
  EXPECT_EQ(e.device_time, t0 + 9min);
  EXPECT_EQ(e.where, (position{31.15, 121.50, 12}));
  EXPECT_EQ(d.next.find(clock_kind::on_site)->stopped, t0 + 10min);  // the engine's time, not the phone's
  auto other = apply(d.next, act(action_kind::arrive, "b", "临客嘉物业", ""), station, t0 + 11min);
  EXPECT_FALSE(other.ok());
}

TEST(apply, completion_stops_every_clock_and_closes_the_order) {
  auto wo = accepted(urgent_cls());
  auto d = apply(wo, act(action_kind::complete, "a", "临客嘉物业", ""), station, t0 + 2h);
  EXPECT_EQ(d.next.state, wo_state::done);
  EXPECT_TRUE(std::none_of(d.next.clocks.begin(), d.next.clocks.end(), [](const clock& c) { return c.running(); }));
  EXPECT_FALSE(apply(d.next, act(action_kind::arrive, "a", "", ""), station, t0 + 3h).ok());
}

TEST(apply, hand_over_moves_the_job_but_not_the_responsibility_nor_the_clock) {
  auto wo = accepted(urgent_cls());
  auto d = apply(wo, act(action_kind::hand_over, "经理", "临客嘉物业", "无人值班"), station, t0 + 12min);
  EXPECT_EQ(d.next.holder, station);
  EXPECT_EQ(d.next.responsible_firm, "临客嘉物业");
  EXPECT_EQ(d.next.find(clock_kind::on_site)->deadline, t0 + 30min);
  EXPECT_TRUE(d.arm.empty());
  EXPECT_FALSE(apply(d.next, act(action_kind::hand_over, "x", "", ""), station, t0 + 13min).ok());
}

TEST(assign, the_manager_giving_a_job_to_a_crew_is_the_firm_taking_it) {
  auto wo = accepted(urgent_cls());
  member manager{"13900000003", "赵经理", "临客嘉物业", role::manager};
  member crew{"13900000001", "李师傅", "临客嘉物业", role::crew};
  auto d = assign(wo, manager, crew, t0 + 3min);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.next.assignee, crew.id);
  EXPECT_EQ(d.next.state, wo_state::acknowledged);
  EXPECT_EQ(d.next.find(clock_kind::acknowledge)->stopped, t0 + 3min);
  EXPECT_EQ(d.next.find(clock_kind::on_site)->deadline, t0 + 30min);
  EXPECT_TRUE(assign(d.next, manager, crew, t0 + 4min).duplicate);
  member other_firm{"13900000004", "钱师傅", "三杨物业", role::crew};
  EXPECT_FALSE(assign(d.next, manager, other_firm, t0 + 4min).ok());
}

TEST(reroute, the_station_routes_a_triaged_job_without_resetting_its_clocks) {
  resolution unknown;
  unknown.reason = "凌兆路586弄分A、B两区";
  auto wo = accepted(urgent_cls(), unknown);
  member station_op{"13900000005", "孙站长", std::string(station), role::station};
  resolution b;
  b.to = route::firm;
  b.community_name = "凌兆路586弄B";
  b.firm = "临客嘉物业";
  auto d = reroute(wo, b, station_op, t0 + 8min);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.next.holder, "临客嘉物业");
  EXPECT_EQ(d.next.responsible_firm, "临客嘉物业");
  EXPECT_EQ(d.next.state, wo_state::dispatched);
  EXPECT_EQ(d.next.clocks, wo.clocks);
  EXPECT_TRUE(d.arm.empty());
}

TEST(reclassify, upgrade_runs_the_on_site_clock_from_acceptance) {
  auto wo = accepted(general_cls());
  auto d = reclassify(wo, {urgent_cls(), "", ""}, duty(), limits{}, t0 + 40min);
  const auto* on_site = d.next.find(clock_kind::on_site);
  ASSERT_NE(on_site, nullptr);
  EXPECT_EQ(on_site->deadline, t0 + 30min);  // already past: it fires as soon as it is armed
  EXPECT_TRUE(d.next.find(clock_kind::contact)->retired);
  EXPECT_TRUE(std::count(d.arm.begin(), d.arm.end(), deadline{clock_kind::on_site, t0 + 30min}));
  EXPECT_EQ(d.next.find(clock_kind::completion)->deadline, t0 + 24h);
  EXPECT_TRUE(d.next.cls.overridden);
  auto fired = on_deadline(d.next, clock_kind::on_site, t0 + 30min, t0 + 40min, false);
  EXPECT_TRUE(has_event(fired, event_kind::clock_breached));
}

TEST(reclassify, downgrade_keeps_a_recorded_breach) {
  auto wo = accepted(urgent_cls());
  auto breached = on_deadline(wo, clock_kind::on_site, t0 + 30min, t0 + 30min, false).next;
  auto d = reclassify(breached, {general_cls(), "", ""}, duty(), limits{}, t0 + 35min);
  const auto* on_site = d.next.find(clock_kind::on_site);
  EXPECT_TRUE(on_site->retired);
  EXPECT_TRUE(on_site->breached.has_value());
  EXPECT_EQ(d.next.find(clock_kind::contact)->deadline, t0 + 30min);
  EXPECT_TRUE(has_event(d, event_kind::clock_retired));
}

TEST(reclassify, same_urgency_touches_no_clock) {
  auto wo = accepted(urgent_cls());
  auto d = reclassify(wo, {{urgency::urgent, "lift_failure", "电梯故障", {}, "", false}, "", ""}, duty(), limits{},
                      t0 + 1min);
  EXPECT_EQ(d.next.clocks, wo.clocks);
  EXPECT_TRUE(d.arm.empty());
  EXPECT_TRUE(d.cancel.empty());
}

TEST(apply, once_a_crew_has_the_job_its_colleagues_cannot_act_on_it_and_the_refusal_names_nobody) {
  auto wo = accepted(urgent_cls());
  auto taken = apply(wo, act(action_kind::acknowledge, "13900000001", "临客嘉物业", ""), station, t0 + 1min).next;
  for (auto k : {action_kind::contact, action_kind::arrive, action_kind::complete, action_kind::hand_over}) {
    auto d = apply(taken, act(k, "13900000002", "临客嘉物业", "顺路"), station, t0 + 2min);
    EXPECT_FALSE(d.ok()) << static_cast<int>(k);
    EXPECT_EQ(d.refused.find("13900000001"), std::string::npos);
  }
  auto by_manager = act(action_kind::arrive, "13900000003", "临客嘉物业", "");
  by_manager.actor_role = role::manager;
  EXPECT_TRUE(apply(taken, by_manager, station, t0 + 3min).ok()) << "the firm's manager still may";
  member manager{"13900000003", "赵经理", "临客嘉物业", role::manager};
  member other_firm{"13900000004", "钱师傅", "三杨物业", role::crew};
  auto refused = assign(wo, manager, other_firm, t0 + 4min);
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.refused.find("钱师傅"), std::string::npos) << "another firm's crew is not named";
}

TEST(reclassify, tells_the_holder_not_the_hotline_and_is_applied_once_per_request) {
  auto wo = accepted(general_cls());
  auto d = reclassify(wo, {urgent_cls(), "现场看是水管爆裂", "rc-1"}, duty(), limits{}, t0 + 5min);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d.notify.size(), 1u);
  EXPECT_EQ(d.notify[0].to, recipient::holder);
  EXPECT_NE(d.notify[0].text.find("现场看是水管爆裂"), std::string::npos);
  const auto& e = d.events.front();
  EXPECT_EQ(e.kind, event_kind::reclassified);
  EXPECT_EQ(e.actor_id, "13600000000");
  EXPECT_EQ(e.organisation, station);
  EXPECT_TRUE(d.next.cls.overridden);
  EXPECT_TRUE(reclassify(d.next, {urgent_cls(), "重复", "rc-1"}, duty(), limits{}, t0 + 6min).duplicate);
  auto done = apply(d.next, act(action_kind::complete, "a", "临客嘉物业", ""), station, t0 + 7min).next;
  EXPECT_FALSE(reclassify(done, {general_cls(), "改回", "rc-2"}, duty(), limits{}, t0 + 8min).ok());
}

TEST(reclassify, a_crews_request_is_recorded_and_sent_to_the_station_with_no_clock_touched) {
  auto wo = accepted(general_cls());
  member crew{"13900000001", "李师傅", "临客嘉物业", role::crew};
  auto d = request_reclassify(wo, {urgent_cls(), "到场发现是总管爆裂", "rq-1"}, crew, station, t0 + 9min);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.next.cls, wo.cls);
  EXPECT_EQ(d.next.clocks, wo.clocks);
  EXPECT_TRUE(d.arm.empty() && d.cancel.empty());
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].kind, event_kind::reclassify_requested);
  ASSERT_EQ(d.notify.size(), 1u);
  EXPECT_EQ(d.notify[0].to, recipient::station);
  EXPECT_EQ(d.notify[0].organisation, station);
  EXPECT_TRUE(request_reclassify(d.next, {urgent_cls(), "", "rq-1"}, crew, station, t0 + 10min).duplicate);
}

TEST(reclassify, the_station_and_centre_decide_the_holders_manager_too_and_its_crew_may_only_ask) {
  auto wo = accepted(general_cls());
  EXPECT_EQ(may_reclassify(wo, duty()), reclassify_right::apply);
  EXPECT_EQ(may_reclassify(wo, {"1", "科长", "建管中心", role::supervisor}), reclassify_right::apply);
  EXPECT_EQ(may_reclassify(wo, {"2", "经理", "临客嘉物业", role::manager}), reclassify_right::apply);
  EXPECT_EQ(may_reclassify(wo, {"3", "师傅", "临客嘉物业", role::crew}), reclassify_right::request);
  EXPECT_EQ(may_reclassify(wo, {"4", "经理", "三杨物业", role::manager}), reclassify_right::none);
  EXPECT_EQ(may_reclassify(wo, {"5", "居委", "凌四", role::committee}), reclassify_right::none);
}

}  // namespace
}  // namespace halfhour::sla
