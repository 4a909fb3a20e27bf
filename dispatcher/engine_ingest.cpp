// The engine's side of the ingest protocol (dispatcher/ingest_protocol.hpp): each action carried
// out on the store, with the counts and log lines each answer calls for.
#include "dispatcher/engine.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "adapters/crypto.hpp"
#include "sla/text.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;
using namespace boost::asio::experimental::awaitable_operators;
using ingest_kind = ingest_protocol::action::kind;

namespace {

// A lease given back; one not given back expires by itself.
asio::awaitable<void> let_go(work_order_store& store, std::string lease, std::string token) {
  (void)co_await store.release(std::move(lease), std::move(token), work_order_store::lease_kind::brief);
}

}  // namespace

// What the engine makes of a report before the store is asked anything.
ingest_protocol::report engine::report_of(channels::request r) const {
  ingest_protocol::report rep;
  rep.cls = classifier_.classify(r.intake.content, r.hints);
  rep.where = resolver_.resolve(r.intake.address, r.intake.content);
  if (r.screen) rep.screening = classifier_.screen(r.intake.content, rep.cls);
  rep.link_window = link_window_;
  rep.max_linked = max_linked_;
  if (ingest_protocol::may_link(rep.where, link_window_)) rep.lease_token = crypto::random_hex(8);
  rep.request = std::move(r);
  return rep;
}

// Each action carried out where the protocol asked for it: one coroutine frame per report, not
// one per step (a step's frame and its event's moves cost more than the step's own work).
asio::awaitable<result<ingest_outcome>> engine::ingest(channels::request r) {
  ingest_protocol p(report_of(std::move(r)), ladder_, limits_);
  ingest_protocol::event ev = ingest_protocol::start{clock_.now()};
  for (;;) {
    auto a = p.resume(std::move(ev));
    switch (a.what) {
      case ingest_kind::lookup: {
        auto known = co_await store_.lookup(std::string(a.key));
        ev = ingest_protocol::looked_up{std::move(known), clock_.now()};
        break;
      }
      case ingest_kind::screen_out: ev = co_await screen_out(std::move(a)); break;
      case ingest_kind::lease_and_look: ev = co_await lease_and_look(std::move(a)); break;
      case ingest_kind::wait: {
        asio::steady_timer wait(ex_);
        wait.expires_after(a.delay);
        co_await wait.async_wait(asio::use_awaitable);
        ev = ingest_protocol::waited{clock_.now()};
        break;
      }
      case ingest_kind::look: {
        spdlog::warn("engine: {} could not take the lease of {}; checking for duplicates without it", a.key,
                     a.community);
        auto seen = co_await store_.accepted_for(std::string(a.community), a.since);
        ev = ingest_protocol::looked{std::move(seen), clock_.now()};
        break;
      }
      case ingest_kind::read_candidates: {
        auto open = co_await store_.load_many(std::move(a.ids));
        ev = ingest_protocol::candidates_read{std::move(open)};
        break;
      }
      case ingest_kind::link: {
        // Named, not built inside the co_await: g++ 12 destroys such a lambda twice.
        decide_fn decide = [&p](const sla::work_order& wo, sla::instant at) { return p.link_decision(wo, at); };
        std::optional<sla::member> engine_itself;
        auto linked = co_await transition(std::move(engine_itself), std::string(a.id), std::move(decide));
        ev = ingest_protocol::linked{std::move(linked)};
        break;
      }
      case ingest_kind::remember: {
        auto points = co_await store_.remember(std::string(a.key), std::string(a.id), false);
        ev = ingest_protocol::remembered{std::move(points)};
        break;
      }
      case ingest_kind::read_order: ev = co_await read_order(std::move(a)); break;
      case ingest_kind::create: ev = co_await create(p, std::string(a.key)); break;
      case ingest_kind::release:
        // Let go in the background: nothing this report does next waits on it, and its caller is
        // answered a round trip sooner. The release goes out on the connection after every write
        // of this report, so a report that then takes the lease sees them all.
        asio::co_spawn(ex_, let_go(store_, std::string(a.lease), std::string(a.token)), asio::detached);
        ev = ingest_protocol::released{};
        break;
      case ingest_kind::answer: co_return p.take_outcome();
      case ingest_kind::fail: co_return a.error;
    }
  }
}

asio::awaitable<ingest_protocol::screened_out> engine::screen_out(ingest_protocol::action a) {
  auto k = co_await store_.screen_out(std::string(a.key), *a.message);
  if (k && k->screened) {
    ++stats_.not_requests;
    spdlog::info("engine: {} is not a repair request: {}", a.key, k->reason);
  }
  co_return ingest_protocol::screened_out{std::move(k)};
}

// The look at the community's recent jobs goes in the same round trip as the lease, after it,
// and a key not looked up yet before both.
asio::awaitable<ingest_protocol::leased> engine::lease_and_look(ingest_protocol::action a) {
  ingest_protocol::leased out{std::nullopt, false, std::vector<sla::recent_job>{}, {}};
  auto take = store_.lease(std::string(a.lease), std::string(a.token), a.ttl, work_order_store::lease_kind::brief);
  auto look = store_.accepted_for(std::string(a.community), a.since);
  if (a.with_lookup) {
    auto key = store_.lookup(std::string(a.key));
    auto all = std::move(key) && std::move(take) && std::move(look);  // named: no temporaries in co_await (g++ 12)
    auto [known, held, recent] = co_await std::move(all);
    out.known = std::move(known);
    out.held = std::move(held);
    out.recent = std::move(recent);
  } else {
    auto both = std::move(take) && std::move(look);
    auto [held, recent] = co_await std::move(both);
    out.held = std::move(held);
    out.recent = std::move(recent);
  }
  out.now = clock_.now();
  co_return out;
}

// A retry is answered with its job as it stands; a report that joined a job, with that job.
asio::awaitable<ingest_protocol::order_read> engine::read_order(ingest_protocol::action a) {
  if (a.joined) {
    ++stats_.linked;
    spdlog::info("engine: {} joined {} as the same incident ({})", a.key, a.id, a.why);
  }
  auto o = co_await store_.load(std::string(a.id), false);
  if (o && !a.joined) ++stats_.duplicates;
  co_return ingest_protocol::order_read{std::move(o)};
}

asio::awaitable<ingest_protocol::created> engine::create(ingest_protocol& p, std::string key) {
  std::vector<sla::deadline> armed;
  std::size_t told = 0;
  // A named std::function, not a lambda converted inside the co_await: g++ 12 may destroy such a
  // temporary twice.
  std::function<sla::decision(std::string)> build = [&](std::string id) {
    auto d = p.accept(std::move(id), clock_.now());
    armed = d.arm;
    told = d.notify.size();
    return d;
  };
  auto c = co_await store_.create(key, std::move(build));
  if (!c) {
    ++stats_.store_errors;
    spdlog::warn("engine: {} not accepted: {}", key, c.error().message());
  } else if (!c->created) {
    ++stats_.duplicates;
    spdlog::info("engine: {} is already {}; nothing created", key, c->order.wo.id);
  } else {
    const auto& wo = c->order.wo;
    ++stats_.accepted;
    ++changes_;
    notified(told);
    arm(wo.id, wo, armed);
    spdlog::info("engine: accepted {} ({}) {} {} -> {} reporter {}", wo.id, key,
                 wo.cls.level == sla::urgency::urgent ? "urgent" : "general", wo.cls.category, wo.holder,
                 sla::mask_phone(wo.who.phone));
  }
  co_return ingest_protocol::created{std::move(c)};
}

}  // namespace halfhour
