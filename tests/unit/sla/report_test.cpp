// The monthly report on histories made by the state machine itself, with simulated time: what
// counts in which month, met and breached clocks, times to contact and on site, hand-overs,
// and that a month's report does not change once the month is over.
#include "sla/report.hpp"

#include <gtest/gtest.h>

#include "sla/machine.hpp"
#include "tests/unit/sla/jobs.hpp"

namespace halfhour::sla {
namespace {

member duty() { return {"13600000000", "值班员", "街道物业应急维修服务站", role::station}; }

using namespace std::chrono_literals;

const month october{2026, 10};
using testing::station;

constexpr auto lad = &testing::station_and_centre;

resolution danggui(std::string building = "3") {
  resolution r;
  r.to = route::firm;
  r.community_name = "丹桂苑";
  r.committee = "凌四";
  r.firm = "临客嘉物业";
  r.building = std::move(building);
  return r;
}

classification burst() { return {urgency::urgent, "burst_pipe", "水管爆裂水漫", {}, "", false}; }
classification door() { return {urgency::general, "door_lock", "门锁门禁对讲", {}, "", false}; }

// A job and its history, driven through the domain as the engine would.
struct job {
  order_record rec;

  job(std::string id, classification c, instant at, resolution where = danggui(),
      channel source = channel::hotline_12345) {
    intake in{source, "T-" + id, {"王", "13900000000"}, "报修", "丹桂苑", std::nullopt};
    take(accept(in, std::move(id), std::move(c), std::move(where), lad(), limits{}, at));
  }
  void take(const decision& d) {
    ASSERT_TRUE(d.ok()) << d.refused;
    rec.wo = d.next;
    rec.history.insert(rec.history.end(), d.events.begin(), d.events.end());
  }
  void act(action_kind k, instant at, std::string who = "李师傅") {
    action a{.kind = k, .actor = who, .actor_id = "139", .organisation = rec.wo.holder, .note = "说明"};
    take(apply(rec.wo, a, station, at));
  }
  // The deadline of `k` fires `late` after it.
  void fire(clock_kind k, duration late = 5ms, bool recovery = false) {
    const auto* c = rec.wo.find(k);
    ASSERT_NE(c, nullptr);
    take(on_deadline(rec.wo, deadline{k, c->deadline}, c->deadline + late, recovery, lad()));
  }
  void remind(clock_kind k, instant at) {
    take(on_deadline(rec.wo, deadline{k, at, step::renotify}, at, false, lad()));
  }
};

const instant oct5 = october.start() + 24h * 4 + 10h;  // 5 October, 10:00 Shanghai

TEST(month, knows_the_shanghai_calendar) {
  EXPECT_EQ(october.label(), "2026-10");
  EXPECT_EQ(october.title(), "2026年10月");
  EXPECT_EQ(shanghai_iso(october.start()), "2026-10-01T00:00:00+08:00");
  EXPECT_EQ(october.days(), 31);
  EXPECT_EQ((month{2026, 2}.days()), 28);
  EXPECT_EQ(october.previous(), (month{2026, 9}));
  EXPECT_EQ((month{2026, 12}).next(), (month{2027, 1}));
  EXPECT_EQ(month::parse("2026-10"), october);
  EXPECT_FALSE(month::parse("2026-13"));
  EXPECT_FALSE(month::parse("26-10"));
  EXPECT_EQ(month::containing(october.end() - 1ms), october);
  EXPECT_EQ(month::containing(october.end()), october.next());
  EXPECT_EQ(day_of_month(october.start() - 1ms), 30);  // 30 September, 23:59 Shanghai
}

TEST(report, counts_met_and_breached_clocks_and_says_what_the_ladder_did) {
  job fast("W01-000001", burst(), oct5, danggui(), channel::wechat);
  fast.act(action_kind::acknowledge, oct5 + 3min);
  fast.act(action_kind::arrive, oct5 + 20min);

  job slow("W01-000002", door(), oct5 + 1h);
  slow.take(on_deadline(slow.rec.wo, deadline{clock_kind::contact, oct5 + 1h + 20min, step::warn, 0}, oct5 + 1h + 20min,
                        false, lad()));
  slow.act(action_kind::acknowledge, oct5 + 1h + 5min);
  slow.fire(clock_kind::contact);
  slow.remind(clock_kind::contact, oct5 + 1h + 45min);
  slow.act(action_kind::contact, oct5 + 1h + 50min);

  job ignored("W01-000003", burst(), oct5 + 2h);
  ignored.fire(clock_kind::acknowledge);  // nobody took it: the station does
  ignored.act(action_kind::arrive, oct5 + 2h + 25min, "应急站张师傅");

  auto r = compute_report({fast.rec, slow.rec, ignored.rec}, october, station);
  EXPECT_EQ(r.total.received, 3);
  EXPECT_EQ(r.total.urgent, 2);
  EXPECT_EQ(r.total.by_channel[static_cast<std::size_t>(channel::wechat)], 1);
  EXPECT_EQ(r.total.on_site.met, 2);
  EXPECT_EQ(r.total.contact.breached, 1);
  EXPECT_EQ(r.total.acknowledge.met, 2);
  EXPECT_EQ(r.total.acknowledge.breached, 1);
  EXPECT_EQ(r.total.breaches(), 2);
  EXPECT_NEAR(*r.total.on_time_rate(), 4.0 / 6.0, 1e-9);
  EXPECT_EQ(median_of(r.total.to_on_site_ms), (20 * 60'000 + 25 * 60'000) / 2);
  EXPECT_EQ(median_of(r.total.to_contact_ms), 50 * 60'000);
  EXPECT_EQ(r.total.handed_over, 1);
  ASSERT_EQ(r.firms.size(), 1u) << "the fallback keeps the firm responsible";
  EXPECT_EQ(r.firms[0].name, "临客嘉物业");
  EXPECT_EQ(r.days[4].received, 3);
  EXPECT_EQ(r.days[4].breaches, 2);

  ASSERT_EQ(r.breaches.size(), 2u);
  const auto& contact = r.breaches[0];
  EXPECT_EQ(contact.work_order, "W01-000002");
  EXPECT_EQ(contact.clock, clock_kind::contact);
  EXPECT_EQ(contact.late_ms, 20 * 60'000);
  EXPECT_EQ(contact.warnings, 1);
  EXPECT_EQ(contact.reminders, 1);
  EXPECT_EQ(contact.escalation, "时限前预警1次；超时通报建管中心、居委、责任物业、12345；持续超时提醒1次");
  const auto& ack = r.breaches[1];
  EXPECT_EQ(ack.clock, clock_kind::acknowledge);
  EXPECT_TRUE(ack.to_station);
  EXPECT_NE(ack.escalation.find("转应急维修服务站"), std::string::npos);
}

TEST(report, a_ticket_of_the_last_minute_counts_this_month_and_its_breach_the_next) {
  job late("W02-000001", burst(), october.end() - 1min);
  late.fire(clock_kind::acknowledge, 5ms);
  late.fire(clock_kind::on_site, 5ms);
  auto oct = compute_report({late.rec}, october, station);
  EXPECT_EQ(oct.total.received, 1);
  EXPECT_EQ(oct.total.judged(), 0);
  EXPECT_TRUE(oct.breaches.empty());
  auto nov = compute_report({late.rec}, october.next(), station);
  EXPECT_EQ(nov.total.received, 0);
  EXPECT_EQ(nov.total.on_site.breached, 1);
  EXPECT_EQ(nov.breaches.size(), 2u);
}

TEST(report, a_breach_recorded_after_the_month_ended_still_counts_in_its_month) {
  job j("W03-000001", burst(), october.end() - 40min);
  j.act(action_kind::acknowledge, october.end() - 35min);
  j.fire(clock_kind::on_site, 3h, true);  // deadline 23:50; the engine was down until 02:50
  auto r = compute_report({j.rec}, october, station);
  ASSERT_EQ(r.breaches.size(), 1u);
  EXPECT_TRUE(r.breaches[0].on_recovery);
  EXPECT_EQ(r.breaches[0].late_ms, 10 * 60'000) << "late until the month's end; the rest is next month's news";
  EXPECT_FALSE(r.breaches[0].stopped);
}

TEST(report, a_month_does_not_change_once_it_is_over) {
  job j("W04-000001", door(), oct5);
  j.fire(clock_kind::acknowledge);
  j.fire(clock_kind::contact);
  auto before = compute_report({j.rec}, october, station);
  // November: the crew finally calls, reminders keep coming, the station re-routes nothing.
  j.remind(clock_kind::contact, october.end() + 1h);
  j.act(action_kind::acknowledge, october.end() + 2h);
  j.act(action_kind::contact, october.end() + 3h);
  auto after = compute_report({j.rec}, october, station);
  ASSERT_EQ(after.breaches.size(), before.breaches.size());
  EXPECT_EQ(after.breaches[1].late_ms, before.breaches[1].late_ms);
  EXPECT_EQ(after.breaches[1].reminders, before.breaches[1].reminders);
  EXPECT_EQ(after.total.to_contact_ms, before.total.to_contact_ms);
  EXPECT_EQ(after.total.contact.breached, 1);
}

TEST(report, a_retired_clock_is_not_judged_and_a_crews_hand_over_keeps_the_firm) {
  job j("W05-000001", door(), oct5);
  j.take(reclassify(j.rec.wo, {burst(), "", ""}, duty(), limits{},
                    oct5 + 5min));  // contact retired, on-site from acceptance
  j.act(action_kind::acknowledge, oct5 + 6min);
  j.act(action_kind::hand_over, oct5 + 8min);
  j.act(action_kind::arrive, oct5 + 28min, "应急站张师傅");
  auto r = compute_report({j.rec}, october, station);
  EXPECT_EQ(r.total.contact.total(), 0);
  EXPECT_EQ(r.total.on_site.met, 1);
  EXPECT_EQ(r.total.handed_over, 1);
  ASSERT_EQ(r.firms.size(), 1u);
  EXPECT_EQ(r.firms[0].name, "临客嘉物业");
}

TEST(report, a_job_only_the_station_held_counts_for_the_station) {
  resolution unknown;
  unknown.reason = "地址未能匹配";
  job j("W06-000001", burst(), oct5, unknown);
  auto r = compute_report({j.rec}, october, station);
  ASSERT_EQ(r.firms.size(), 1u);
  EXPECT_EQ(r.firms[0].name, station);
  EXPECT_EQ(r.communities[0].name, "（地址未识别）");
}

TEST(report, percentiles_and_the_worst_first) {
  EXPECT_EQ(median_of({5, 1, 3}), 3);
  EXPECT_EQ(median_of({4, 1, 3, 2}), 2);
  EXPECT_EQ(p90_of({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), 9);
  EXPECT_EQ(p90_of({7}), 7);
  EXPECT_FALSE(median_of({}));
  std::vector<group_stats> g(3);
  g[0].name = "甲";
  g[0].contact.breached = 1;
  g[0].contact.met = 9;
  g[1].name = "乙";
  g[1].contact.breached = 1;
  g[1].contact.met = 1;
  g[2].name = "丙";
  g[2].contact.met = 5;
  auto w = worst(g, 5);
  ASSERT_EQ(w.size(), 2u) << "no breach, not on the list";
  EXPECT_EQ(w[0]->name, "乙");
}

}  // namespace
}  // namespace halfhour::sla
