// The engine on the in-memory store with a hand-moved clock: a ticket accepted and its retry,
// the breach at thirty minutes and not before, each deadline firing once with two engines, a
// second report of one incident joining the open job, and recovery of what fell due while down.
// No redis-server: each test runs in milliseconds, most of them on no real time at all.
#include "dispatcher/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "adapters/config.hpp"
#include "sla/messages.hpp"
#include "tests/integration/manual_clock.hpp"
#include "tests/integration/run.hpp"
#include "tests/unit/dispatcher/fixtures.hpp"
#include "tests/unit/dispatcher/memory_store.hpp"

namespace halfhour {
namespace {

using namespace std::chrono_literals;
using testing::run;
namespace asio = boost::asio;

std::size_t count(const stored_order& o, sla::event_kind k, sla::clock_kind c) {
  return static_cast<std::size_t>(std::count_if(o.history.begin(), o.history.end(),
                                                [&](const sla::event& e) { return e.kind == k && e.clock == c; }));
}

class engine_unit : public ::testing::Test {
 protected:
  std::unique_ptr<engine> start_engine() {
    auto e = std::make_unique<engine>(ioc_.get_executor(), store_, clock_, classifier_, resolver_, sla::limits{});
    e->sweep_every(0ms, 2s);  // the sweep ticks on real time: the tests move the clock by hand
    run(ioc_, e->recover());
    return e;
  }

  ingest_outcome ingest(engine& e, std::string no, std::string content, std::string address) {
    auto t = testing::ticket(std::move(no), std::move(content));
    t.intake.address = std::move(address);
    auto r = run(ioc_, e.ingest(std::move(t)));
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : ingest_outcome{};
  }

  stored_order load(const std::string& id) {
    auto o = run(ioc_, store_.load(id, true));
    EXPECT_TRUE(o);
    return o ? *o : stored_order{};
  }

  // Lets every handler that is ready run, without waiting on real time.
  void settle() { ioc_.poll(); }

  asio::io_context ioc_;
  // Nothing here keeps the context busy between runs (in Redis's tests the connection does): it
  // must not stop when a run leaves it idle.
  asio::executor_work_guard<asio::io_context::executor_type> busy_ = asio::make_work_guard(ioc_);
  testing::manual_clock clock_{ioc_.get_executor(), testing::t0};
  testing::memory_store store_{clock_};
  sla::classifier classifier_{config::default_rules()};
  sla::resolver resolver_{config::default_directory()};
};

TEST_F(engine_unit, a_ticket_is_accepted_once_stored_with_its_deadlines_armed_here_and_in_the_store) {
  auto e = start_engine();
  auto r = ingest(*e, "1", "厨房水管爆了", "丹桂苑3号楼");
  ASSERT_EQ(r.what, ingest_outcome::kind::created);
  EXPECT_EQ(r.order.wo.holder, testing::firm);
  EXPECT_EQ(r.order.wo.accepted_at, testing::t0);
  EXPECT_EQ(load(r.order.wo.id).wo.version, 1);
  EXPECT_EQ(e->armed(), 4u);
  EXPECT_EQ(store_.armed(), 4u);
  EXPECT_EQ(e->stats().accepted, 1u);
  ASSERT_EQ(store_.outbox().size(), 1u);
  EXPECT_EQ(store_.outbox()[0].second.kind, "dispatch");
  EXPECT_FALSE(store_.lease_holder("dup:丹桂苑"));  // let go before the answer
}

TEST_F(engine_unit, a_retried_ticket_is_answered_with_the_same_order_and_arms_nothing_new) {
  auto e = start_engine();
  auto a = ingest(*e, "2", "门锁坏了", "丹桂苑");
  const auto armed = e->armed();
  auto b = ingest(*e, "2", "门锁坏了", "丹桂苑");
  EXPECT_EQ(a.what, ingest_outcome::kind::created);
  EXPECT_EQ(b.what, ingest_outcome::kind::repeat);
  EXPECT_EQ(a.order.wo.id, b.order.wo.id);
  EXPECT_EQ(e->armed(), armed);
  EXPECT_EQ(e->stats().duplicates, 1u);
  EXPECT_EQ(store_.outbox().size(), 1u);
}

TEST_F(engine_unit, an_urgent_ticket_breaches_at_thirty_minutes_not_before) {
  auto e = start_engine();
  const auto id = ingest(*e, "3", "厨房水管爆了", "丹桂苑3号楼").order.wo.id;
  clock_.advance(29min + 59s);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return e->stats().breaches == 1; }));  // the 10-minute acknowledgement
  settle();
  EXPECT_EQ(count(load(id), sla::event_kind::clock_breached, sla::clock_kind::on_site), 0u);

  clock_.advance(1s);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return e->stats().breaches == 2; }));
  auto after = load(id);
  ASSERT_EQ(count(after, sla::event_kind::clock_breached, sla::clock_kind::on_site), 1u);
  EXPECT_EQ(after.history.back().late_ms, 0);
  EXPECT_FALSE(after.history.back().on_recovery);
  EXPECT_FALSE(store_.armed_for(id, {sla::clock_kind::on_site, testing::t0 + 30min}));
}

TEST_F(engine_unit, two_engines_with_the_same_deadlines_record_each_breach_once) {
  auto a = start_engine();
  const auto id = ingest(*a, "4", "楼道里有煤气味", "丹桂苑").order.wo.id;
  auto b = start_engine();  // recovers the deadlines A armed
  EXPECT_EQ(b->armed(), 4u);
  clock_.advance(31min);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return a->stats().breaches + b->stats().breaches == 2; }));
  settle();
  EXPECT_EQ(a->stats().breaches + b->stats().breaches, 2u);  // acknowledgement and on site, once each
  auto o = load(id);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::on_site), 1u);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::acknowledge), 1u);
}

TEST_F(engine_unit, a_neighbours_report_of_the_same_incident_joins_the_open_job) {
  auto e = start_engine();
  const auto first = ingest(*e, "5", "3号楼楼道水管爆裂，水一直往下流", "丹桂苑3号楼");
  clock_.advance(4min);
  const auto armed = e->armed();
  const auto second = ingest(*e, "6", "3号楼水管爆了，楼道全是水", "丹桂苑3号楼");
  ASSERT_EQ(second.what, ingest_outcome::kind::linked);
  EXPECT_EQ(second.order.wo.id, first.order.wo.id);
  EXPECT_FALSE(second.reason.empty());
  ASSERT_EQ(second.order.wo.linked.size(), 1u);
  EXPECT_EQ(second.order.wo.linked[0].key, "12345:6");
  EXPECT_EQ(e->stats().linked, 1u);
  EXPECT_EQ(e->stats().accepted, 1u);
  EXPECT_EQ(e->armed(), armed);  // one job, one set of clocks
  auto known = run(ioc_, store_.lookup("12345:6"));
  ASSERT_TRUE(known && *known);
  EXPECT_EQ((*known)->id, first.order.wo.id);
  // The retry of the linked report is answered with the job it joined.
  EXPECT_EQ(ingest(*e, "6", "3号楼水管爆了，楼道全是水", "丹桂苑3号楼").what, ingest_outcome::kind::repeat);
  EXPECT_FALSE(store_.lease_holder("dup:丹桂苑"));
}

TEST_F(engine_unit, a_deadline_passed_while_down_fires_on_recovery_exactly_once) {
  std::string id;
  {
    auto first = start_engine();
    id = ingest(*first, "7", "电梯困人", "金桂苑5号").order.wo.id;
  }
  clock_.advance(45min);
  auto second = start_engine();
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return second->stats().breaches_on_recovery == 2; }));
  settle();
  auto o = load(id);
  EXPECT_EQ(count(o, sla::event_kind::clock_breached, sla::clock_kind::on_site), 1u);
  auto breach = std::find_if(o.history.begin(), o.history.end(), [](const sla::event& ev) {
    return ev.kind == sla::event_kind::clock_breached && ev.clock == sla::clock_kind::on_site;
  });
  EXPECT_EQ(breach->late_ms, std::chrono::milliseconds(15min).count());
  auto third = start_engine();  // a second restart fires nothing again
  settle();
  EXPECT_EQ(third->stats().breaches, 0u);
  EXPECT_EQ(load(id).history.size(), o.history.size());
}

// These two wait on real timers (40 x 5 ms, then 500 ms): the protocols' waits, carried out.
TEST_F(engine_unit, a_report_waits_out_a_lease_nobody_lets_go_and_looks_for_duplicates_without_it) {
  auto e = start_engine();
  ASSERT_TRUE(*run(ioc_, store_.lease("dup:丹桂苑", "a dead engine's", 60s, work_order_store::lease_kind::brief)));
  const auto first = ingest(*e, "8", "3号楼楼道水管爆裂，水一直往下流", "丹桂苑3号楼");
  EXPECT_EQ(first.what, ingest_outcome::kind::created);
  const auto second = ingest(*e, "9", "3号楼水管爆了，楼道全是水", "丹桂苑3号楼");
  EXPECT_EQ(second.what, ingest_outcome::kind::linked);  // the look without the lease still finds it
  EXPECT_EQ(store_.lease_holder("dup:丹桂苑"), "a dead engine's");
}

TEST_F(engine_unit, a_deadline_the_store_cannot_take_is_tried_again_half_a_second_later) {
  auto e = start_engine();
  const auto id = ingest(*e, "10", "厨房水管爆了", "丹桂苑3号楼").order.wo.id;
  store_.set_available(false);
  clock_.advance(10min);  // the acknowledgement deadline
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return e->stats().fire_retries == 1; }));
  EXPECT_EQ(e->stats().store_errors, 1u);
  EXPECT_EQ(e->stats().breaches, 0u);
  store_.set_available(true);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return e->stats().breaches == 1; }));
  EXPECT_EQ(count(load(id), sla::event_kind::clock_breached, sla::clock_kind::acknowledge), 1u);
}

// Search: the acceptance index newest first, a page and a cursor at a time.
class engine_search : public engine_unit {
 protected:
  // Tickets "s1".."s<n>", a minute apart, each in its own building; the k-th from `phone(k)`.
  std::vector<std::string> accept_minutes_apart(engine& e, int n, std::function<std::string(int)> phone = {}) {
    std::vector<std::string> ids;
    for (int k = 1; k <= n; ++k) {
      const auto n_k = std::to_string(k);
      auto t = testing::ticket("s" + n_k, n_k + "号楼门禁坏了");
      t.intake.address = building(k);
      if (phone) t.intake.who.phone = phone(k);
      auto r = run(ioc_, e.ingest(std::move(t)));
      EXPECT_TRUE(r && r->what == ingest_outcome::kind::created);
      ids.push_back(r ? r->order.wo.id : "");
      clock_.advance(1min);
    }
    return ids;
  }

  // "丹桂苑<k>号楼", written without `"literal" + std::string&&`, which g++ 12 warns of wrongly.
  static std::string building(int k) {
    std::string b = "丹桂苑";
    b += std::to_string(k);
    b += "号楼";
    return b;
  }

  engine::search_page search(engine& e, engine::search_request q, sla::member who = centre) {
    auto r = run(ioc_, e.search(std::move(who), std::move(q)));
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : engine::search_page{};
  }

  static std::vector<std::string> ids_of(const engine::search_page& p) {
    std::vector<std::string> out;
    for (const auto& wo : p.orders) out.push_back(wo.id);
    return out;
  }

  engine::search_request from_now(std::size_t limit) const {
    engine::search_request q;
    q.below = {clock_.now(), ""};
    q.limit = limit;
    return q;
  }

  inline static const sla::member centre{"13800000001", "督办", "建管中心", sla::role::supervisor};
};

TEST_F(engine_search, pages_read_newest_first_and_each_cursor_goes_on_where_the_last_page_ended) {
  auto e = start_engine();
  const auto ids = accept_minutes_apart(*e, 5);
  auto q = from_now(2);
  auto first = search(*e, q);
  EXPECT_EQ(ids_of(first), (std::vector<std::string>{ids[4], ids[3]}));
  ASSERT_TRUE(first.next);
  q.below = *first.next;
  auto second = search(*e, q);
  EXPECT_EQ(ids_of(second), (std::vector<std::string>{ids[2], ids[1]}));
  q.below = *second.next;
  auto last = search(*e, q);
  EXPECT_EQ(ids_of(last), std::vector<std::string>{ids[0]});
  EXPECT_FALSE(last.next);  // the index ended before the page filled
}

TEST_F(engine_search, jobs_accepted_in_the_same_millisecond_are_each_read_once_across_pages) {
  auto e = start_engine();
  std::set<std::string> made;
  for (int k = 1; k <= 4; ++k)
    made.insert(ingest(*e, "t" + std::to_string(k), std::to_string(k) + "号楼门禁坏了", building(k)).order.wo.id);
  auto q = from_now(1);
  q.below.at += 1ms;
  std::set<std::string> read;
  for (int page = 0; page < 5 && read.size() < 4; ++page) {
    auto p = search(*e, q);
    ASSERT_EQ(p.orders.size(), 1u);
    EXPECT_TRUE(read.insert(p.orders[0].id).second) << p.orders[0].id << " read twice";
    q.below = *p.next;
  }
  EXPECT_EQ(read, made);
}

TEST_F(engine_search, a_rare_phone_is_found_over_several_short_pages_and_only_by_the_whole_number) {
  auto e = start_engine();
  const auto ids = accept_minutes_apart(*e, 6, [](int k) { return k == 1 ? "+86 139-0000-1111" : "13912345678"; });
  auto q = from_now(20);
  q.filter.phone = sla::phone_digits("13900001111");
  q.scan_budget = 4;  // the four newest hold no such phone: the page ends empty and says go on
  auto first = search(*e, q);
  EXPECT_TRUE(first.orders.empty());
  EXPECT_EQ(first.scanned, 4u);
  ASSERT_TRUE(first.next);
  q.below = *first.next;
  auto second = search(*e, q);
  EXPECT_EQ(ids_of(second), std::vector<std::string>{ids[0]});
  q.below = {clock_.now(), ""};
  q.filter.phone = "1390000";  // a part of that number is another number
  q.scan_budget = 100;
  EXPECT_TRUE(search(*e, q).orders.empty());
}

TEST_F(engine_search, a_member_finds_only_the_jobs_it_may_see_and_a_ticket_number_is_looked_up) {
  auto e = start_engine();
  const auto ids = accept_minutes_apart(*e, 3);
  const sla::member own{"13800000002", "张师傅", testing::firm, sla::role::crew};
  const sla::member other{"13800000003", "李师傅", "上钢物业", sla::role::crew};
  EXPECT_EQ(search(*e, from_now(10), own).orders.size(), 3u);
  EXPECT_TRUE(search(*e, from_now(10), other).orders.empty());
  auto q = from_now(10);
  q.filter.ticket_no = "s2";
  auto found = search(*e, q);
  EXPECT_EQ(ids_of(found), std::vector<std::string>{ids[1]});
  EXPECT_EQ(found.scanned, 1u);  // looked up, not scanned for
  q.filter.ticket_no = "s9";
  EXPECT_TRUE(search(*e, q).orders.empty());
  q.filter.ticket_no = "s2";
  EXPECT_TRUE(search(*e, q, other).orders.empty());
}

TEST_F(engine_search, a_store_away_is_an_error_not_an_empty_answer) {
  auto e = start_engine();
  accept_minutes_apart(*e, 1);
  store_.set_available(false);
  EXPECT_FALSE(run(ioc_, e->search(engine_search::centre, from_now(10))));
}

}  // namespace
}  // namespace halfhour

namespace halfhour {
namespace {

// 完工 asks the reporter by SMS with a link of their own; the link rates once, within its 7 days.
class engine_rating : public engine_unit {
 protected:
  // The ticket's job, done by the firm's crew at t0 + 40 min: the reporter's invite, issued then.
  std::string done_job(engine& e, std::string no) {
    auto r = ingest(e, std::move(no), "单元门禁坏了，刷卡打不开", "丹桂苑3号楼");
    EXPECT_EQ(r.what, ingest_outcome::kind::created);
    clock_.advance(40min);
    sla::action done{sla::action_kind::complete, "张师傅", crew.id, testing::firm, sla::role::crew, "", "done-1"};
    auto out = run(ioc_, e.act(crew, r.order.wo.id, std::move(done)));
    EXPECT_TRUE(out && out->what == act_outcome::kind::applied);
    return r.order.wo.id;
  }

  act_outcome rate(engine& e, const std::string& id, std::string request_id) {
    sla::callback cb{sla::rating::satisfied, {}, "报修人", "", std::move(request_id)};
    auto out = run(ioc_, e.rate_by_link(id, "", std::move(cb)));
    EXPECT_TRUE(out) << out.error().message();
    return out ? *out : act_outcome{};
  }

  inline static const sla::member crew{"13800000002", "张师傅", testing::firm, sla::role::crew};
};

TEST_F(engine_rating, completion_writes_the_reporters_sms_with_the_job_atomically) {
  auto e = start_engine();
  const auto id = done_job(*e, "R1");
  const auto& outbox = store_.outbox();
  const auto it =
      std::find_if(outbox.begin(), outbox.end(), [](const auto& n) { return n.second.kind == "rate_invite"; });
  ASSERT_NE(it, outbox.end());
  EXPECT_EQ(it->second.to, sla::recipient::reporter);
  EXPECT_EQ(it->second.ref, "13912345678");
  EXPECT_EQ(load(id).wo.invites.size(), 1u);
}

TEST_F(engine_rating, a_link_rates_within_seven_days_once_and_not_after) {
  auto e = start_engine();
  const auto early = done_job(*e, "R2");
  const auto late = done_job(*e, "R3");
  clock_.advance(7 * 24h - 40min - 1s);  // a second before `early`'s link closes
  EXPECT_EQ(rate(*e, early, "p-1").what, act_outcome::kind::applied);
  EXPECT_EQ(load(early).wo.settled, sla::rating::satisfied);
  const auto again = rate(*e, early, "p-2");
  EXPECT_EQ(again.what, act_outcome::kind::refused);
  EXPECT_EQ(again.reason, sla::messages::link_rated);
  clock_.advance(1s + 40min);  // 7 days after `late`'s 完工
  const auto expired = rate(*e, late, "p-3");
  EXPECT_EQ(expired.what, act_outcome::kind::refused);
  EXPECT_EQ(expired.reason, sla::messages::link_expired);
  EXPECT_FALSE(load(late).wo.settled);
}

}  // namespace
}  // namespace halfhour
