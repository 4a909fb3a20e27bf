#include "dispatcher/engine.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "adapters/errors.hpp"
#include "dispatcher/fire_protocol.hpp"
#include "sla/duplicates.hpp"
#include "sla/text.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

namespace {

// Deadlines fired at once; the rest wait in `due_`. Bounds the load a recovery burst puts on
// Redis without delaying any deadline behind a slow one.
constexpr std::size_t max_firing = 64;

}  // namespace

engine::engine(asio::any_io_executor ex, work_order_store& store, clock& clk, const sla::classifier& cls,
               const sla::resolver& res, sla::limits lim, sla::ladder lad)
    : ex_(ex), store_(store), clock_(clk), classifier_(cls), resolver_(res), limits_(lim), ladder_(std::move(lad)) {
  if (ladder_.station.empty()) ladder_.station = res.dir().station;
  if (ladder_.centre.empty()) ladder_.centre = res.dir().centre;
}

asio::awaitable<void> engine::recover() {
  asio::steady_timer backoff(ex_);
  for (int attempt = 0;; ++attempt) {
    auto layout = co_await store_.claim_layout();
    if (!layout && layout.error() == errc::incompatible)
      throw std::runtime_error("the store in Redis holds data of another storage layout; not starting");
    // Each chunk is staged as the scan delivers it (collecting a million deadlines first would
    // hold them twice at the peak) and all are armed at once when the scan is done. A scan that
    // fails half-way drops what it staged, and the retry reads it again.
    const auto now = clock_.now();
    std::size_t total = 0, overdue = 0;
    std::function<void(std::vector<armed_deadline>)> arm_chunk = [&](std::vector<armed_deadline> chunk) {
      for (auto& d : chunk) {
        timer_entry e{d.due.at, std::move(d.id), d.due.kind, d.due.at <= now, d.due.s, d.due.index};
        overdue += e.on_recovery;
        ++total;
        queue_.stage(std::move(e));
      }
    };
    result<void> r = layout;
    if (layout) r = co_await store_.scan_deadlines(std::move(arm_chunk));
    if (r) {
      queue_.commit_staged();
      recovered_ = true;
      spdlog::info("engine: recovered {} armed deadlines, {} fell due while the engine was down", total, overdue);
      schedule_wakeup();
      if (sweep_every_.count() > 0) asio::co_spawn(ex_, sweep(), asio::detached);
      co_return;
    }
    queue_.drop_staged();
    // The connection is still being made at start-up: say so once, warn only if it lasts.
    if (attempt == 0) spdlog::info("engine: waiting for Redis before loading deadlines");
    if (attempt == 10) spdlog::warn("engine: cannot load deadlines yet ({}); still retrying", r.error().message());
    backoff.expires_after(std::chrono::milliseconds{std::min(200, 10 << std::min(attempt, 5))});
    co_await backoff.async_wait(asio::use_awaitable);
  }
}

asio::awaitable<result<act_outcome>> engine::unlink(sla::member who, std::string id, std::string key) {
  auto o = co_await store_.load(id, false);
  if (!o) {
    if (o.error() == errc::not_found) co_return act_outcome{act_outcome::kind::not_found, {}, {}};
    co_return o.error();
  }
  if (!sla::may_unlink(o->wo, who)) co_return act_outcome{act_outcome::kind::forbidden, {}, {}};
  const auto& links = o->wo.linked;
  auto it = std::find_if(links.begin(), links.end(), [&](const sla::linked_request& l) { return l.key == key; });
  if (it == links.end()) {
    // A retry of a split this job made: its key points at the job split off this one. Any other
    // key is refused with nothing of where it points (it may be another organisation's job).
    auto known = co_await store_.lookup(key);
    if (!known) co_return known.error();
    if (*known && (*known)->id != id && !(*known)->screened) {
      auto split = co_await store_.load((*known)->id, true);
      if (!split) co_return split.error();
      if (sla::split_from(split->history, id))
        co_return act_outcome{act_outcome::kind::duplicate, std::move(*split), {}};
    }
    co_return act_outcome{act_outcome::kind::refused, {}, "该报修未并入本工单"};
  }
  const sla::linked_request req = *it;

  // The new job first (idempotent on its own key), then the link taken off the old one: a crash
  // between the two leaves the report on both, never on neither.
  auto in = sla::intake_of(req);
  auto cls = classifier_.classify(in.content);
  auto where = resolver_.resolve(in.address, in.content);
  std::vector<sla::deadline> armed;
  std::size_t told = 0;
  std::function<sla::decision(std::string)> build = [&](std::string new_id) {
    auto d = sla::split_off(req, id, std::move(new_id), cls, where, who, ladder_, limits_, clock_.now());
    armed = d.arm;
    told = d.notify.size();
    return d;
  };
  auto c = co_await store_.create("split:" + key, std::move(build));
  if (!c) co_return c.error();
  if (c->created) {
    ++stats_.accepted;
    notified(told);
    arm(c->order.wo.id, c->order.wo, armed);
  }
  const auto split_id = c->order.wo.id;
  decide_fn decide = [key, who](const sla::work_order& wo, sla::instant now) { return sla::unlink(wo, key, who, now); };
  std::optional<sla::member> engine_itself;
  auto taken = co_await transition(std::move(engine_itself), id, std::move(decide));
  if (!taken) co_return taken.error();
  auto points = co_await store_.remember(key, split_id, true);
  if (!points) co_return points.error();
  spdlog::info("engine: {} split off {} into {} by {}", key, id, split_id, sla::mask_phone(who.id));
  auto split = co_await store_.load(split_id, true);
  if (!split) co_return split.error();
  co_return act_outcome{act_outcome::kind::applied, std::move(*split), {}};
}

asio::awaitable<result<void>> engine::ping() { co_return co_await store_.ping(); }

asio::awaitable<result<std::vector<std::string>>> engine::accepted_between(sla::instant from, sla::instant to,
                                                                           std::size_t limit) {
  co_return co_await store_.accepted_between(from, to, limit);
}

asio::awaitable<result<std::vector<sla::work_order>>> engine::load_many(std::vector<std::string> ids) {
  co_return co_await store_.load_many(std::move(ids));
}

asio::awaitable<result<std::vector<sla::work_order>>> engine::jobs_for(sla::member who) {
  std::vector<sla::work_order> jobs;
  for (const auto& org : sla::organisations_listed(who, resolver_.dir())) {
    auto ids = co_await store_.open_orders(org);
    if (!ids) co_return ids.error();
    auto orders = co_await store_.load_many(std::move(*ids));
    if (!orders) co_return orders.error();
    for (auto& wo : *orders) {
      if (sla::listed_for(wo, who)) jobs.push_back(std::move(wo));
    }
  }
  // A job sent back after 不满意 (重办) first: the firm owes it twice; then urgent before general,
  // then the clock nearest its end.
  std::sort(jobs.begin(), jobs.end(), [](const sla::work_order& a, const sla::work_order& b) {
    const bool ra = a.state == sla::wo_state::reopened, rb = b.state == sla::wo_state::reopened;
    if (ra != rb) return ra;
    if (a.cls.level != b.cls.level) return a.cls.level == sla::urgency::urgent;
    const auto* ca = sla::racing_clock(a);
    const auto* cb = sla::racing_clock(b);
    if (ca && cb && ca->deadline != cb->deadline) return ca->deadline < cb->deadline;
    if (!ca != !cb) return ca != nullptr;
    return a.id < b.id;
  });
  co_return jobs;
}

asio::awaitable<result<std::optional<std::string>>> engine::job_by_code(std::string code) {
  auto r = co_await store_.open_by_code(std::move(code));
  if (!r) ++stats_.store_errors;
  co_return r;
}

asio::awaitable<result<act_outcome>> engine::act(sla::member who, std::string id, sla::action a) {
  a.actor = who.name;
  a.actor_id = who.id;
  a.organisation = who.organisation;
  a.actor_role = who.kind;
  const auto& station = resolver_.dir().station;
  // Named, not built inside the co_await: g++ 12 destroys such a lambda twice.
  decide_fn decide = [a, station](const sla::work_order& wo, sla::instant now) {
    return sla::apply(wo, a, station, now);
  };
  std::optional<sla::member> by = who;  // named: no temporaries inside a co_await (g++ 12)
  co_return co_await transition(std::move(by), std::move(id), std::move(decide));
}

asio::awaitable<result<act_outcome>> engine::record_refused_reply(sla::member who, std::string id, sla::sms_reply r,
                                                                  std::string why, std::string request_id) {
  decide_fn decide = [who, r, why, request_id](const sla::work_order& wo, sla::instant now) {
    return sla::record_refused_reply(wo, r, who, why, request_id, now);
  };
  access_fn anyone = [](const sla::work_order&, const sla::member&) { return sla::access::allowed; };
  std::optional<sla::member> by = who;  // named: no temporaries inside a co_await (g++ 12)
  co_return co_await transition(std::move(by), std::move(id), std::move(decide), std::move(anyone));
}

asio::awaitable<result<act_outcome>> engine::assign(sla::member who, std::string id, sla::member to) {
  decide_fn decide = [who, to](const sla::work_order& wo, sla::instant now) { return sla::assign(wo, who, to, now); };
  std::optional<sla::member> by = who;  // named: no temporaries inside a co_await (g++ 12)
  co_return co_await transition(std::move(by), std::move(id), std::move(decide));
}

asio::awaitable<result<act_outcome>> engine::reroute(sla::member who, std::string id, std::string community) {
  const auto& dir = resolver_.dir();
  auto it = std::find_if(dir.communities.begin(), dir.communities.end(),
                         [&](const sla::community& c) { return c.name == community; });
  if (it == dir.communities.end()) {
    act_outcome unknown;
    unknown.what = act_outcome::kind::refused;
    unknown.reason = "目录中没有“" + community + "”";
    co_return unknown;
  }
  sla::resolution where;
  where.to = sla::route::firm;
  where.community_name = it->name;
  where.committee = it->committee;
  where.firm = it->firm;
  where.reason = "应急维修服务站指定为“" + it->name + "”";
  decide_fn decide = [who, where](const sla::work_order& wo, sla::instant now) {
    auto w = where;
    w.building = wo.where.building;  // the station settles the community, not the flat
    w.room = wo.where.room;
    return sla::reroute(wo, std::move(w), who, now);
  };
  std::optional<sla::member> by = who;  // named: no temporaries inside a co_await (g++ 12)
  co_return co_await transition(std::move(by), std::move(id), std::move(decide));
}

// Read, check the member may act, decide, write with the version checked; on a lost race read
// and decide again, so the decision is always made on what is stored.
asio::awaitable<result<act_outcome>> engine::reclassify(sla::member who, std::string id, sla::reclassification r) {
  const auto station = resolver_.dir().station;
  const auto lim = limits_;
  decide_fn decide = [who, r, station, lim](const sla::work_order& wo, sla::instant now) {
    if (sla::may_reclassify(wo, who) == sla::reclassify_right::apply) return sla::reclassify(wo, r, who, lim, now);
    return sla::request_reclassify(wo, r, who, station, now);
  };
  access_fn check = [](const sla::work_order& wo, const sla::member& m) {
    return sla::may_reclassify(wo, m) == sla::reclassify_right::none ? sla::access::forbidden : sla::access::allowed;
  };
  std::optional<sla::member> by = who;  // named: no temporaries inside a co_await (g++ 12)
  co_return co_await transition(std::move(by), std::move(id), std::move(decide), std::move(check));
}

asio::awaitable<result<act_outcome>> engine::transition(std::optional<sla::member> who, std::string id,
                                                        decide_fn decide, access_fn check) {
  using kind = transition_protocol::action::kind;
  transition_protocol p(id, who, std::move(decide), std::move(check));
  transition_protocol::event ev = transition_protocol::start{};
  for (;;) {
    auto a = p.resume(std::move(ev));
    switch (a.what) {
      case kind::load: {
        auto o = co_await store_.load(id, false);
        ev.emplace<transition_protocol::loaded>(std::move(o), clock_.now());  // in place: a work order moved once less
        break;
      }
      case kind::write: {
        auto written = co_await store_.apply(p.decision(), p.take_before());
        ev = transition_protocol::written{std::move(written)};
        break;
      }
      case kind::confirm: {
        auto durable = co_await store_.durable(id);
        ev = transition_protocol::confirmed{std::move(durable)};
        break;
      }
      case kind::fail: co_return a.error;
      case kind::answer: {
        auto out = p.take_outcome();
        if (out.what != act_outcome::kind::applied) co_return out;
        const auto& d = p.decision();
        ++changes_;
        notified(d.notify.size());
        arm(id, out.order.wo, d.arm);
        const auto& events = out.order.history;
        if (who)
          spdlog::info("engine: {} {} by {} ({})", id, events.empty() ? "" : sla::code_of(events.front().kind),
                       sla::mask_phone(who->id), who->organisation);
        co_return out;
      }
    }
  }
}

void engine::arm(const std::string& id, const sla::work_order& next, const std::vector<sla::deadline>& deadlines) {
  for (const auto& d : deadlines) {
    // Each step of one clock kind has one length from its start (a warning at 2/3 of the limit,
    // the deadline at the limit), so it shares a lane with its kind; reminders go to the heap.
    const auto* c = next.find(d.kind);
    sla::duration length{0};
    if (c && d.s != sla::step::renotify) length = d.at - c->started;
    queue_.push({d.at, id, d.kind, false, d.s, d.index}, length);
  }
  if (!deadlines.empty()) schedule_wakeup();
}

void engine::notified(std::size_t count) {
  stats_.notifications += count;
  if (count && on_notify_) on_notify_();
}

void engine::schedule_wakeup() {
  auto next = queue_.next();
  if (!next || (wakeup_at_ && *wakeup_at_ <= *next)) return;
  wakeup_at_ = next;
  clock_.wake_at(*next, [alive = std::weak_ptr<engine*>(alive_)] {
    if (auto self = alive.lock()) (*self)->on_wakeup();
  });
}

void engine::on_wakeup() {
  wakeup_at_.reset();
  for (auto& e : queue_.pop_due(clock_.now(), std::numeric_limits<std::size_t>::max())) due_.push_back(std::move(e));
  pump();
  schedule_wakeup();
}

void engine::pump() {
  while (firing_ < max_firing && !due_.empty()) {
    ++firing_;
    auto e = std::move(due_.front());
    due_.pop_front();
    asio::co_spawn(ex_, fire(std::move(e)), [this](std::exception_ptr ep) {
      --firing_;
      if (ep) {
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& ex) {
          spdlog::critical("engine: firing a deadline threw: {}", ex.what());
        }
      }
      pump();
    });
  }
}

asio::awaitable<void> engine::sweep() {
  asio::steady_timer tick(ex_);
  std::weak_ptr<engine*> alive = alive_;
  for (;;) {
    tick.expires_after(sweep_every_);
    co_await tick.async_wait(asio::use_awaitable);
    if (alive.expired()) co_return;
    auto found = co_await store_.overdue(clock_.now() - sweep_grace_, 256);
    if (alive.expired()) co_return;
    if (!found) {  // Redis away: the next tick tries again
      ++stats_.store_errors;
      continue;
    }
    stats_.overdue_at_last_sweep = found->size();
    if (!found->empty())
      spdlog::critical("engine: ALARM {} deadline(s) overdue by more than {} ms had not fired; firing them now",
                       found->size(), sweep_grace_.count());
    for (auto& d : *found) {
      ++stats_.swept;
      spdlog::warn("engine: {} {} was still armed {} ms after it fell due; firing it", d.id, sla::code_of(d.due.kind),
                   std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - d.due.at).count());
      due_.push_back({d.due.at, std::move(d.id), d.due.kind, true, d.due.s, d.due.index});
    }
    pump();
  }
}

// One deadline through the firing protocol (dispatcher/fire_protocol.hpp).
asio::awaitable<void> engine::fire(timer_entry e) {
  using kind = fire_protocol::action::kind;
  fire_protocol p(e, ladder_);
  fire_protocol::event ev = fire_protocol::start{};
  for (;;) {
    auto a = p.resume(std::move(ev));
    switch (a.what) {
      case kind::load: {
        auto loaded = co_await store_.load(e.id, false);
        ev.emplace<fire_protocol::loaded>(std::move(loaded), clock_.now());  // in place: a work order moved once less
        break;
      }
      case kind::write: {
        std::optional<sla::deadline> firing = a.firing;  // named: no temporaries inside a co_await (g++ 12)
        auto written = co_await store_.apply(p.decision(), p.take_before(), std::move(firing));
        ev = fire_protocol::written{std::move(written)};
        break;
      }
      case kind::wait: {
        if (a.store_error) ++stats_.store_errors;
        ++stats_.fire_retries;
        asio::steady_timer t(ex_);
        t.expires_after(a.delay);
        co_await t.async_wait(asio::use_awaitable);
        ev = fire_protocol::waited{};
        break;
      }
      case kind::requeue: due_.push_back(std::move(e)); co_return;
      case kind::done:
        if (a.end == fire_protocol::action::ending::fired) fired(e, p.decision());
        if (a.end == fire_protocol::action::ending::unknown_order)
          spdlog::error("engine: deadline {} for unknown work order {}", sla::code_of(e.kind), e.id);
        co_return;
    }
  }
}

void engine::fired(const timer_entry& e, const sla::decision& d) {
  ++changes_;
  notified(d.notify.size());
  for (const auto& ev : d.events) {
    if (ev.kind != sla::event_kind::clock_breached) continue;
    long long late = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - e.at).count();
    ++stats_.breaches;
    if (ev.on_recovery) {
      ++stats_.breaches_on_recovery;
    } else {
      stats_.max_breach_late_ms = std::max(stats_.max_breach_late_ms, late);
      std::size_t b = 0;
      while (b < engine_stats::lateness_bounds.size() && late > engine_stats::lateness_bounds[b]) ++b;
      ++stats_.lateness_buckets[b];
      stats_.lateness_sum_ms += late;
    }
    spdlog::warn("engine: BREACH {} {} clock of {} (deadline passed {} ms ago{})", e.id, sla::code_of(e.kind),
                 ev.organisation, late, ev.on_recovery ? ", engine was down" : "");
  }
  arm(e.id, d.next, d.arm);
}

}  // namespace halfhour
