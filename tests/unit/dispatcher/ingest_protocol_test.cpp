// The ingest protocol step by step, with hand-made answers from the store: retries, screened
// chat messages, the community's lease (held, held elsewhere, never let go), candidates read
// and linked or not, keys remembered elsewhere, creates racing a retry, and store errors.
#include "dispatcher/ingest_protocol.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <stdexcept>

#include "adapters/errors.hpp"
#include "tests/unit/dispatcher/fixtures.hpp"

namespace halfhour {

using kind = ingest_protocol::action::kind;

void PrintTo(kind k, std::ostream* os) {
  constexpr const char* names[] = {"lookup", "screen_out", "lease_and_look", "wait",   "look",    "read_candidates",
                                   "link",   "remember",   "read_order",     "create", "release", "answer",
                                   "fail"};
  *os << names[static_cast<int>(k)];
}

namespace {

using namespace std::chrono_literals;
using namespace testing;
using p = ingest_protocol;

const std::string key = "12345:1";

p::report report(sla::resolution where = placed()) {
  p::report r;
  r.request = ticket();
  r.cls = burst();
  r.where = std::move(where);
  r.link_window = 2h;
  r.lease_token = "t0k";
  return r;
}

p::report chat(bool asks_for_a_repair) {
  auto r = report();
  r.request.screen = true;
  r.request.intake.source = sla::channel::wechat;
  r.screening = {asks_for_a_repair, asks_for_a_repair ? "" : "广告"};
  return r;
}

const sla::ladder lad = ladder();
const sla::limits lim{};

stored_order stored(sla::work_order wo) { return {std::move(wo), {}, {}}; }
known_key known(std::string id) { return {std::move(id), false, {}}; }
const boost::system::error_code away = make_error_code(errc::unavailable);

// A report of 丹桂苑 that took the lease at once, the community's recent jobs `recent`.
p::action leased_with(ingest_protocol& proto, std::vector<sla::recent_job> recent, sla::instant now = t0) {
  EXPECT_EQ(proto.resume(p::start{now}).what, kind::lease_and_look);
  return proto.resume(p::leased{std::optional<known_key>{}, true, std::move(recent), now});
}

sla::recent_job entry(const sla::work_order& wo) {
  return {wo.id, wo.cls.category, wo.cls.level, wo.where.building, wo.where.room};
}

// One round trip: the create script answers a known key with its job (the test below).
TEST(ingest_protocol, a_report_the_station_must_place_goes_straight_to_creating_its_job) {
  ingest_protocol proto(report(placed("")), lad, lim);
  auto a = proto.resume(p::start{t0});
  EXPECT_EQ(a.what, kind::create);
  EXPECT_EQ(a.key, key);
  a = proto.resume(p::created{created_order{stored(job("W01-000001", t0)), true}});
  ASSERT_EQ(a.what, kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, ingest_outcome::kind::created);
  EXPECT_EQ(out.order.wo.id, "W01-000001");
}

TEST(ingest_protocol, a_known_key_is_answered_with_its_job_as_it_stands) {
  ingest_protocol proto(chat(true), lad, lim);
  proto.resume(p::start{t0});
  auto a = proto.resume(p::looked_up{std::optional<known_key>{known("W01-000001")}, t0});
  ASSERT_EQ(a.what, kind::read_order);
  EXPECT_EQ(a.id, "W01-000001");
  EXPECT_FALSE(a.joined);
  a = proto.resume(p::order_read{stored(job("W01-000001", t0))});
  ASSERT_EQ(a.what, kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, ingest_outcome::kind::repeat);
  EXPECT_EQ(out.order.wo.id, "W01-000001");
}

TEST(ingest_protocol, a_known_key_of_a_screened_message_is_answered_without_reading_anything) {
  ingest_protocol proto(chat(false), lad, lim);
  proto.resume(p::start{t0});
  auto a = proto.resume(p::looked_up{std::optional<known_key>{known_key{"", true, "广告"}}, t0});
  ASSERT_EQ(a.what, kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, ingest_outcome::kind::not_a_request);
  EXPECT_EQ(out.reason, "广告");
}

TEST(ingest_protocol, a_lookup_the_store_cannot_answer_fails_the_report) {
  ingest_protocol proto(chat(true), lad, lim);
  proto.resume(p::start{t0});
  auto a = proto.resume(p::looked_up{away, t0});
  ASSERT_EQ(a.what, kind::fail);
  EXPECT_EQ(a.error, away);
}

TEST(ingest_protocol, a_chat_message_asking_for_nothing_is_screened_out_as_of_its_lookup) {
  ingest_protocol proto(chat(false), lad, lim);
  EXPECT_EQ(proto.resume(p::start{t0}).what, kind::lookup);  // a chat message looks its key up alone
  auto a = proto.resume(p::looked_up{std::optional<known_key>{}, t0 + 1ms});
  ASSERT_EQ(a.what, kind::screen_out);
  EXPECT_EQ(a.key, key);
  EXPECT_EQ(a.message->reason, "广告");
  EXPECT_EQ(a.message->text, "3号楼水管爆了");
  EXPECT_EQ(a.message->community, "丹桂苑3号楼");  // the address as written
  EXPECT_EQ(a.message->sender, "王女士");
  EXPECT_EQ(a.message->source, sla::channel::wechat);
  EXPECT_EQ(a.message->at, t0 + 1ms);
  a = proto.resume(p::screened_out{known_key{"", true, "广告"}});
  ASSERT_EQ(a.what, kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, ingest_outcome::kind::not_a_request);
  EXPECT_EQ(out.reason, "广告");
}

TEST(ingest_protocol, a_screened_message_whose_key_a_retry_took_first_is_answered_with_that_job) {
  ingest_protocol proto(chat(false), lad, lim);
  proto.resume(p::start{t0});
  proto.resume(p::looked_up{std::optional<known_key>{}, t0});
  auto a = proto.resume(p::screened_out{known("W01-000001")});
  ASSERT_EQ(a.what, kind::read_order);
  EXPECT_EQ(a.id, "W01-000001");
}

TEST(ingest_protocol, a_screen_out_the_store_cannot_write_fails_the_report) {
  ingest_protocol proto(chat(false), lad, lim);
  proto.resume(p::start{t0});
  proto.resume(p::looked_up{std::optional<known_key>{}, t0});
  EXPECT_EQ(proto.resume(p::screened_out{away}).what, kind::fail);
}

TEST(ingest_protocol, a_chat_message_asking_for_a_repair_takes_the_lease_without_a_second_lookup) {
  ingest_protocol proto(chat(true), lad, lim);
  proto.resume(p::start{t0});
  auto a = proto.resume(p::looked_up{std::optional<known_key>{}, t0});
  ASSERT_EQ(a.what, kind::lease_and_look);
  EXPECT_FALSE(a.with_lookup);
}

TEST(ingest_protocol, a_report_that_may_repeat_a_job_looks_its_key_up_in_the_leases_round_trip) {
  ingest_protocol proto(report(), lad, lim);
  auto a = proto.resume(p::start{t0});
  ASSERT_EQ(a.what, kind::lease_and_look);
  EXPECT_TRUE(a.with_lookup);
  EXPECT_EQ(a.key, key);
  EXPECT_EQ(a.lease, "dup:丹桂苑");
  EXPECT_EQ(a.token, "t0k");
  EXPECT_EQ(a.ttl, 3000ms);
  EXPECT_EQ(a.community, "丹桂苑");
  EXPECT_EQ(a.since, t0 - 2h);
}

TEST(ingest_protocol, without_a_link_window_a_placed_report_never_takes_the_lease) {
  auto r = report();
  r.link_window = {};
  ingest_protocol proto(std::move(r), lad, lim);
  EXPECT_EQ(proto.resume(p::start{t0}).what, kind::create);
}

TEST(ingest_protocol, a_retry_that_took_the_lease_lets_it_go_before_reading_its_job) {
  ingest_protocol proto(report(), lad, lim);
  proto.resume(p::start{t0});
  auto a =
      proto.resume(p::leased{std::optional<known_key>{known("W01-000001")}, true, std::vector<sla::recent_job>{}, t0});
  ASSERT_EQ(a.what, kind::release);
  EXPECT_EQ(a.lease, "dup:丹桂苑");
  EXPECT_EQ(a.token, "t0k");
  a = proto.resume(p::released{});
  ASSERT_EQ(a.what, kind::read_order);
  EXPECT_EQ(a.id, "W01-000001");
  a = proto.resume(p::order_read{stored(job("W01-000001", t0))});
  ASSERT_EQ(a.what, kind::answer);  // let go once, not twice
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, ingest_outcome::kind::repeat);
}

TEST(ingest_protocol, a_retry_of_a_screened_message_that_took_the_lease_lets_it_go_then_answers) {
  ingest_protocol proto(report(), lad, lim);
  proto.resume(p::start{t0});
  auto a = proto.resume(
      p::leased{std::optional<known_key>{known_key{"", true, "广告"}}, true, std::vector<sla::recent_job>{}, t0});
  ASSERT_EQ(a.what, kind::release);
  a = proto.resume(p::released{});
  ASSERT_EQ(a.what, kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, ingest_outcome::kind::not_a_request);
}

TEST(ingest_protocol, a_retry_that_did_not_take_the_lease_reads_its_job_at_once) {
  ingest_protocol proto(report(), lad, lim);
  proto.resume(p::start{t0});
  auto a =
      proto.resume(p::leased{std::optional<known_key>{known("W01-000001")}, false, std::vector<sla::recent_job>{}, t0});
  EXPECT_EQ(a.what, kind::read_order);
}

TEST(ingest_protocol, a_lookup_failing_in_the_leases_round_trip_fails_without_letting_the_lease_go) {
  ingest_protocol proto(report(), lad, lim);
  proto.resume(p::start{t0});
  auto a = proto.resume(
      p::leased{boost::system::result<std::optional<known_key>>(away), true, std::vector<sla::recent_job>{}, t0});
  ASSERT_EQ(a.what, kind::fail);  // the lease expires by itself
  EXPECT_EQ(a.error, away);
}

TEST(ingest_protocol, a_lease_the_store_cannot_answer_for_fails_the_report) {
  ingest_protocol proto(report(), lad, lim);
  proto.resume(p::start{t0});
  auto a = proto.resume(p::leased{std::optional<known_key>{},
                                  boost::system::result<bool>(boost::system::in_place_error, away),
                                  std::vector<sla::recent_job>{}, t0});
  EXPECT_EQ(a.what, kind::fail);
}

TEST(ingest_protocol, a_lease_taken_with_a_look_that_failed_fails_without_letting_it_go) {
  ingest_protocol proto(report(), lad, lim);
  proto.resume(p::start{t0});
  auto a = proto.resume(p::leased{std::optional<known_key>{}, true, away, t0});
  EXPECT_EQ(a.what, kind::fail);
}

TEST(ingest_protocol, a_lease_held_elsewhere_is_waited_for_and_tried_again_without_the_lookup) {
  ingest_protocol proto(report(), lad, lim);
  proto.resume(p::start{t0});
  auto a = proto.resume(p::leased{std::optional<known_key>{}, false, std::vector<sla::recent_job>{}, t0});
  ASSERT_EQ(a.what, kind::wait);
  EXPECT_EQ(a.delay, 1ms);
  a = proto.resume(p::waited{t0 + 1ms});
  ASSERT_EQ(a.what, kind::lease_and_look);
  EXPECT_FALSE(a.with_lookup);
  EXPECT_EQ(a.since, t0 + 1ms - 2h);
  // Taken now: a new job, and the lease let go before the answer.
  a = proto.resume(p::leased{std::nullopt, true, std::vector<sla::recent_job>{}, t0 + 2ms});
  ASSERT_EQ(a.what, kind::create);
  proto.resume(p::created{created_order{stored(job("W01-000001", t0)), true}});
  EXPECT_EQ(proto.resume(p::released{}).what, kind::answer);
}

TEST(ingest_protocol, a_lease_never_let_go_is_given_up_after_its_tries_and_the_look_made_without_it) {
  ingest_protocol proto(report(), lad, lim);
  auto a = proto.resume(p::start{t0});
  int tries = 0;
  auto now = t0;
  while (a.what == kind::lease_and_look) {
    ++tries;
    a = proto.resume(
        p::leased{a.with_lookup ? std::optional{boost::system::result<std::optional<known_key>>{}} : std::nullopt,
                  false, std::vector<sla::recent_job>{}, now});
    ASSERT_EQ(a.what, kind::wait);
    EXPECT_EQ(a.delay, ingest_protocol::lease_wait);
    now += a.delay;
    a = proto.resume(p::waited{now});
  }
  EXPECT_EQ(tries, ingest_protocol::lease_tries);
  EXPECT_EQ(now - t0, 200ms) << "a stale lease is waited out for at most 200 ms";
  ASSERT_EQ(a.what, kind::look);
  EXPECT_EQ(a.community, "丹桂苑");
  EXPECT_EQ(a.since, now - 2h);
  a = proto.resume(p::looked{std::vector<sla::recent_job>{}, now});
  ASSERT_EQ(a.what, kind::create);
  a = proto.resume(p::created{created_order{stored(job("W01-000001", t0)), true}});
  EXPECT_EQ(a.what, kind::answer);  // nothing to let go
}

TEST(ingest_protocol, a_look_without_the_lease_that_fails_fails_the_report) {
  ingest_protocol proto(report(), lad, lim);
  auto a = proto.resume(p::start{t0});
  for (int i = 0; i < ingest_protocol::lease_tries; ++i) {
    proto.resume(p::leased{i == 0 ? std::optional{boost::system::result<std::optional<known_key>>{}} : std::nullopt,
                           false, std::vector<sla::recent_job>{}, t0});
    a = proto.resume(p::waited{t0});
  }
  ASSERT_EQ(a.what, kind::look);
  EXPECT_EQ(proto.resume(p::looked{away, t0}).what, kind::fail);
}

TEST(ingest_protocol, no_likely_candidate_creates_without_reading_any_then_lets_the_lease_go) {
  ingest_protocol proto(report(), lad, lim);
  auto other_building = job("W01-000001", t0 - 5min, burst(), placed("丹桂苑", "7"));
  auto other_kind = job("W02-000002", t0 - 5min, door());
  auto a = leased_with(proto, {entry(other_building), entry(other_kind)});
  ASSERT_EQ(a.what, kind::create);
  a = proto.resume(p::created{created_order{stored(job("W03-000003", t0)), true}});
  ASSERT_EQ(a.what, kind::release);
  a = proto.resume(p::released{});
  ASSERT_EQ(a.what, kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, ingest_outcome::kind::created);
  EXPECT_EQ(out.order.wo.id, "W03-000003");
}

TEST(ingest_protocol, the_likely_job_is_read_linked_and_the_key_pointed_at_it) {
  ingest_protocol proto(report(), lad, lim);
  auto open = job("W01-000001", t0 - 5min);
  auto other = job("W02-000002", t0 - 5min, door());
  auto a = leased_with(proto, {entry(other), entry(open)});
  ASSERT_EQ(a.what, kind::read_candidates);
  EXPECT_EQ(a.ids, std::vector<std::string>{"W01-000001"});  // only those it could repeat
  a = proto.resume(p::candidates_read{std::vector<sla::work_order>{open}});
  ASSERT_EQ(a.what, kind::link);
  EXPECT_EQ(a.id, "W01-000001");
  a = proto.resume(p::linked{act_outcome{act_outcome::kind::applied, stored(open), {}}});
  ASSERT_EQ(a.what, kind::remember);
  EXPECT_EQ(a.key, key);
  EXPECT_EQ(a.id, "W01-000001");
  a = proto.resume(p::remembered{std::string("W01-000001")});
  ASSERT_EQ(a.what, kind::read_order);
  EXPECT_TRUE(a.joined);
  EXPECT_FALSE(a.why.empty());
  const auto why = a.why;
  a = proto.resume(p::order_read{stored(open)});
  ASSERT_EQ(a.what, kind::release);
  a = proto.resume(p::released{});
  ASSERT_EQ(a.what, kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, ingest_outcome::kind::linked);
  EXPECT_EQ(out.order.wo.id, "W01-000001");
  EXPECT_EQ(out.reason, why);
}

// The window is judged from when the recent jobs were read, not from any later moment.
TEST(ingest_protocol, a_candidate_is_judged_at_the_moment_the_recent_jobs_were_read) {
  auto open = job("W01-000001", t0 - 2h + 1ms);
  ingest_protocol proto(report(), lad, lim);
  leased_with(proto, {entry(open)}, t0);
  EXPECT_EQ(proto.resume(p::candidates_read{std::vector<sla::work_order>{open}}).what, kind::link);

  ingest_protocol later(report(), lad, lim);
  leased_with(later, {entry(open)}, t0 + 2ms);  // 2 h and 1 ms after it was accepted
  EXPECT_EQ(later.resume(p::candidates_read{std::vector<sla::work_order>{open}}).what, kind::create);
}

TEST(ingest_protocol, a_candidate_finished_since_it_was_indexed_is_not_linked) {
  ingest_protocol proto(report(), lad, lim);
  auto finished = job("W01-000001", t0 - 5min);
  finished.state = sla::wo_state::done;
  leased_with(proto, {entry(finished)});
  EXPECT_EQ(proto.resume(p::candidates_read{std::vector<sla::work_order>{finished}}).what, kind::create);
}

TEST(ingest_protocol, a_link_refused_because_the_job_finished_meanwhile_opens_a_job) {
  ingest_protocol proto(report(), lad, lim);
  auto open = job("W01-000001", t0 - 5min);
  leased_with(proto, {entry(open)});
  proto.resume(p::candidates_read{std::vector<sla::work_order>{open}});
  auto a = proto.resume(p::linked{act_outcome{act_outcome::kind::refused, stored(open), "工单已完工"}});
  EXPECT_EQ(a.what, kind::create);
}

TEST(ingest_protocol, a_link_an_earlier_try_already_made_still_points_the_key_at_the_job) {
  ingest_protocol proto(report(), lad, lim);
  auto open = job("W01-000001", t0 - 5min);
  leased_with(proto, {entry(open)});
  proto.resume(p::candidates_read{std::vector<sla::work_order>{open}});
  auto a = proto.resume(p::linked{act_outcome{act_outcome::kind::duplicate, stored(open), {}}});
  EXPECT_EQ(a.what, kind::remember);
}

TEST(ingest_protocol, a_key_a_retry_pointed_elsewhere_first_is_answered_with_that_job) {
  ingest_protocol proto(report(), lad, lim);
  auto open = job("W01-000001", t0 - 5min);
  leased_with(proto, {entry(open)});
  proto.resume(p::candidates_read{std::vector<sla::work_order>{open}});
  proto.resume(p::linked{act_outcome{act_outcome::kind::applied, stored(open), {}}});
  auto a = proto.resume(p::remembered{std::string("W02-000009")});
  ASSERT_EQ(a.what, kind::read_order);
  EXPECT_EQ(a.id, "W02-000009");
  EXPECT_FALSE(a.joined);
  a = proto.resume(p::order_read{stored(job("W02-000009", t0))});
  ASSERT_EQ(a.what, kind::release);
  a = proto.resume(p::released{});
  ASSERT_EQ(a.what, kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, ingest_outcome::kind::repeat);
  EXPECT_EQ(out.order.wo.id, "W02-000009");
}

TEST(ingest_protocol, a_create_that_finds_its_key_taken_by_a_retry_answers_with_that_job) {
  ingest_protocol proto(report(placed("")), lad, lim);
  proto.resume(p::start{t0});
  auto a = proto.resume(p::created{created_order{stored(job("W01-000001", t0)), false}});
  ASSERT_EQ(a.what, kind::answer);
  const auto out = proto.take_outcome();
  EXPECT_EQ(out.what, ingest_outcome::kind::repeat);
}

TEST(ingest_protocol, a_create_the_store_refuses_fails_the_report) {
  ingest_protocol proto(report(placed("")), lad, lim);
  proto.resume(p::start{t0});
  auto a = proto.resume(p::created{away});
  ASSERT_EQ(a.what, kind::fail);
  EXPECT_EQ(a.error, away);
}

// Once the lease is held, every way out lets it go before the answer, errors included.
TEST(ingest_protocol, every_store_error_after_the_lease_was_taken_lets_it_go_before_failing) {
  auto open = job("W01-000001", t0 - 5min);
  const std::vector<std::function<p::action(ingest_protocol&)>> failures = {
      [](ingest_protocol& i) { return i.resume(p::candidates_read{away}); },
      [&](ingest_protocol& i) {
        i.resume(p::candidates_read{std::vector<sla::work_order>{open}});
        return i.resume(p::linked{away});
      },
      [&](ingest_protocol& i) {
        i.resume(p::candidates_read{std::vector<sla::work_order>{open}});
        i.resume(p::linked{act_outcome{act_outcome::kind::applied, stored(open), {}}});
        return i.resume(p::remembered{away});
      },
      [&](ingest_protocol& i) {
        i.resume(p::candidates_read{std::vector<sla::work_order>{open}});
        i.resume(p::linked{act_outcome{act_outcome::kind::applied, stored(open), {}}});
        i.resume(p::remembered{std::string("W01-000001")});
        return i.resume(p::order_read{away});
      },
      [&](ingest_protocol& i) {
        i.resume(p::candidates_read{std::vector<sla::work_order>{}});
        return i.resume(p::created{away});
      },
  };
  for (std::size_t n = 0; n < failures.size(); ++n) {
    ingest_protocol proto(report(), lad, lim);
    leased_with(proto, {entry(open)});
    auto a = failures[n](proto);
    ASSERT_EQ(a.what, kind::release) << "failure " << n;
    a = proto.resume(p::released{});
    ASSERT_EQ(a.what, kind::fail) << "failure " << n;
    EXPECT_EQ(a.error, away);
  }
}

TEST(ingest_protocol, the_new_job_starts_its_clocks_when_the_store_names_it) {
  ingest_protocol proto(report(), lad, lim);
  auto d = proto.accept("W01-000001", t0 + 3ms);
  EXPECT_EQ(d.next.id, "W01-000001");
  EXPECT_EQ(d.next.accepted_at, t0 + 3ms);
  EXPECT_EQ(d.next.holder, firm);
  EXPECT_EQ(d.next.cls, burst());
  EXPECT_FALSE(d.arm.empty());
}

TEST(ingest_protocol, joining_links_the_report_to_an_open_job_and_is_refused_by_a_finished_one) {
  ingest_protocol proto(report(), lad, lim);
  auto open = job("W01-000001", t0 - 5min);
  leased_with(proto, {entry(open)});
  proto.resume(p::candidates_read{std::vector<sla::work_order>{open}});
  auto d = proto.link_decision(open, t0 + 1s);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d.next.linked.size(), 1u);
  EXPECT_EQ(d.next.linked[0].key, key);
  auto finished = open;
  finished.state = sla::wo_state::done;
  EXPECT_EQ(proto.link_decision(finished, t0 + 1s).refused, "工单已完工");
}

TEST(ingest_protocol, an_event_it_did_not_ask_for_is_a_broken_driver) {
  ingest_protocol proto(report(), lad, lim);
  EXPECT_THROW(proto.resume(p::released{}), std::logic_error);
  proto.resume(p::start{t0});
  EXPECT_THROW(proto.resume(p::looked_up{std::optional<known_key>{}, t0}), std::logic_error);
  // The first round trip asked for the key: an answer without it is broken too.
  EXPECT_THROW(proto.resume(p::leased{std::nullopt, true, std::vector<sla::recent_job>{}, t0}), std::logic_error);
}

TEST(ingest_protocol, nothing_follows_the_answer) {
  ingest_protocol proto(chat(false), lad, lim);
  proto.resume(p::start{t0});
  proto.resume(p::looked_up{std::optional<known_key>{known_key{"", true, "广告"}}, t0});
  EXPECT_THROW(proto.resume(p::released{}), std::logic_error);
  EXPECT_THROW(proto.resume(p::start{t0}), std::logic_error);
}

}  // namespace
}  // namespace halfhour
