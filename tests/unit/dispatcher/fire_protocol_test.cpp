// The firing protocol step by step, with hand-made answers from the store: a breach written
// fenced by its step, a step fired elsewhere, lost races, the store away, unknown work orders.
#include "dispatcher/fire_protocol.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "adapters/errors.hpp"
#include "tests/unit/dispatcher/fixtures.hpp"

namespace halfhour {

using fire_kind = fire_protocol::action::kind;
using ending = fire_protocol::action::ending;

void PrintTo(fire_kind k, std::ostream* os) {
  constexpr const char* names[] = {"load", "write", "wait", "requeue", "done"};
  *os << names[static_cast<int>(k)];
}

void PrintTo(ending e, std::ostream* os) {
  constexpr const char* names[] = {"fired", "nothing", "stale", "unknown_order"};
  *os << names[static_cast<int>(e)];
}

namespace {

using namespace std::chrono_literals;
using namespace testing;
using p = fire_protocol;

const sla::ladder lad = ladder();
const std::string id = "W01-000001";
const auto away = make_error_code(errc::unavailable);

// The on-site deadline of the job accepted at t0, coming due at t0 + 30 min.
timer_entry on_site(bool on_recovery = false) {
  return {t0 + 30min, id, sla::clock_kind::on_site, on_recovery, sla::step::due, 0};
}

stored_order stored(sla::work_order wo) { return {std::move(wo), {}, {}}; }

bool breached(const sla::decision& d) {
  return std::any_of(d.events.begin(), d.events.end(),
                     [](const sla::event& e) { return e.kind == sla::event_kind::clock_breached; });
}

TEST(fire_protocol, a_due_step_is_read_decided_and_written_fenced_by_itself) {
  fire_protocol proto(on_site(), lad);
  auto a = proto.resume(p::start{});
  ASSERT_EQ(a.what, fire_kind::load);
  const auto wo = job(id, t0);
  a = proto.resume(p::loaded{stored(wo), t0 + 30min + 4ms});
  ASSERT_EQ(a.what, fire_kind::write);
  EXPECT_EQ(proto.take_before(), wo);
  EXPECT_EQ(a.firing, (sla::deadline{sla::clock_kind::on_site, t0 + 30min, sla::step::due, 0}));
  EXPECT_TRUE(breached(proto.decision()));
  a = proto.resume(p::written{std::int64_t{2}});
  ASSERT_EQ(a.what, fire_kind::done);
  EXPECT_EQ(a.end, ending::fired);
  EXPECT_TRUE(breached(proto.decision()));
  EXPECT_EQ(proto.decision().next.version, 2);
}

TEST(fire_protocol, the_decision_is_made_at_the_moment_the_order_was_read) {
  fire_protocol proto(on_site(true), lad);
  proto.resume(p::start{});
  auto a = proto.resume(p::loaded{stored(job(id, t0)), t0 + 45min});
  ASSERT_EQ(a.what, fire_kind::write);
  const auto& events = proto.decision().events;
  auto breach = std::find_if(events.begin(), events.end(),
                             [](const sla::event& e) { return e.kind == sla::event_kind::clock_breached; });
  ASSERT_NE(breach, events.end());
  EXPECT_EQ(breach->late_ms, std::chrono::milliseconds(15min).count());
  EXPECT_TRUE(breach->on_recovery);
}

TEST(fire_protocol, a_step_fired_elsewhere_is_stale_and_done) {
  fire_protocol proto(on_site(), lad);
  proto.resume(p::start{});
  proto.resume(p::loaded{stored(job(id, t0)), t0 + 30min});
  auto a = proto.resume(p::written{make_error_code(errc::stale)});
  ASSERT_EQ(a.what, fire_kind::done);
  EXPECT_EQ(a.end, ending::stale);
}

TEST(fire_protocol, a_step_that_changes_and_moves_nothing_is_not_written) {
  fire_protocol proto(on_site(), lad);
  proto.resume(p::start{});
  auto a = proto.resume(p::loaded{stored(job(id, t0)), t0 + 29min});  // early: a clock jumped back
  ASSERT_EQ(a.what, fire_kind::done);
  EXPECT_EQ(a.end, ending::nothing);
}

// A warning of a clock that stopped says nothing, but its step must still leave the deadline set.
TEST(fire_protocol, a_warning_of_a_stopped_clock_is_written_to_disarm_it) {
  auto wo = job(id, t0);
  sla::action arrive{
      .kind = sla::action_kind::arrive, .actor = "李师傅", .actor_id = "13900000001", .organisation = firm};
  auto arrived = sla::apply(wo, arrive, station, t0 + 12min);
  ASSERT_TRUE(arrived.ok());
  arrived.next.version = 2;
  fire_protocol proto({t0 + 20min, id, sla::clock_kind::on_site, false, sla::step::warn, 0}, lad);
  proto.resume(p::start{});
  auto a = proto.resume(p::loaded{stored(arrived.next), t0 + 20min});
  ASSERT_EQ(a.what, fire_kind::write);
  EXPECT_TRUE(proto.decision().events.empty());
  EXPECT_FALSE(proto.decision().cancel.empty());
}

TEST(fire_protocol, a_lost_race_reads_and_decides_again_on_what_the_winner_left) {
  fire_protocol proto(on_site(), lad);
  proto.resume(p::start{});
  proto.resume(p::loaded{stored(job(id, t0)), t0 + 30min});
  auto a = proto.resume(p::written{make_error_code(errc::conflict)});
  ASSERT_EQ(a.what, fire_kind::load);
  // The crew arrived just before the deadline: nothing to breach any more.
  auto wo = job(id, t0);
  sla::action arrive{
      .kind = sla::action_kind::arrive, .actor = "李师傅", .actor_id = "13900000001", .organisation = firm};
  auto arrived = sla::apply(wo, arrive, station, t0 + 29min).next;
  a = proto.resume(p::loaded{stored(arrived), t0 + 30min});
  EXPECT_FALSE(a.what == fire_kind::write && breached(proto.decision()));
}

TEST(fire_protocol, a_record_that_keeps_moving_is_left_for_a_later_try_after_eight_reads) {
  fire_protocol proto(on_site(), lad);
  auto a = proto.resume(p::start{});
  int reads = 0;
  while (a.what == fire_kind::load) {
    ++reads;
    a = proto.resume(p::loaded{stored(job(id, t0)), t0 + 30min});
    ASSERT_EQ(a.what, fire_kind::write);
    a = proto.resume(p::written{make_error_code(errc::conflict)});
  }
  EXPECT_EQ(reads, 8);
  ASSERT_EQ(a.what, fire_kind::wait);
  EXPECT_EQ(a.delay, 500ms);
  EXPECT_FALSE(a.store_error);
  a = proto.resume(p::waited{});
  EXPECT_EQ(a.what, fire_kind::requeue);
}

TEST(fire_protocol, the_store_away_on_reading_waits_and_puts_the_entry_back) {
  fire_protocol proto(on_site(), lad);
  proto.resume(p::start{});
  auto a = proto.resume(p::loaded{away, t0 + 30min});
  ASSERT_EQ(a.what, fire_kind::wait);
  EXPECT_EQ(a.delay, 500ms);
  EXPECT_TRUE(a.store_error);
  EXPECT_EQ(proto.resume(p::waited{}).what, fire_kind::requeue);
}

TEST(fire_protocol, the_store_away_on_writing_waits_and_puts_the_entry_back) {
  fire_protocol proto(on_site(), lad);
  proto.resume(p::start{});
  proto.resume(p::loaded{stored(job(id, t0)), t0 + 30min});
  auto a = proto.resume(p::written{make_error_code(errc::timeout)});
  ASSERT_EQ(a.what, fire_kind::wait);
  EXPECT_TRUE(a.store_error);
  EXPECT_EQ(proto.resume(p::waited{}).what, fire_kind::requeue);
}

TEST(fire_protocol, a_deadline_of_a_work_order_the_store_does_not_have_is_dropped) {
  fire_protocol proto(on_site(), lad);
  proto.resume(p::start{});
  auto a = proto.resume(p::loaded{make_error_code(errc::not_found), t0 + 30min});
  ASSERT_EQ(a.what, fire_kind::done);
  EXPECT_EQ(a.end, ending::unknown_order);
}

TEST(fire_protocol, an_event_it_did_not_ask_for_is_a_broken_driver) {
  fire_protocol proto(on_site(), lad);
  EXPECT_THROW(proto.resume(p::waited{}), std::logic_error);
  proto.resume(p::start{});
  EXPECT_THROW(proto.resume(p::written{std::int64_t{2}}), std::logic_error);
  proto.resume(p::loaded{make_error_code(errc::not_found), t0});
  EXPECT_THROW(proto.resume(p::start{}), std::logic_error);
}

}  // namespace
}  // namespace halfhour
