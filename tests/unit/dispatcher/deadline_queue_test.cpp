// The engine's deadline queue: per (clock kind, length) FIFO lanes for deadlines that arrive in
// order, a heap for those that do not (reminders, recovered or moved deadlines), and one merged
// due order out of both.
#include "dispatcher/deadline_queue.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace halfhour {
namespace {

using namespace std::chrono_literals;
using sla::clock_kind;

const sla::instant t0 = sla::from_ms(1'795'000'000'000);
constexpr auto all = std::numeric_limits<std::size_t>::max();

timer_entry entry(sla::instant at, std::string id, clock_kind kind = clock_kind::on_site,
                  sla::step s = sla::step::due) {
  return {at, std::move(id), kind, false, s, 0};
}

// "m3": a letter and a number (built by appending: g++ 12 warns falsely on "m" + std::to_string).
std::string name(char letter, int n) {
  std::string s(1, letter);
  s += std::to_string(n);
  return s;
}

std::vector<std::string> ids(const std::vector<timer_entry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.id);
  return out;
}

TEST(deadline_queue, an_empty_queue_has_nothing_next_and_nothing_due) {
  deadline_queue q;
  EXPECT_EQ(q.next(), std::nullopt);
  EXPECT_TRUE(q.pop_due(t0 + 24h, all).empty());
  EXPECT_EQ(q.size(), 0u);
}

TEST(deadline_queue, one_lane_gives_its_deadlines_back_first_in_first_out) {
  deadline_queue q;
  q.push(entry(t0 + 30min, "a"), 30min);
  q.push(entry(t0 + 31min, "b"), 30min);
  q.push(entry(t0 + 31min, "c"), 30min);  // the same instant: still in arrival order
  q.push(entry(t0 + 45min, "d"), 30min);
  EXPECT_EQ(q.next(), t0 + 30min);
  EXPECT_EQ(ids(q.pop_due(t0 + 1h, all)), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(q.size(), 0u);
}

TEST(deadline_queue, lanes_of_different_kinds_and_lengths_merge_in_due_order) {
  deadline_queue q;
  q.push(entry(t0 + 30min, "onsite-1"), 30min);
  q.push(entry(t0 + 15min, "ack-general", clock_kind::acknowledge), 15min);
  q.push(entry(t0 + 24h, "done-1", clock_kind::completion), 24h);
  q.push(entry(t0 + 1min + 10min, "ack-urgent", clock_kind::acknowledge), 10min);
  q.push(entry(t0 + 2min + 30min, "onsite-2"), 30min);
  q.push(entry(t0 + 20min, "warn-1", clock_kind::on_site, sla::step::warn), 20min);
  EXPECT_EQ(q.next(), t0 + 11min);
  EXPECT_EQ(ids(q.pop_due(t0 + 25h, all)),
            (std::vector<std::string>{"ack-urgent", "ack-general", "warn-1", "onsite-1", "onsite-2", "done-1"}));
}

TEST(deadline_queue, reminders_go_to_the_heap_and_come_out_in_due_order_whatever_order_they_went_in) {
  deadline_queue q;
  q.push(entry(t0 + 75min, "late", clock_kind::on_site, sla::step::renotify), 0ms);
  q.push(entry(t0 + 45min, "early", clock_kind::on_site, sla::step::renotify), 0ms);
  q.push(entry(t0 + 60min, "middle", clock_kind::contact, sla::step::renotify), 0ms);
  q.push(entry(t0 + 50min, "lane"), 30min);
  EXPECT_EQ(q.next(), t0 + 45min);
  EXPECT_EQ(ids(q.pop_due(t0 + 2h, all)), (std::vector<std::string>{"early", "lane", "middle", "late"}));
}

TEST(deadline_queue, pop_due_takes_only_what_is_due_by_now_earliest_first_and_at_most_max) {
  deadline_queue q;
  for (int i = 0; i < 5; ++i) q.push(entry(t0 + std::chrono::minutes{i}, name('m', i)), 30min);
  q.push(entry(t0 + 2min + 30s, "reminder", clock_kind::on_site, sla::step::renotify), 0ms);

  EXPECT_TRUE(q.pop_due(t0 - 1ms, all).empty()) << "nothing is due before its time";
  EXPECT_EQ(ids(q.pop_due(t0 + 3min, 2)), (std::vector<std::string>{"m0", "m1"})) << "at most max";
  EXPECT_EQ(ids(q.pop_due(t0 + 3min, all)), (std::vector<std::string>{"m2", "reminder", "m3"}))
      << "due at exactly now counts as due";
  EXPECT_EQ(q.next(), t0 + 4min);
  EXPECT_EQ(q.size(), 1u);
}

TEST(deadline_queue, size_of_counts_armed_steps_per_clock_kind_as_they_are_pushed_and_popped) {
  deadline_queue q;
  q.push(entry(t0 + 10min, "a", clock_kind::acknowledge), 10min);
  q.push(entry(t0 + 30min, "a", clock_kind::on_site), 30min);
  q.push(entry(t0 + 20min, "a", clock_kind::on_site, sla::step::warn), 20min);
  q.push(entry(t0 + 45min, "a", clock_kind::on_site, sla::step::renotify), 0ms);
  q.push(entry(t0 + 24h, "a", clock_kind::completion), 24h);
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(q.size_of(clock_kind::acknowledge), 1u);
  EXPECT_EQ(q.size_of(clock_kind::on_site), 3u);
  EXPECT_EQ(q.size_of(clock_kind::contact), 0u);
  EXPECT_EQ(q.size_of(clock_kind::completion), 1u);

  q.pop_due(t0 + 30min, all);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.size_of(clock_kind::acknowledge), 0u);
  EXPECT_EQ(q.size_of(clock_kind::on_site), 1u);  // the reminder
  EXPECT_EQ(q.size_of(clock_kind::completion), 1u);
}

TEST(deadline_queue, a_deadline_moved_earlier_than_its_lane_still_fires_in_due_order) {
  // A re-classification moves the completion deadline of an older job from 72 h to 24 h after
  // acceptance: earlier than the lane's last entry, so it cannot join the lane's tail.
  deadline_queue q;
  q.push(entry(t0 + 24h, "urgent-job", clock_kind::completion), 24h);
  q.push(entry(t0 + 1h + 24h, "later-job", clock_kind::completion), 24h);
  q.push(entry(t0 + 30min + 24h, "moved-job", clock_kind::completion), 24h);
  EXPECT_EQ(q.size_of(clock_kind::completion), 3u);
  EXPECT_EQ(ids(q.pop_due(t0 + 2h + 24h, all)), (std::vector<std::string>{"urgent-job", "moved-job", "later-job"}));
}

TEST(deadline_queue, a_moved_deadline_leaves_the_old_one_armed_for_the_firing_to_find_stale) {
  // The queue does not look for the entry a move replaces: the old instant still comes out,
  // and the state machine, seeing the clock's deadline moved, does nothing with it.
  deadline_queue q;
  q.push(entry(t0 + 72h, "job", clock_kind::completion), 72h);
  q.push(entry(t0 + 24h, "job", clock_kind::completion), 24h);  // moved to an urgent job's limit
  const auto due = q.pop_due(t0 + 72h, all);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].at, t0 + 24h);
  EXPECT_EQ(due[1].at, t0 + 72h);
}

TEST(deadline_queue, recovered_deadlines_in_any_order_come_out_sorted) {
  // On start-up the engine loads deadlines from Redis in no particular order, all into the heap.
  deadline_queue q;
  for (int m : {7, 3, 9, 1, 5}) {
    auto e = entry(t0 + std::chrono::minutes{m}, name('r', m));
    e.on_recovery = true;
    q.push(e, 0ms);
  }
  const auto due = q.pop_due(t0 + 10min, all);
  EXPECT_EQ(ids(due), (std::vector<std::string>{"r1", "r3", "r5", "r7", "r9"}));
  for (const auto& e : due) EXPECT_TRUE(e.on_recovery);
}

TEST(deadline_queue, staged_deadlines_are_armed_all_at_once_in_due_order_among_the_others) {
  deadline_queue q;
  q.push(entry(t0 + 4min, "live"), 30min);  // a ticket taken while the engine recovers
  for (int m : {7, 3, 9, 1, 5}) q.stage(entry(t0 + std::chrono::minutes{m}, name('r', m)));
  EXPECT_EQ(q.size(), 1u) << "staged is not armed yet";
  EXPECT_EQ(q.next(), t0 + 4min);
  EXPECT_EQ(ids(q.pop_due(t0 + 2min, all)), std::vector<std::string>{});
  q.commit_staged();
  EXPECT_EQ(q.size(), 6u);
  EXPECT_EQ(q.size_of(clock_kind::on_site), 6u);
  EXPECT_EQ(q.next(), t0 + 1min);
  q.push(entry(t0 + 6min, "moved"), 0ms);
  EXPECT_EQ(ids(q.pop_due(t0 + 10min, all)), (std::vector<std::string>{"r1", "r3", "live", "r5", "moved", "r7", "r9"}));

  // A recovery that failed half-way drops what it staged; the retry stages it all again.
  q.stage(entry(t0 + 20min, "half"));
  q.drop_staged();
  q.commit_staged();
  EXPECT_EQ(q.size(), 0u);
  EXPECT_FALSE(q.next());
}

}  // namespace
}  // namespace halfhour
