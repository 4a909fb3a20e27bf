// One incident reported through several doors becomes one job: which reports match, which
// must not, and what linking and splitting do to the job, its clocks and the reporters.
#include "sla/duplicates.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace halfhour::sla {
namespace {

using namespace std::chrono_literals;

const instant t0 = from_ms(1'795'000'000'000);
constexpr auto window = std::chrono::duration_cast<duration>(2h);

classification burst() { return {urgency::urgent, "burst_pipe", "水管爆裂水漫", {}, "", false}; }
classification door() { return {urgency::general, "door_lock", "门锁门禁对讲", {}, "", false}; }
classification unknown() { return {urgency::urgent, std::string(unclassified_code), "未分类", {}, "", false}; }

resolution at(std::string community, std::string building = "", std::string room = "") {
  resolution r;
  r.to = route::firm;
  r.community_name = std::move(community);
  r.committee = "凌四";
  r.firm = "临客嘉物业";
  r.building = std::move(building);
  r.room = std::move(room);
  return r;
}

ladder lad() {
  ladder l;
  l.station = "街道物业应急维修服务站";
  return l;
}

work_order job(std::string id, classification c, resolution r, instant when) {
  intake in{channel::hotline_12345, "HL-" + id,    {"张先生", "13800000001"},
            "5号楼水管爆了",        "丹桂苑5号楼", std::nullopt};
  return accept(in, std::move(id), std::move(c), std::move(r), lad(), limits{}, when).next;
}

// The index's pre-selection must never drop a job find_duplicate would link: over every mix of
// category, urgency, building and flat on both sides, could_repeat says yes exactly when the job,
// read and open, matches.
TEST(could_repeat, agrees_with_find_duplicate_on_every_combination) {
  const std::vector<classification> kinds{burst(), door(), unknown()};
  const std::vector<std::pair<std::string, std::string>> places{
      {"", ""}, {"5", ""}, {"5", "301"}, {"5", "302"}, {"6", "301"}};
  int linked = 0;
  for (const auto& report : kinds)
    for (const auto& [rb, rr] : places)
      for (const auto& earlier : kinds)
        for (const auto& [jb, jr] : places) {
          auto wo = job("W01-000001", earlier, at("丹桂苑", jb, jr), t0);
          const recent_job entry{wo.id, wo.cls.category, wo.cls.level, wo.where.building, wo.where.room};
          const bool found = find_duplicate(report, at("丹桂苑", rb, rr), {wo}, window, t0 + 1min).has_value();
          EXPECT_EQ(could_repeat(report, at("丹桂苑", rb, rr), entry), found)
              << report.category << " " << rb << "/" << rr << " vs " << earlier.category << " " << jb << "/" << jr;
          linked += found;
        }
  EXPECT_GT(linked, 20);  // the grid holds matches, not only refusals
}

TEST(find_duplicate, same_community_and_category_within_the_window_is_the_same_incident) {
  std::vector<work_order> open{job("W01-000001", burst(), at("丹桂苑", "5"), t0)};
  auto m = find_duplicate(burst(), at("丹桂苑", "5"), open, window, t0 + 20min);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->id, "W01-000001");
  EXPECT_NE(m->why.find("同一类别"), std::string::npos);
  EXPECT_NE(m->why.find("5号"), std::string::npos);
  // No building in the new report: it cannot be told apart, so it joins.
  EXPECT_TRUE(find_duplicate(burst(), at("丹桂苑"), open, window, t0 + 20min));
}

TEST(find_duplicate, another_building_category_or_community_is_not_merged) {
  std::vector<work_order> open{job("W01-000001", burst(), at("丹桂苑", "5"), t0)};
  EXPECT_FALSE(find_duplicate(burst(), at("丹桂苑", "7"), open, window, t0 + 1min));
  EXPECT_FALSE(find_duplicate(door(), at("丹桂苑", "5"), open, window, t0 + 1min));
  EXPECT_FALSE(find_duplicate(burst(), at("海富花园", "5"), open, window, t0 + 1min));
}

TEST(find_duplicate, outside_the_window_closed_jobs_and_unplaced_reports_are_not_merged) {
  auto done = job("W01-000002", burst(), at("丹桂苑", "5"), t0);
  done.state = wo_state::done;
  std::vector<work_order> open{job("W01-000001", burst(), at("丹桂苑", "5"), t0), done};
  EXPECT_FALSE(find_duplicate(burst(), at("丹桂苑", "5"), open, window, t0 + 2h + 1s));
  EXPECT_FALSE(find_duplicate(burst(), at("丹桂苑", "5"), {done}, window, t0 + 1min));
  resolution station;  // the resolver could not place it
  EXPECT_FALSE(find_duplicate(burst(), station, open, window, t0 + 1min));
  EXPECT_FALSE(find_duplicate(burst(), at("丹桂苑", "5"), open, duration::zero(), t0 + 1min)) << "window 0: off";
}

TEST(find_duplicate, an_urgent_report_never_joins_a_general_job_but_a_general_one_joins_an_urgent_job) {
  classification drip{urgency::general, "burst_pipe", "水管爆裂水漫", {}, "", false};
  std::vector<work_order> general_open{job("W01-000001", drip, at("丹桂苑", "5"), t0)};
  EXPECT_FALSE(find_duplicate(burst(), at("丹桂苑", "5"), general_open, window, t0 + 1min));
  std::vector<work_order> urgent_open{job("W01-000002", burst(), at("丹桂苑", "5"), t0)};
  EXPECT_TRUE(find_duplicate(drip, at("丹桂苑", "5"), urgent_open, window, t0 + 1min));
}

TEST(find_duplicate, the_same_flat_joins_when_one_report_could_not_be_categorised) {
  std::vector<work_order> open{job("W01-000001", burst(), at("丹桂苑", "5", "301"), t0)};
  auto m = find_duplicate(unknown(), at("丹桂苑", "5", "301"), open, window, t0 + 5min);
  ASSERT_TRUE(m);
  EXPECT_NE(m->why.find("同一户"), std::string::npos);
  EXPECT_FALSE(find_duplicate(unknown(), at("丹桂苑", "5", "302"), open, window, t0 + 5min));
  EXPECT_FALSE(find_duplicate(unknown(), at("丹桂苑", "5"), open, window, t0 + 5min));
}

TEST(find_duplicate, prefers_the_same_flat_then_building_then_the_oldest) {
  std::vector<work_order> open{job("W01-000003", burst(), at("丹桂苑"), t0 + 2min),
                               job("W01-000002", burst(), at("丹桂苑"), t0 + 1min),
                               job("W01-000004", burst(), at("丹桂苑", "5"), t0 + 3min),
                               job("W01-000005", burst(), at("丹桂苑", "5", "301"), t0 + 4min)};
  EXPECT_EQ(find_duplicate(burst(), at("丹桂苑", "5", "301"), open, window, t0 + 10min)->id, "W01-000005");
  EXPECT_EQ(find_duplicate(burst(), at("丹桂苑", "5", "402"), open, window, t0 + 10min)->id, "W01-000004");
  EXPECT_EQ(find_duplicate(burst(), at("丹桂苑"), open, window, t0 + 10min)->id, "W01-000002");
}

intake wechat_report() {
  return {channel::wechat,
          "wx-778",
          {"5号楼李阿姨", ""},
          "楼道里水管爆了",
          "丹桂苑",
          std::nullopt,
          {"https://img.example.cn/a.jpg"},
          {}};
}

TEST(link, records_the_reporter_without_touching_the_clocks) {
  auto wo = job("W01-000001", burst(), at("丹桂苑", "5"), t0);
  auto d = link(wo, wechat_report(), "wechat:wx-778", "同一小区、同一类别", t0 + 3min);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d.next.linked.size(), 1u);
  EXPECT_EQ(d.next.linked[0].key, "wechat:wx-778");
  EXPECT_EQ(d.next.linked[0].at, t0 + 3min);
  EXPECT_EQ(d.next.linked[0].photos.size(), 1u);
  EXPECT_EQ(d.next.clocks, wo.clocks);
  EXPECT_TRUE(d.arm.empty());
  EXPECT_TRUE(d.cancel.empty());
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].kind, event_kind::linked);
  EXPECT_TRUE(d.notify.empty()) << "only a 12345 ticket has someone to tell";

  auto again = link(d.next, wechat_report(), "wechat:wx-778", "同一小区、同一类别", t0 + 4min);
  EXPECT_TRUE(again.duplicate);
  EXPECT_FALSE(again.changed());
}

TEST(link, a_linked_hotline_ticket_hears_the_job_status_now_and_its_progress_later) {
  auto wo = job("W01-000001", burst(), at("丹桂苑", "5"), t0);
  intake hl{channel::hotline_12345, "HL-2",        {"王女士", "13900000002"},
            "丹桂苑5号楼水管爆裂",  "丹桂苑5号楼", std::nullopt};
  auto d = link(wo, hl, "12345:HL-2", "同一小区", t0 + 2min);
  ASSERT_EQ(d.notify.size(), 1u);
  EXPECT_EQ(d.notify[0].to, recipient::hotline);
  EXPECT_EQ(d.notify[0].ref, "HL-2");
  EXPECT_NE(d.notify[0].text.find("W01-000001"), std::string::npos);
  EXPECT_NE(d.notify[0].text.find("已派单"), std::string::npos);

  action arrive{
      .kind = action_kind::arrive, .actor = "王师傅", .actor_id = "13700000000", .organisation = "临客嘉物业"};
  auto a = apply(d.next, arrive, "街道物业应急维修服务站", t0 + 20min);
  std::vector<std::string> refs;
  for (const auto& n : a.notify)
    if (n.to == recipient::hotline && n.kind == "on_site") refs.push_back(n.ref);
  std::sort(refs.begin(), refs.end());
  EXPECT_EQ(refs, (std::vector<std::string>{"HL-2", "HL-W01-000001"}));
}

TEST(unlink, splits_a_report_off_into_its_own_job_with_clocks_from_when_it_came_in) {
  auto wo = job("W01-000001", burst(), at("丹桂苑", "5"), t0);
  auto linked = link(wo, wechat_report(), "wechat:wx-778", "同一小区", t0 + 3min).next;
  member op{"13600000000", "值班员小赵", "街道物业应急维修服务站", role::station};

  auto u = unlink(linked, "wechat:wx-778", op, t0 + 40min);
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u.next.linked.empty());
  EXPECT_EQ(u.events.at(0).kind, event_kind::unlinked);
  EXPECT_EQ(u.next.clocks, wo.clocks);
  EXPECT_FALSE(unlink(u.next, "wechat:wx-778", op, t0 + 41min).ok()) << "nothing left to split";

  auto s = split_off(linked.linked[0], "W01-000001", "W02-000009", burst(), at("丹桂苑", "7"), op, lad(), limits{},
                     t0 + 40min);
  EXPECT_EQ(s.next.accepted_at, t0 + 3min);
  EXPECT_EQ(s.next.find(clock_kind::on_site)->deadline, t0 + 33min) << "already breached: the firm gains no time";
  EXPECT_EQ(s.next.source, channel::wechat);
  EXPECT_EQ(s.next.photos.size(), 1u);
  EXPECT_EQ(s.events.back().kind, event_kind::unlinked);
  EXPECT_NE(s.events.back().note.find("W01-000001"), std::string::npos);
}

TEST(link, past_the_kept_reports_the_rest_are_counted_and_their_hotline_tickets_still_hear_progress) {
  auto wo = job("W01-000001", burst(), at("丹桂苑", "5"), t0);
  intake long_post = wechat_report();
  long_post.content = std::string(3000, 'x');
  wo = link(wo, long_post, "wechat:long", "同一小区", t0 + 1min, 2).next;
  EXPECT_LE(wo.linked[0].content.size(), linked_text_limit + 32) << "a report's text is clipped";
  intake hl{channel::hotline_12345, "HL-8", {"王女士", "13900000002"}, "水管爆裂", "丹桂苑5号楼", std::nullopt};
  wo = link(wo, hl, "12345:HL-8", "同一小区", t0 + 2min, 2).next;
  hl.external_no = "HL-9";
  auto counted = link(wo, hl, "12345:HL-9", "同一小区", t0 + 3min, 2);
  ASSERT_TRUE(counted.changed());
  EXPECT_EQ(counted.next.linked.size(), 2u);
  EXPECT_EQ(counted.next.linked_count(), 3u);
  EXPECT_EQ(counted.next.linked_more_tickets, (std::vector<std::string>{"HL-9"}));
  EXPECT_EQ(counted.notify.size(), 1u) << "the hotline hears at once that it joined";
  EXPECT_TRUE(link(counted.next, hl, "12345:HL-9", "同一小区", t0 + 4min, 2).duplicate);

  action done{
      .kind = action_kind::complete, .actor = "王师傅", .actor_id = "13700000000", .organisation = "临客嘉物业"};
  auto a = apply(counted.next, done, "街道物业应急维修服务站", t0 + 50min);
  std::vector<std::string> refs;
  for (const auto& n : a.notify)
    if (n.to == recipient::hotline) refs.push_back(n.ref);
  std::sort(refs.begin(), refs.end());
  EXPECT_EQ(refs, (std::vector<std::string>{"HL-8", "HL-9", "HL-W01-000001"}));
}

TEST(unlink, a_job_knows_the_job_it_was_split_off) {
  auto wo = job("W01-000001", burst(), at("丹桂苑", "5"), t0);
  auto linked = link(wo, wechat_report(), "wechat:wx-778", "同一小区", t0 + 3min).next;
  member op{"13600000000", "值班员小赵", "街道物业应急维修服务站", role::station};
  auto s = split_off(linked.linked[0], "W01-000001", "W02-000009", burst(), at("丹桂苑", "7"), op, lad(), limits{},
                     t0 + 40min);
  EXPECT_TRUE(split_from(s.events, "W01-000001"));
  EXPECT_FALSE(split_from(s.events, "W01-00000"));
  EXPECT_FALSE(split_from(s.events, "W03-000001"));
}

}  // namespace
}  // namespace halfhour::sla
