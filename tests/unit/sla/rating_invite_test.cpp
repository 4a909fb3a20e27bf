// The reporter's own rating after 完工: every reporter with a mobile is asked by SMS (each phone
// once), each link rates once within its time, and a re-do's completion asks again.
#include <gtest/gtest.h>

#include <algorithm>

#include "sla/machine.hpp"
#include "sla/messages.hpp"
#include "tests/unit/sla/jobs.hpp"
#include "tests/unit/sla/shanghai_days.hpp"

namespace halfhour::sla {
namespace {

using namespace std::chrono_literals;
using testing::sh;
using testing::station;

constexpr auto lad = &testing::station_and_centre;

const instant taken = sh(2026, 11, 2, 9, 0);  // a Monday
const instant finished = taken + 2h;

linked_request linked(std::string key, std::string phone) {
  linked_request l;
  l.key = std::move(key);
  l.source = channel::wechat;
  l.who = {"", std::move(phone)};
  l.content = "门禁坏了";
  l.at = taken + 10min;
  return l;
}

// A general repair reported on 12345 by a mobile, with reports linked to it, open.
work_order open_job(std::vector<linked_request> more = {}) {
  classification cls;
  cls.level = urgency::general;
  cls.category = "door_lock";
  cls.category_name = "门锁门禁对讲";
  intake in{channel::hotline_12345, "12345-1102", {"李先生", "+86 138-0000-0001"}, "单元门禁坏了", "丹桂苑"};
  auto wo = accept(in, "W11-000001", cls, testing::firm_route(), lad(), limits{}, taken).next;
  wo.linked = std::move(more);
  return wo;
}

decision complete(const work_order& wo, instant at, std::string request_id = "r-done") {
  action done{action_kind::complete, "李师傅", "13900000002", "临客嘉物业", role::crew, "", std::move(request_id)};
  return apply(wo, done, station, at);
}

callback answer(rating r, std::string request_id) { return {r, {}, "报修人", "师傅很及时", std::move(request_id)}; }

std::vector<const notification*> invites_sent(const decision& d) {
  std::vector<const notification*> out;
  for (const auto& n : d.notify)
    if (n.to == recipient::reporter) out.push_back(&n);
  return out;
}

TEST(rating_invite, completion_asks_each_reporter_with_a_mobile_once_by_sms_after_the_hotline_hears_of_it) {
  const auto wo = open_job(
      {linked("wechat:m1", "13800000002"), linked("wechat:m2", "021-5888 0000"), linked("wechat:m3", "8613800000001")});
  const auto d = complete(wo, finished);
  ASSERT_TRUE(d.ok()) << d.refused;
  const auto sent = invites_sent(d);
  ASSERT_EQ(sent.size(), 2u) << "a landline gets no SMS; the caller who also wrote on WeChat gets one";
  EXPECT_EQ(sent[0]->organisation, "") << "the job's own reporter";
  EXPECT_EQ(sent[0]->ref, "+86 138-0000-0001");
  EXPECT_EQ(sent[1]->organisation, "wechat:m1");
  EXPECT_EQ(sent[1]->ref, "13800000002");
  EXPECT_EQ(sent[0]->kind, "rate_invite");
  EXPECT_NE(sent[0]->key, sent[1]->key);
  EXPECT_NE(sent[0]->text.find("已完工"), std::string::npos) << sent[0]->text;
  EXPECT_EQ(sent[0]->text.find("李先生"), std::string::npos) << "no name in an SMS a phone's screen shows";
  EXPECT_EQ(d.notify.front().to, recipient::hotline) << "12345 hears 办结 first";
  ASSERT_EQ(d.next.invites.size(), 2u);
  EXPECT_EQ(d.next.invites[1].reporter_key, "wechat:m1");
  EXPECT_EQ(d.next.invites[0].issued, finished);
  EXPECT_EQ(d.next.invites[0].round, 0);
}

TEST(rating_invite, a_link_rates_once_and_a_second_answer_through_it_is_refused) {
  const auto done = complete(open_job({linked("wechat:m1", "13800000002")}), finished).next;
  const auto first = rate_by_link(done, "wechat:m1", answer(rating::satisfied, "p-1"), lad(), limits{}, finished + 1h);
  ASSERT_TRUE(first.ok()) << first.refused;
  EXPECT_EQ(first.next.settled, rating::satisfied) << "a linked report's reporter rates the same job";
  const auto* mine = first.next.invite_of("wechat:m1");
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(mine->given, rating::satisfied);
  EXPECT_EQ(mine->comment, "师傅很及时");
  EXPECT_EQ(mine->given_at, finished + 1h);
  EXPECT_EQ(rating_link_state(first.next, "wechat:m1", limits{}, finished + 2h), link_state::rated);
  EXPECT_EQ(rating_link_state(first.next, "", limits{}, finished + 2h), link_state::open) << "the other's is theirs";

  const auto retry =
      rate_by_link(first.next, "wechat:m1", answer(rating::satisfied, "p-1"), lad(), limits{}, finished + 2h);
  EXPECT_TRUE(retry.duplicate) << "the page's retry after a lost answer";
  const auto again =
      rate_by_link(first.next, "wechat:m1", answer(rating::dissatisfied, "p-2"), lad(), limits{}, finished + 2h);
  EXPECT_EQ(again.refused, messages::link_rated);
  EXPECT_TRUE(again.events.empty());

  const auto other = rate_by_link(first.next, "", answer(rating::dissatisfied, "p-3"), lad(), limits{}, finished + 3h);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other.next.settled, rating::satisfied) << "the first settled answer counts; later ones are recorded";
  EXPECT_EQ(other.next.state, wo_state::done);
}

TEST(rating_invite, a_link_is_open_for_seven_days_from_completion_and_then_refused) {
  const auto done = complete(open_job(), finished).next;
  const limits lim;
  EXPECT_EQ(rating_link_state(done, "", lim, finished + 7 * 24h - 1ms), link_state::open);
  EXPECT_EQ(rating_link_state(done, "", lim, finished + 7 * 24h), link_state::expired);
  const auto late = rate_by_link(done, "", answer(rating::satisfied, "p-1"), lad(), lim, finished + 7 * 24h);
  EXPECT_EQ(late.refused, messages::link_expired);
  const auto in_time = rate_by_link(done, "", answer(rating::satisfied, "p-1"), lad(), lim, finished + 6 * 24h);
  EXPECT_TRUE(in_time.ok());
  EXPECT_EQ(rating_link_state(in_time.next, "", lim, finished + 30 * 24h), link_state::rated)
      << "what was said stays shown after the link's time";
}

TEST(rating_invite, a_link_for_no_invite_of_the_job_is_refused) {
  const auto wo = open_job();
  EXPECT_EQ(rating_link_state(wo, "", limits{}, finished), link_state::unknown) << "not done: nobody asked yet";
  const auto done = complete(wo, finished).next;
  const auto d = rate_by_link(done, "wechat:gone", answer(rating::satisfied, "p-1"), lad(), limits{}, finished + 1h);
  EXPECT_EQ(d.refused, messages::link_unknown);
}

TEST(rating_invite, dissatisfied_through_the_link_reopens_and_the_redos_completion_asks_again) {
  const auto done = complete(open_job(), finished).next;
  const auto unhappy = rate_by_link(done, "", answer(rating::dissatisfied, "p-1"), lad(), limits{}, finished + 1h);
  ASSERT_TRUE(unhappy.ok()) << unhappy.refused;
  EXPECT_EQ(unhappy.next.state, wo_state::reopened);
  const auto redone = complete(unhappy.next, finished + 26h, "r-redo");
  ASSERT_TRUE(redone.ok()) << redone.refused;
  ASSERT_EQ(redone.next.invites.size(), 1u);
  EXPECT_EQ(redone.next.invites[0].round, 1);
  EXPECT_FALSE(redone.next.invites[0].given) << "the re-do is rated on its own";
  EXPECT_EQ(rating_link_state(redone.next, "", limits{}, finished + 27h), link_state::open);
  ASSERT_EQ(invites_sent(redone).size(), 1u);
  EXPECT_NE(invites_sent(redone)[0]->key, invites_sent(complete(open_job(), finished))[0]->key)
      << "a new message, not a repeat the gateway would drop";
}

}  // namespace
}  // namespace halfhour::sla
