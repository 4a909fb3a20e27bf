#include "dispatcher/engine.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "adapters/errors.hpp"
#include "sla/text.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

namespace {

// Deadlines fired at once; the rest wait in `due_`. Bounds the load a recovery burst puts on
// Redis without delaying any deadline behind a slow one.
constexpr std::size_t max_firing = 64;
constexpr auto retry_delay = std::chrono::milliseconds{500};

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
    std::vector<timer_entry> found;
    std::function<void(std::vector<armed_deadline>)> collect = [&found](std::vector<armed_deadline> chunk) {
      for (auto& d : chunk) found.push_back({d.due.at, std::move(d.id), d.due.kind, false, d.due.s, d.due.index});
    };
    auto r = co_await store_.scan_deadlines(std::move(collect));
    if (r) {
      const auto now = clock_.now();
      std::size_t overdue = 0;
      for (auto& e : found) {
        e.on_recovery = e.at <= now;
        overdue += e.on_recovery;
        queue_.push(std::move(e), sla::duration{0});
      }
      recovered_ = true;
      spdlog::info("engine: recovered {} armed deadlines, {} fell due while the engine was down", found.size(),
                   overdue);
      schedule_wakeup();
      if (sweep_every_.count() > 0) asio::co_spawn(ex_, sweep(), asio::detached);
      co_return;
    }
    // The connection is still being made at start-up: say so once, warn only if it lasts.
    if (attempt == 0) spdlog::info("engine: waiting for Redis before loading deadlines");
    if (attempt == 10) spdlog::warn("engine: cannot load deadlines yet ({}); still retrying", r.error().message());
    backoff.expires_after(std::chrono::milliseconds{std::min(200, 10 << std::min(attempt, 5))});
    co_await backoff.async_wait(asio::use_awaitable);
  }
}

asio::awaitable<result<created_order>> engine::ingest(channels::hotline_ticket t) {
  const auto cls = classifier_.classify(t.intake.content, t.hints);
  const auto where = resolver_.resolve(t.intake.address, t.intake.content);
  std::vector<sla::deadline> armed;
  std::size_t told = 0;
  // A named std::function, not a lambda converted inside the co_await (see DESIGN.md §5).
  std::function<sla::decision(std::string)> build = [&](std::string id) {
    auto d = sla::accept(t.intake, std::move(id), cls, where, ladder_, limits_, clock_.now());
    armed = d.arm;
    told = d.notify.size();
    return d;
  };
  auto r = co_await store_.create(t.idempotency_key, std::move(build));
  if (!r) {
    spdlog::warn("engine: ticket {} not accepted: {}", t.idempotency_key, r.error().message());
    co_return r;
  }
  const auto& wo = r->order.wo;
  if (r->created) {
    ++stats_.accepted;
    notified(told);
    arm(wo.id, wo, armed);
    spdlog::info("engine: accepted {} ({}) {} {} -> {} reporter {}", wo.id, t.idempotency_key,
                 wo.cls.level == sla::urgency::urgent ? "urgent" : "general", wo.cls.category, wo.holder,
                 sla::mask_phone(wo.who.phone));
  } else {
    ++stats_.duplicates;
    spdlog::info("engine: {} is already {}; nothing created", t.idempotency_key, wo.id);
  }
  co_return r;
}

asio::awaitable<result<stored_order>> engine::get(std::string id) { co_return co_await store_.load(std::move(id), true); }

asio::awaitable<result<void>> engine::ping() { co_return co_await store_.ping(); }

asio::awaitable<result<std::vector<sla::work_order>>> engine::jobs_for(sla::member who) {
  std::vector<std::string> organisations;
  if (who.kind == sla::role::supervisor) {
    for (const auto& c : resolver_.dir().communities)
      if (std::find(organisations.begin(), organisations.end(), c.firm) == organisations.end())
        organisations.push_back(c.firm);
    organisations.push_back(resolver_.dir().station);
  } else {
    organisations.push_back(who.organisation);
  }
  std::vector<sla::work_order> jobs;
  for (const auto& org : organisations) {
    auto ids = co_await store_.open_orders(org);
    if (!ids) co_return ids.error();
    auto orders = co_await store_.load_many(std::move(*ids));
    if (!orders) co_return orders.error();
    for (auto& wo : *orders) {
      if (who.kind == sla::role::crew && !wo.assignee.empty() && wo.assignee != who.id) continue;
      jobs.push_back(std::move(wo));
    }
  }
  std::sort(jobs.begin(), jobs.end(), [](const sla::work_order& a, const sla::work_order& b) {
    if (a.cls.level != b.cls.level) return a.cls.level == sla::urgency::urgent;
    const auto* ca = sla::racing_clock(a);
    const auto* cb = sla::racing_clock(b);
    if (ca && cb && ca->deadline != cb->deadline) return ca->deadline < cb->deadline;
    if (!ca != !cb) return ca != nullptr;
    return a.id < b.id;
  });
  co_return jobs;
}

asio::awaitable<result<act_outcome>> engine::view(sla::member who, std::string id) {
  auto o = co_await store_.load(std::move(id), true);
  if (!o) {
    if (o.error() == errc::not_found) co_return act_outcome{act_outcome::kind::not_found, {}, {}};
    co_return o.error();
  }
  if (sla::may_see(o->wo, who) != sla::access::allowed) co_return act_outcome{act_outcome::kind::forbidden, {}, {}};
  co_return act_outcome{act_outcome::kind::applied, std::move(*o), {}};
}

asio::awaitable<result<act_outcome>> engine::act(sla::member who, std::string id, sla::action a) {
  a.actor = who.name;
  a.actor_id = who.id;
  a.organisation = who.organisation;
  const auto& station = resolver_.dir().station;
  // Named, not built inside the co_await: g++ 12 destroys such a lambda twice.
  decide_fn decide = [a, station](const sla::work_order& wo, sla::instant now) {
    return sla::apply(wo, a, station, now);
  };
  co_return co_await transition(who, std::move(id), std::move(decide));
}

asio::awaitable<result<act_outcome>> engine::assign(sla::member who, std::string id, sla::member to) {
  decide_fn decide = [who, to](const sla::work_order& wo, sla::instant now) { return sla::assign(wo, who, to, now); };
  co_return co_await transition(who, std::move(id), std::move(decide));
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
  co_return co_await transition(who, std::move(id), std::move(decide));
}

// Read, check the member may act, decide, write with the version checked; on a lost race read
// and decide again, so the decision is always made on what is stored.
asio::awaitable<result<act_outcome>> engine::transition(sla::member who, std::string id, decide_fn decide) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto o = co_await store_.load(id, false);
    if (!o) {
      if (o.error() == errc::not_found) co_return act_outcome{act_outcome::kind::not_found, {}, {}};
      co_return o.error();
    }
    switch (sla::may_act(o->wo, who)) {
      case sla::access::forbidden: co_return act_outcome{act_outcome::kind::forbidden, {}, {}};
      case sla::access::moved:
        co_return act_outcome{act_outcome::kind::moved, std::move(*o), "工单已转由" + o->wo.holder + "处理"};
      case sla::access::allowed: break;
    }
    auto d = decide(o->wo, clock_.now());
    if (d.duplicate) co_return act_outcome{act_outcome::kind::duplicate, std::move(*o), {}};
    if (!d.ok()) co_return act_outcome{act_outcome::kind::refused, std::move(*o), d.refused};
    auto written = co_await store_.apply(d, o->wo);
    if (!written) {
      if (written.error() == errc::conflict) continue;
      co_return written.error();
    }
    d.next.version = *written;
    notified(d.notify.size());
    arm(id, d.next, d.arm);
    spdlog::info("engine: {} {} by {} ({})", id, d.events.empty() ? "" : sla::code_of(d.events.front().kind),
                 sla::mask_phone(who.id), who.organisation);
    co_return act_outcome{act_outcome::kind::applied, {std::move(d.next), std::move(d.events)}, {}};
  }
  co_return make_error_code(errc::conflict);
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
    if (!found) continue;  // Redis away: the next tick tries again
    for (auto& d : *found) {
      ++stats_.swept;
      spdlog::warn("engine: {} {} was still armed {} ms after it fell due; firing it", d.id, sla::code_of(d.due.kind),
                   std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - d.due.at).count());
      due_.push_back({d.due.at, std::move(d.id), d.due.kind, true, d.due.s, d.due.index});
    }
    pump();
  }
}

// One deadline: read the work order, let the domain decide, write the decision atomically.
// A lost race (another engine, a crew action) re-reads and decides again; Redis away means
// retry shortly; the deadline stays in Redis all along, so nothing is lost either way.
asio::awaitable<void> engine::fire(timer_entry e) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto loaded = co_await store_.load(e.id, false);
    if (!loaded) {
      if (loaded.error() == errc::not_found) {
        spdlog::error("engine: deadline {} for unknown work order {}", sla::code_of(e.kind), e.id);
        co_return;
      }
      break;
    }
    const auto now = clock_.now();
    auto d = sla::on_deadline(loaded->wo, sla::deadline{e.kind, e.at, e.step, e.index}, now, e.on_recovery, ladder_);
    if (!d.changed() && d.cancel.empty()) co_return;
    auto written = co_await store_.apply(d, loaded->wo);
    if (written) {
      notified(d.notify.size());
      for (const auto& ev : d.events) {
        if (ev.kind != sla::event_kind::clock_breached) continue;
        long long late = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - e.at).count();
        ++stats_.breaches;
        if (ev.on_recovery) {
          ++stats_.breaches_on_recovery;
        } else {
          stats_.max_breach_late_ms = std::max(stats_.max_breach_late_ms, late);
        }
        spdlog::warn("engine: BREACH {} {} clock of {} (deadline passed {} ms ago{})", e.id, sla::code_of(e.kind),
                     ev.organisation, late, ev.on_recovery ? ", engine was down" : "");
      }
      arm(e.id, d.next, d.arm);
      co_return;
    }
    if (written.error() != errc::conflict) break;
  }
  // Redis is away or the record keeps moving: try again shortly, keeping the entry.
  ++stats_.fire_retries;
  asio::steady_timer t(ex_);
  t.expires_after(retry_delay);
  co_await t.async_wait(asio::use_awaitable);
  due_.push_back(std::move(e));
}

}  // namespace halfhour
