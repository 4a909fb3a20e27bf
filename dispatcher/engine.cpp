#include "dispatcher/engine.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "adapters/crypto.hpp"
#include "adapters/errors.hpp"
#include "sla/duplicates.hpp"
#include "sla/text.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;
using namespace boost::asio::experimental::awaitable_operators;

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
    auto layout = co_await store_.claim_layout();
    if (!layout && layout.error() == errc::incompatible)
      throw std::runtime_error("the store in Redis holds data of another storage layout; not starting");
    // Each chunk is armed as the scan delivers it: collecting a million deadlines first would
    // hold them twice at the peak. A scan that fails half-way leaves its chunks armed and the
    // retry arms them again; a step fires once all the same (the store fences every firing).
    const auto now = clock_.now();
    std::size_t total = 0, overdue = 0;
    std::function<void(std::vector<armed_deadline>)> arm_chunk = [&](std::vector<armed_deadline> chunk) {
      for (auto& d : chunk) {
        timer_entry e{d.due.at, std::move(d.id), d.due.kind, d.due.at <= now, d.due.s, d.due.index};
        overdue += e.on_recovery;
        ++total;
        queue_.push(std::move(e), sla::duration{0});
      }
    };
    result<void> r = layout;
    if (layout) r = co_await store_.scan_deadlines(std::move(arm_chunk));
    if (r) {
      recovered_ = true;
      spdlog::info("engine: recovered {} armed deadlines, {} fell due while the engine was down", total, overdue);
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

asio::awaitable<result<ingest_outcome>> engine::ingest(channels::request r) {
  auto cls = classifier_.classify(r.intake.content, r.hints);
  auto where = resolver_.resolve(r.intake.address, r.intake.content);
  const bool may_link =
      link_window_ > sla::duration::zero() && where.to == sla::route::firm && !where.community_name.empty();

  // A known key is a retry, answered with what it made. A report that may repeat an open job
  // has its key looked up in the same round trip as the community's lease, below.
  bool looked_up = false;
  if (r.screen || !may_link) {
    auto known = co_await store_.lookup(r.idempotency_key);
    if (!known) co_return known.error();
    if (*known) co_return co_await existing(std::move(**known));
    looked_up = true;
  }
  if (r.screen) {
    auto s = classifier_.screen(r.intake.content, cls);
    if (!s.request) {
      screened_message m{r.intake.source, r.intake.external_no, r.intake.address, r.intake.who.name,
                         r.intake.content, s.reason, clock_.now()};
      auto k = co_await store_.screen_out(r.idempotency_key, std::move(m));
      if (!k) co_return k.error();
      if (!k->screened) co_return co_await existing(std::move(*k));  // a retry raced us to a job
      ++stats_.not_requests;
      spdlog::info("engine: {} is not a repair request: {}", r.idempotency_key, k->reason);
      co_return ingest_outcome{ingest_outcome::kind::not_a_request, {}, k->reason};
    }
  }
  if (!may_link) co_return co_await create(std::move(r), std::move(cls), std::move(where));

  // Two reports of one incident arriving together must not both open a job: whoever holds the
  // community's lease looks and creates (or links) while the other waits. The lease expires by
  // itself if its engine dies (or Redis restarts with it held); a report that cannot get it
  // within 200 ms is taken anyway: holders keep it for milliseconds, so a longer wait only ever
  // waits out a stale lease.
  const std::string lease = "dup:" + where.community_name;
  const std::string token = crypto::random_hex(8);
  bool held = false;
  const std::chrono::milliseconds lease_ttl{3000};
  asio::steady_timer wait(ex_);
  // The look at the community's recent jobs goes in the same round trip as the lease, after it:
  // Redis runs one connection's commands in order, so with the lease taken the look saw every
  // job created before it. Without the lease, the look is dropped and both are tried again.
  std::vector<sla::recent_job> recent;
  for (int attempt = 0; attempt < 40 && !held; ++attempt) {
    std::optional<result<bool>> got;
    std::optional<result<std::vector<sla::recent_job>>> seen;
    auto take = store_.lease(lease, token, lease_ttl);
    auto look = store_.accepted_for(where.community_name, clock_.now() - link_window_);
    if (!looked_up) {
      auto key = store_.lookup(r.idempotency_key);
      auto all = std::move(key) && std::move(take) && std::move(look);  // named: no temporaries in co_await (g++ 12)
      auto [known, g, s] = co_await std::move(all);
      if (!known) co_return known.error();
      looked_up = true;
      if (*known) {
        if (g && *g) (void)co_await store_.release(lease, token);
        co_return co_await existing(std::move(**known));
      }
      got = std::move(g);
      seen = std::move(s);
    } else {
      auto both = std::move(take) && std::move(look);
      auto [g, s] = co_await std::move(both);
      got = std::move(g);
      seen = std::move(s);
    }
    if (!*got) co_return got->error();
    held = **got;
    if (held) {
      if (!*seen) co_return seen->error();
      recent = std::move(**seen);
    } else {
      wait.expires_after(std::chrono::milliseconds{5});
      co_await wait.async_wait(asio::use_awaitable);
    }
  }
  if (!held) {
    spdlog::warn("engine: {} could not take the lease of {}; checking for duplicates without it",
                 r.idempotency_key, where.community_name);
    auto seen = co_await store_.accepted_for(where.community_name, clock_.now() - link_window_);
    if (!seen) co_return seen.error();
    recent = std::move(*seen);
  }
  auto out = co_await create_or_link(std::move(r), std::move(cls), std::move(where), std::move(recent));
  if (held) (void)co_await store_.release(lease, token);  // it expires by itself otherwise
  co_return out;
}

asio::awaitable<result<ingest_outcome>> engine::existing(known_key k) {
  if (k.screened) co_return ingest_outcome{ingest_outcome::kind::not_a_request, {}, k.reason};
  auto o = co_await store_.load(k.id, true);
  if (!o) co_return o.error();
  ++stats_.duplicates;
  co_return ingest_outcome{ingest_outcome::kind::repeat, std::move(*o), {}};
}

asio::awaitable<result<ingest_outcome>> engine::create_or_link(channels::request r, sla::classification cls,
                                                               sla::resolution where,
                                                               std::vector<sla::recent_job> recent) {
  const auto now = clock_.now();
  // Only the jobs the report could repeat are read: in a burst a community has hundreds.
  std::vector<std::string> ids;
  for (const auto& j : recent)
    if (sla::could_repeat(cls, where, j)) ids.push_back(j.id);
  if (!ids.empty()) {
    auto open = co_await store_.load_many(std::move(ids));
    if (!open) co_return open.error();
    if (auto match = sla::find_duplicate(cls, where, *open, link_window_, now)) {
      const auto key = r.idempotency_key;
      const auto in = r.intake;
      const auto why = match->why;
      const auto keep_whole = max_linked_;
      decide_fn decide = [in, key, why, keep_whole](const sla::work_order& wo, sla::instant at) {
        if (wo.state == sla::wo_state::done) {  // finished meanwhile: the report needs its own job
          sla::decision d{.next = wo};
          d.refused = "工单已完工";
          return d;
        }
        return sla::link(wo, in, key, why, at, keep_whole);
      };
      std::optional<sla::member> engine_itself;
      auto linked = co_await transition(std::move(engine_itself), match->id, std::move(decide));
      if (!linked) co_return linked.error();
      if (linked->what == act_outcome::kind::applied || linked->what == act_outcome::kind::duplicate) {
        auto points = co_await store_.remember(key, match->id, false);
        if (!points) co_return points.error();
        if (*points != match->id) {
          known_key other{*points, false, {}};
          co_return co_await existing(std::move(other));
        }
        ++stats_.linked;
        spdlog::info("engine: {} joined {} as the same incident ({})", key, match->id, match->why);
        auto o = co_await store_.load(match->id, true);
        if (!o) co_return o.error();
        co_return ingest_outcome{ingest_outcome::kind::linked, std::move(*o), match->why};
      }
    }
  }
  co_return co_await create(std::move(r), std::move(cls), std::move(where));
}

asio::awaitable<result<ingest_outcome>> engine::create(channels::request r, sla::classification cls,
                                                       sla::resolution where) {
  std::vector<sla::deadline> armed;
  std::size_t told = 0;
  // A named std::function, not a lambda converted inside the co_await (see DESIGN.md §5).
  std::function<sla::decision(std::string)> build = [&](std::string id) {
    auto d = sla::accept(r.intake, std::move(id), cls, where, ladder_, limits_, clock_.now());
    armed = d.arm;
    told = d.notify.size();
    return d;
  };
  auto c = co_await store_.create(r.idempotency_key, std::move(build));
  if (!c) {
    ++stats_.store_errors;
    spdlog::warn("engine: {} not accepted: {}", r.idempotency_key, c.error().message());
    co_return c.error();
  }
  const auto& wo = c->order.wo;
  if (!c->created) {
    ++stats_.duplicates;
    spdlog::info("engine: {} is already {}; nothing created", r.idempotency_key, wo.id);
    co_return ingest_outcome{ingest_outcome::kind::repeat, std::move(c->order), {}};
  }
  ++stats_.accepted;
  ++changes_;
  notified(told);
  arm(wo.id, wo, armed);
  spdlog::info("engine: accepted {} ({}) {} {} -> {} reporter {}", wo.id, r.idempotency_key,
               wo.cls.level == sla::urgency::urgent ? "urgent" : "general", wo.cls.category, wo.holder,
               sla::mask_phone(wo.who.phone));
  co_return ingest_outcome{ingest_outcome::kind::created, std::move(c->order), {}};
}

asio::awaitable<result<act_outcome>> engine::unlink(sla::member who, std::string id, std::string key) {
  const bool operator_role = who.kind == sla::role::station || who.kind == sla::role::supervisor;
  auto o = co_await store_.load(id, false);
  if (!o) {
    if (o.error() == errc::not_found) co_return act_outcome{act_outcome::kind::not_found, {}, {}};
    co_return o.error();
  }
  const bool holders_manager = who.kind == sla::role::manager && o->wo.holder == who.organisation;
  if (!operator_role && !holders_manager) co_return act_outcome{act_outcome::kind::forbidden, {}, {}};
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
      if (sla::split_from(split->history, id)) co_return act_outcome{act_outcome::kind::duplicate, std::move(*split), {}};
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

asio::awaitable<result<stored_order>> engine::get(std::string id) { co_return co_await store_.load(std::move(id), true); }

asio::awaitable<result<void>> engine::ping() { co_return co_await store_.ping(); }

asio::awaitable<result<std::vector<std::string>>> engine::accepted_between(sla::instant from, sla::instant to,
                                                                           std::size_t limit) {
  co_return co_await store_.accepted_between(from, to, limit);
}

asio::awaitable<result<std::vector<sla::work_order>>> engine::load_many(std::vector<std::string> ids) {
  co_return co_await store_.load_many(std::move(ids));
}

asio::awaitable<result<std::vector<sla::order_record>>> engine::records_between(sla::instant from, sla::instant to) {
  constexpr std::size_t most = 5'000'000;  // a whole city's months, several times over
  auto ids = co_await store_.accepted_between(from, to, most);
  if (!ids) co_return ids.error();
  auto loaded = co_await store_.load_histories(std::move(*ids));
  if (!loaded) co_return loaded.error();
  std::vector<sla::order_record> out;
  out.reserve(loaded->size());
  for (auto& o : *loaded) out.push_back({std::move(o.wo), std::move(o.history)});
  co_return out;
}

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
  a.actor_role = who.kind;
  const auto& station = resolver_.dir().station;
  // Named, not built inside the co_await: g++ 12 destroys such a lambda twice.
  decide_fn decide = [a, station](const sla::work_order& wo, sla::instant now) {
    return sla::apply(wo, a, station, now);
  };
  std::optional<sla::member> by = who;  // named: no temporaries inside a co_await (g++ 12)
  co_return co_await transition(std::move(by), std::move(id), std::move(decide));
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
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto o = co_await store_.load(id, false);
    if (!o) {
      if (o.error() == errc::not_found) co_return act_outcome{act_outcome::kind::not_found, {}, {}};
      co_return o.error();
    }
    switch (!who ? sla::access::allowed : check ? check(o->wo, *who) : sla::may_act(o->wo, *who)) {
      case sla::access::forbidden: co_return act_outcome{act_outcome::kind::forbidden, {}, {}};
      case sla::access::moved: {
        // The reason first: the braced list below moves the record before its next clause runs.
        auto why = "工单已转由" + o->wo.holder + "处理";
        co_return act_outcome{act_outcome::kind::moved, std::move(*o), std::move(why)};
      }
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
    ++changes_;
    notified(d.notify.size());
    arm(id, d.next, d.arm);
    if (who)
      spdlog::info("engine: {} {} by {} ({})", id, d.events.empty() ? "" : sla::code_of(d.events.front().kind),
                   sla::mask_phone(who->id), who->organisation);
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
      ++stats_.store_errors;
      break;
    }
    const auto now = clock_.now();
    const sla::deadline due{e.kind, e.at, e.step, e.index};
    auto d = sla::on_deadline(loaded->wo, due, now, e.on_recovery, ladder_);
    if (!d.changed() && d.cancel.empty()) co_return;
    std::optional<sla::deadline> firing = due;  // named: no temporaries inside a co_await (g++ 12)
    auto written = co_await store_.apply(d, loaded->wo, firing);
    if (!written && written.error() == errc::stale) co_return;  // fired already, here or elsewhere
    if (written) {
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
      co_return;
    }
    if (written.error() != errc::conflict) {
      ++stats_.store_errors;
      break;
    }
  }
  // Redis is away or the record keeps moving: try again shortly, keeping the entry.
  ++stats_.fire_retries;
  asio::steady_timer t(ex_);
  t.expires_after(retry_delay);
  co_await t.async_wait(asio::use_awaitable);
  due_.push_back(std::move(e));
}

}  // namespace halfhour
