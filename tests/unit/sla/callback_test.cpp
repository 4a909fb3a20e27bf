// Call-backs after 完工 (回访): the first settled answer counts, 不满意 sends the job back to its
// firm on a re-do clock of working days, 不满意 again is the centre's case with no third clock.
#include <gtest/gtest.h>

#include <algorithm>

#include "sla/machine.hpp"
#include "sla/report.hpp"
#include "tests/unit/sla/jobs.hpp"
#include "tests/unit/sla/shanghai_days.hpp"

namespace halfhour::sla {
namespace {

using testing::sh;

using namespace std::chrono_literals;

using testing::station;

constexpr auto lad = &testing::station_and_centre;

const instant taken = sh(2026, 11, 2, 9, 0);  // a Monday

// A general repair on a 12345 ticket, taken at 09:00 and done by 11:00.
work_order done_job() {
  classification cls;
  cls.level = urgency::general;
  cls.category = "door_lock";
  cls.category_name = "门锁门禁对讲";
  const auto where = testing::firm_route();
  intake in{channel::hotline_12345, "12345-1102", {"李先生", "13800000001"}, "单元门禁坏了", "丹桂苑"};
  auto wo = accept(in, "W11-000001", cls, where, lad(), limits{}, taken).next;
  action done{action_kind::complete, "李师傅", "13900000002", "临客嘉物业", role::crew, "", "r-done"};
  auto d = apply(wo, done, station, taken + 2h);
  EXPECT_TRUE(d.ok()) << d.refused;
  return d.next;
}

callback answer(rating r, std::string request_id, instant called) {
  return {r, called, "12345回访", "", std::move(request_id)};
}

const event* find(const decision& d, event_kind k) {
  const auto it = std::find_if(d.events.begin(), d.events.end(), [&](const event& e) { return e.kind == k; });
  return it == d.events.end() ? nullptr : &*it;
}

TEST(callback, a_satisfied_answer_settles_the_job_and_later_answers_are_recorded_only) {
  const auto wo = done_job();
  const auto first = rate(wo, answer(rating::satisfied, "cb-1", taken + 1h * 24), lad(), limits{}, taken + 25h);
  ASSERT_TRUE(first.ok()) << first.refused;
  EXPECT_EQ(first.next.settled, rating::satisfied);
  ASSERT_NE(find(first, event_kind::rated), nullptr);
  EXPECT_EQ(find(first, event_kind::rated)->outcome, rating::satisfied);
  const auto later = rate(first.next, answer(rating::dissatisfied, "cb-2", taken + 30h), lad(), limits{}, taken + 30h);
  EXPECT_EQ(later.next.settled, rating::satisfied) << "the first settled answer counts";
  EXPECT_EQ(later.next.state, wo_state::done) << "a later 不满意 reopens nothing";
  EXPECT_NE(find(later, event_kind::rated)->note.find("本次仅记录"), std::string::npos);
}

TEST(callback, an_unreached_call_settles_nothing_and_the_next_answer_counts) {
  const auto wo = done_job();
  const auto missed = rate(wo, answer(rating::unreached, "cb-1", taken + 24h), lad(), limits{}, taken + 24h);
  EXPECT_FALSE(missed.next.settled);
  EXPECT_EQ(find(missed, event_kind::rated)->note.find("本次仅记录"), std::string::npos);
  const auto reached =
      rate(missed.next, answer(rating::basically_satisfied, "cb-2", taken + 26h), lad(), limits{}, taken + 26h);
  EXPECT_EQ(reached.next.settled, rating::basically_satisfied);
}

TEST(callback, dissatisfied_reopens_the_job_with_its_firm_on_a_redo_clock_of_three_working_days) {
  const auto wo = done_job();
  const instant friday = sh(2026, 11, 6, 15, 0);
  const auto d = rate(wo, answer(rating::dissatisfied, "cb-1", friday), lad(), limits{}, friday);
  ASSERT_TRUE(d.ok()) << d.refused;
  EXPECT_EQ(d.next.state, wo_state::reopened);
  EXPECT_EQ(d.next.holder, "临客嘉物业");
  EXPECT_EQ(d.next.redo_rounds, 1);
  EXPECT_FALSE(d.next.settled) << "the re-do is rated on its own";
  const auto* redo = d.next.find(clock_kind::redo);
  ASSERT_NE(redo, nullptr);
  EXPECT_EQ(redo->working_days, 3);
  EXPECT_EQ(redo->deadline, sh(2026, 11, 11, 17, 30)) << "Monday, Tuesday, Wednesday";
  ASSERT_NE(find(d, event_kind::reopened), nullptr);
  std::vector<recipient> told;
  for (const auto& n : d.notify) told.push_back(n.to);
  EXPECT_EQ(told, (std::vector<recipient>{recipient::holder, recipient::committee, recipient::hotline}));
  EXPECT_EQ(d.notify.back().ref, "12345-1102");
  EXPECT_NE(d.notify.front().text.find("【重办】"), std::string::npos) << d.notify.front().text;
  EXPECT_TRUE(std::any_of(d.arm.begin(), d.arm.end(),
                          [&](const deadline& a) { return a.kind == clock_kind::redo && a.at == redo->deadline; }));
}

TEST(callback, the_firm_takes_the_redo_again_and_completing_it_stops_the_redo_clock) {
  auto wo = rate(done_job(), answer(rating::dissatisfied, "cb-1", taken + 24h), lad(), limits{}, taken + 24h).next;
  action ack{action_kind::acknowledge, "李师傅", "13900000002", "临客嘉物业", role::crew, "", "r-ack2"};
  auto taken_again = apply(wo, ack, station, taken + 25h);
  ASSERT_TRUE(taken_again.ok()) << taken_again.refused;
  EXPECT_EQ(taken_again.next.state, wo_state::acknowledged);
  action done{action_kind::complete, "李师傅", "13900000002", "临客嘉物业", role::crew, "", "r-done2"};
  auto redone = apply(taken_again.next, done, station, taken + 27h);
  ASSERT_TRUE(redone.ok()) << redone.refused;
  EXPECT_EQ(redone.next.state, wo_state::done);
  EXPECT_TRUE(redone.next.find(clock_kind::redo)->stopped);
  EXPECT_FALSE(redone.next.find(clock_kind::redo)->breached);
}

TEST(callback, dissatisfied_again_after_the_redo_is_the_centres_case_with_no_third_clock) {
  auto wo = rate(done_job(), answer(rating::dissatisfied, "cb-1", taken + 24h), lad(), limits{}, taken + 24h).next;
  action done{action_kind::complete, "李师傅", "13900000002", "临客嘉物业", role::crew, "", "r-done2"};
  wo = apply(wo, done, station, taken + 27h).next;
  const auto d = rate(wo, answer(rating::dissatisfied, "cb-2", taken + 50h), lad(), limits{}, taken + 50h);
  EXPECT_EQ(d.next.state, wo_state::done);
  EXPECT_TRUE(d.next.supervised);
  ASSERT_NE(find(d, event_kind::supervised), nullptr);
  ASSERT_EQ(d.notify.size(), 1u);
  EXPECT_EQ(d.notify[0].to, recipient::centre);
  EXPECT_NE(d.notify[0].text.find("【督办】"), std::string::npos);
  EXPECT_TRUE(d.arm.empty()) << "no third clock";
  EXPECT_EQ(std::count_if(d.next.clocks.begin(), d.next.clocks.end(),
                          [](const clock& c) { return c.kind == clock_kind::redo; }),
            1);
}

TEST(callback, a_job_not_yet_done_is_refused_and_a_retry_is_applied_once) {
  classification cls;
  cls.level = urgency::general;
  cls.category_name = "门锁门禁对讲";
  intake in{channel::hotline_12345, "12345-2", {"李先生", "13800000001"}, "门禁坏了", ""};
  const auto open = accept(in, "W11-000002", cls, resolution{}, lad(), limits{}, taken).next;
  EXPECT_FALSE(rate(open, answer(rating::satisfied, "cb-1", taken), lad(), limits{}, taken + 1h).ok());
  const auto first = rate(done_job(), answer(rating::dissatisfied, "cb-9", taken + 24h), lad(), limits{}, taken + 24h);
  const auto again = rate(first.next, answer(rating::dissatisfied, "cb-9", taken + 24h), lad(), limits{}, taken + 25h);
  EXPECT_TRUE(again.duplicate);
  EXPECT_FALSE(again.changed());
}

TEST(callback, a_missed_redo_is_a_breach_in_the_monthly_report) {
  const auto wo = done_job();
  auto d = rate(wo, answer(rating::dissatisfied, "cb-1", taken + 24h), lad(), limits{}, taken + 24h);
  std::vector<event> history = d.events;
  const auto due = d.next.find(clock_kind::redo)->deadline;
  auto breach = on_deadline(d.next, deadline{clock_kind::redo, due}, due + 1s, false, lad());
  history.insert(history.end(), breach.events.begin(), breach.events.end());
  ASSERT_TRUE(breach.next.find(clock_kind::redo)->breached);
  const auto r = compute_report({{breach.next, history}}, month{2026, 11}, station);
  EXPECT_EQ(r.total.redo.breached, 1);
  ASSERT_EQ(r.breaches.size(), 1u);
  EXPECT_EQ(r.breaches[0].clock, clock_kind::redo);
}

// Two jobs done on 2 November: one rated 未接通 then 满意 then 不满意 (kept only), the other 不满意
// (sent back, done again, 基本满意). Hand-computed: 3 answers settled (满意, 不满意, 基本满意), one
// re-do; 满意率 1/3, 满意+基本满意 2/3, 解决率 2/3, 重办率 1/3.
TEST(callback, the_rates_count_the_first_answer_reached_after_each_completion) {
  std::vector<order_record> records;
  auto record = [&](work_order wo, std::vector<decision> steps) {
    order_record r{std::move(wo), {}};
    for (auto& d : steps) {
      r.history.insert(r.history.end(), d.events.begin(), d.events.end());
      r.wo = d.next;
    }
    records.push_back(std::move(r));
  };
  auto first = done_job();
  auto a1 = rate(first, answer(rating::unreached, "a1", taken + 24h), lad(), limits{}, taken + 24h);
  auto a2 = rate(a1.next, answer(rating::satisfied, "a2", taken + 25h), lad(), limits{}, taken + 25h);
  auto a3 = rate(a2.next, answer(rating::dissatisfied, "a3", taken + 26h), lad(), limits{}, taken + 26h);
  decision done_event{.next = first};
  done_event.events.push_back({.kind = event_kind::completed, .at = taken + 2h});
  record(first, {done_event, a1, a2, a3});

  auto second = done_job();
  second.id = "W11-000009";
  auto b1 = rate(second, answer(rating::dissatisfied, "b1", taken + 24h), lad(), limits{}, taken + 24h);
  action done{action_kind::complete, "李师傅", "13900000002", "临客嘉物业", role::crew, "", "r-done2"};
  auto b2 = apply(b1.next, done, station, taken + 30h);
  auto b3 = rate(b2.next, answer(rating::basically_satisfied, "b3", taken + 40h), lad(), limits{}, taken + 40h);
  decision done_first{.next = second};
  done_first.events.push_back({.kind = event_kind::completed, .at = taken + 2h});
  record(second, {done_first, b1, b2, b3});

  const auto r = compute_report(records, month{2026, 11}, station);
  EXPECT_EQ(r.total.rated, 3);
  EXPECT_EQ(r.total.satisfied, 1);
  EXPECT_EQ(r.total.basically_satisfied, 1);
  EXPECT_EQ(r.total.dissatisfied, 1);
  EXPECT_EQ(r.total.reopened, 1);
  EXPECT_DOUBLE_EQ(*r.total.satisfaction_rate(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(*r.total.content_rate(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(*r.total.resolution_rate(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(*r.total.redo_rate(), 1.0 / 3);
  EXPECT_FALSE(compute_report({}, month{2026, 11}, station).total.satisfaction_rate()) << "nothing rated: none";
}

TEST(callback, a_job_being_done_again_keeps_its_redo_clock_when_its_call_is_corrected) {
  const auto wo =
      rate(done_job(), answer(rating::dissatisfied, "cb-1", taken + 24h), lad(), limits{}, taken + 24h).next;
  classification complaint;
  complaint.kind = request_kind::complaint;
  complaint.level = urgency::general;
  complaint.category = "complaint_staff";
  complaint.category_name = "服务态度";
  const member duty{"13600000000", "值班员", std::string(station), role::station};
  const auto d = reclassify(wo, {complaint, "其实是投诉态度", "rc-1"}, duty, limits{}, taken + 25h);
  ASSERT_TRUE(d.ok()) << d.refused;
  EXPECT_TRUE(d.next.find(clock_kind::redo)->running());
  EXPECT_NE(d.next.find(clock_kind::first_contact), nullptr);
}

}  // namespace
}  // namespace halfhour::sla
