// One decision on one work order, step by step: who may act, duplicates and refusals answered
// without a write, the write checked by version and decided again on a lost race.
#include "dispatcher/transition_protocol.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <stdexcept>

#include "adapters/errors.hpp"
#include "tests/unit/dispatcher/fixtures.hpp"

namespace halfhour {

using transition_kind = transition_protocol::action::kind;

void PrintTo(transition_kind k, std::ostream* os) {
  constexpr const char* names[] = {"load", "write", "answer", "fail"};
  *os << names[static_cast<int>(k)];
}

void PrintTo(act_outcome::kind k, std::ostream* os) {
  constexpr const char* names[] = {"applied", "duplicate", "refused", "forbidden", "moved", "not_found"};
  *os << names[static_cast<int>(k)];
}

namespace {

using namespace std::chrono_literals;
using namespace testing;
using p = transition_protocol;

const std::string id = "W01-000001";
const sla::member crew{"13900000001", "李师傅", firm, sla::role::crew};
const sla::member stranger{"13900000002", "赵师傅", "另一家物业", sla::role::crew};

stored_order stored(sla::work_order wo) { return {std::move(wo), {}, {}}; }

// The crew's acknowledgement, decided at the moment the job was read.
p::decide_fn acknowledge(int* decided = nullptr) {
  return [decided](const sla::work_order& wo, sla::instant now) {
    if (decided) ++*decided;
    sla::action a{.kind = sla::action_kind::acknowledge,
                  .actor = crew.name,
                  .actor_id = crew.id,
                  .organisation = crew.organisation};
    return sla::apply(wo, a, station, now);
  };
}

TEST(transition_protocol, an_allowed_action_is_read_decided_and_written) {
  transition_protocol proto(id, crew, acknowledge());
  auto a = proto.resume(p::start{});
  ASSERT_EQ(a.what, transition_kind::load);
  EXPECT_EQ(a.id, id);
  const auto wo = job(id, t0);
  a = proto.resume(p::loaded{stored(wo), t0 + 3min});
  ASSERT_EQ(a.what, transition_kind::write);
  EXPECT_EQ(proto.take_before(), wo);
  EXPECT_EQ(proto.decision().next.state, sla::wo_state::acknowledged);
  ASSERT_FALSE(proto.decision().events.empty());
  EXPECT_EQ(proto.decision().events.front().at, t0 + 3min);
  const auto arms = proto.decision().arm;
  const auto told = proto.decision().notify.size();
  a = proto.resume(p::written{std::int64_t{2}});
  ASSERT_EQ(a.what, transition_kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, act_outcome::kind::applied);
  EXPECT_EQ(out.order.wo.version, 2);
  EXPECT_EQ(out.order.wo.state, sla::wo_state::acknowledged);
  EXPECT_FALSE(out.order.history.empty());
  EXPECT_EQ(proto.decision().arm, arms);  // what the write armed and owes stays for the engine
  EXPECT_EQ(proto.decision().notify.size(), told);
}

TEST(transition_protocol, a_work_order_that_is_not_there_is_answered_not_found) {
  transition_protocol proto(id, crew, acknowledge());
  proto.resume(p::start{});
  auto a = proto.resume(p::loaded{make_error_code(errc::not_found), t0});
  ASSERT_EQ(a.what, transition_kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, act_outcome::kind::not_found);
}

TEST(transition_protocol, a_read_the_store_cannot_answer_fails) {
  transition_protocol proto(id, crew, acknowledge());
  proto.resume(p::start{});
  auto a = proto.resume(p::loaded{make_error_code(errc::unavailable), t0});
  ASSERT_EQ(a.what, transition_kind::fail);
  EXPECT_EQ(a.error, make_error_code(errc::unavailable));
}

TEST(transition_protocol, another_organisations_crew_is_forbidden_and_nothing_is_decided) {
  int decided = 0;
  transition_protocol proto(id, stranger, acknowledge(&decided));
  proto.resume(p::start{});
  auto a = proto.resume(p::loaded{stored(job(id, t0)), t0});
  ASSERT_EQ(a.what, transition_kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, act_outcome::kind::forbidden);
  EXPECT_EQ(out.order.wo.id, "");  // nothing of another organisation's job
  EXPECT_EQ(decided, 0);
}

TEST(transition_protocol, a_crew_whose_job_moved_is_told_who_holds_it_now) {
  auto wo = job(id, t0);
  wo.responsible_firm = firm;
  wo.holder = station;
  transition_protocol proto(id, crew, acknowledge());
  proto.resume(p::start{});
  auto a = proto.resume(p::loaded{stored(wo), t0});
  ASSERT_EQ(a.what, transition_kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, act_outcome::kind::moved);
  EXPECT_EQ(out.reason, "工单已转由" + station + "处理");
  EXPECT_EQ(out.order.wo.holder, station);
}

TEST(transition_protocol, a_check_of_its_own_replaces_may_act) {
  p::access_fn anyone = [](const sla::work_order&, const sla::member&) { return sla::access::allowed; };
  transition_protocol proto(id, stranger, acknowledge(), anyone);
  proto.resume(p::start{});
  EXPECT_EQ(proto.resume(p::loaded{stored(job(id, t0)), t0}).what, transition_kind::write);
}

TEST(transition_protocol, the_engines_own_decision_needs_no_right) {
  transition_protocol proto(id, std::nullopt, acknowledge());
  proto.resume(p::start{});
  EXPECT_EQ(proto.resume(p::loaded{stored(job(id, t0)), t0}).what, transition_kind::write);
}

TEST(transition_protocol, a_retry_of_an_applied_action_is_a_duplicate_and_writes_nothing) {
  auto once = acknowledge()(job(id, t0), t0 + 1min).next;
  once.version = 2;
  transition_protocol proto(id, crew, acknowledge());
  proto.resume(p::start{});
  // Before answering, what it found is made as durable as its own write would have been.
  ASSERT_EQ(proto.resume(p::loaded{stored(once), t0 + 2min}).what, transition_kind::confirm);
  auto a = proto.resume(p::confirmed{boost::system::result<void>{}});
  ASSERT_EQ(a.what, transition_kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, act_outcome::kind::duplicate);
  EXPECT_EQ(out.order.wo.version, 2);
}

TEST(transition_protocol, a_retry_whose_first_try_the_replicas_do_not_hold_yet_fails_as_the_write_would) {
  auto once = acknowledge()(job(id, t0), t0 + 1min).next;
  transition_protocol proto(id, crew, acknowledge());
  proto.resume(p::start{});
  ASSERT_EQ(proto.resume(p::loaded{stored(once), t0 + 2min}).what, transition_kind::confirm);
  auto a = proto.resume(p::confirmed{make_error_code(errc::unavailable)});
  ASSERT_EQ(a.what, transition_kind::fail);
  EXPECT_EQ(a.error, make_error_code(errc::unavailable));  // 503: the caller retries again
}

TEST(transition_protocol, a_decision_that_no_longer_applies_is_refused_with_why) {
  p::decide_fn refuse = [](const sla::work_order& wo, sla::instant) {
    sla::decision d{.next = wo};
    d.refused = "工单已完工";
    return d;
  };
  transition_protocol proto(id, crew, refuse);
  proto.resume(p::start{});
  auto a = proto.resume(p::loaded{stored(job(id, t0)), t0});
  ASSERT_EQ(a.what, transition_kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, act_outcome::kind::refused);
  EXPECT_EQ(out.reason, "工单已完工");
  EXPECT_EQ(out.order.wo.id, id);
}

TEST(transition_protocol, a_lost_race_reads_and_decides_again_on_what_is_stored) {
  int decided = 0;
  transition_protocol proto(id, crew, acknowledge(&decided));
  proto.resume(p::start{});
  proto.resume(p::loaded{stored(job(id, t0)), t0 + 1min});
  auto a = proto.resume(p::written{make_error_code(errc::conflict)});
  ASSERT_EQ(a.what, transition_kind::load);
  auto moved_on = job(id, t0);
  moved_on.version = 2;
  a = proto.resume(p::loaded{stored(moved_on), t0 + 2min});
  ASSERT_EQ(a.what, transition_kind::write);
  EXPECT_EQ(proto.take_before().version, 2);
  EXPECT_EQ(decided, 2);
}

TEST(transition_protocol, a_record_that_keeps_moving_fails_with_a_conflict_after_eight_reads) {
  transition_protocol proto(id, crew, acknowledge());
  auto a = proto.resume(p::start{});
  int reads = 0;
  while (a.what == transition_kind::load) {
    ++reads;
    proto.resume(p::loaded{stored(job(id, t0)), t0});
    a = proto.resume(p::written{make_error_code(errc::conflict)});
  }
  EXPECT_EQ(reads, 8);
  ASSERT_EQ(a.what, transition_kind::fail);
  EXPECT_EQ(a.error, make_error_code(errc::conflict));
}

TEST(transition_protocol, a_write_the_store_cannot_make_fails) {
  transition_protocol proto(id, crew, acknowledge());
  proto.resume(p::start{});
  proto.resume(p::loaded{stored(job(id, t0)), t0});
  auto a = proto.resume(p::written{make_error_code(errc::timeout)});
  ASSERT_EQ(a.what, transition_kind::fail);
  EXPECT_EQ(a.error, make_error_code(errc::timeout));
}

TEST(transition_protocol, an_event_it_did_not_ask_for_is_a_broken_driver) {
  transition_protocol proto(id, crew, acknowledge());
  EXPECT_THROW(proto.resume(p::written{std::int64_t{1}}), std::logic_error);
  proto.resume(p::start{});
  EXPECT_THROW(proto.resume(p::start{}), std::logic_error);
}

}  // namespace
}  // namespace halfhour
