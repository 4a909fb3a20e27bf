// The engine's side of the ingest protocol (dispatcher/ingest_protocol.hpp): each action carried
// out on the store, with the counts and log lines each answer calls for.
#include "dispatcher/engine.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "adapters/crypto.hpp"
#include "sla/text.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;
using namespace boost::asio::experimental::awaitable_operators;
using ingest_kind = ingest_protocol::action::kind;

asio::awaitable<result<ingest_outcome>> engine::ingest(channels::request r) {
  ingest_protocol::report rep;
  rep.cls = classifier_.classify(r.intake.content, r.hints);
  rep.where = resolver_.resolve(r.intake.address, r.intake.content);
  if (r.screen) rep.screening = classifier_.screen(r.intake.content, rep.cls);
  rep.link_window = link_window_;
  rep.max_linked = max_linked_;
  if (ingest_protocol::may_link(rep.where, link_window_)) rep.lease_token = crypto::random_hex(8);
  rep.request = std::move(r);
  ingest_protocol p(std::move(rep), ladder_, limits_);
  ingest_protocol::event ev = ingest_protocol::start{clock_.now()};
  for (;;) {
    auto a = p.resume(std::move(ev));
    if (a.what == ingest_kind::answer) co_return std::move(a.outcome);
    if (a.what == ingest_kind::fail) co_return a.error;
    ev = co_await carry_out(p, std::move(a));
  }
}

asio::awaitable<ingest_protocol::event> engine::carry_out(ingest_protocol& p, ingest_protocol::action a) {
  switch (a.what) {
    case ingest_kind::lookup: {
      auto known = co_await store_.lookup(std::move(a.key));
      co_return ingest_protocol::looked_up{std::move(known), clock_.now()};
    }
    case ingest_kind::screen_out: {
      auto k = co_await store_.screen_out(a.key, std::move(a.message));
      if (k && k->screened) {
        ++stats_.not_requests;
        spdlog::info("engine: {} is not a repair request: {}", a.key, k->reason);
      }
      co_return ingest_protocol::screened_out{std::move(k)};
    }
    case ingest_kind::lease_and_look: co_return co_await lease_and_look(std::move(a));
    case ingest_kind::wait: {
      asio::steady_timer wait(ex_);
      wait.expires_after(a.delay);
      co_await wait.async_wait(asio::use_awaitable);
      co_return ingest_protocol::waited{clock_.now()};
    }
    case ingest_kind::look: {
      spdlog::warn("engine: {} could not take the lease of {}; checking for duplicates without it", a.key,
                   a.community);
      auto seen = co_await store_.accepted_for(std::move(a.community), a.since);
      co_return ingest_protocol::looked{std::move(seen), clock_.now()};
    }
    case ingest_kind::read_candidates: {
      auto open = co_await store_.load_many(std::move(a.ids));
      co_return ingest_protocol::candidates_read{std::move(open)};
    }
    case ingest_kind::link: {
      // Named, not built inside the co_await: g++ 12 destroys such a lambda twice.
      decide_fn decide = [&p](const sla::work_order& wo, sla::instant at) { return p.link_decision(wo, at); };
      std::optional<sla::member> engine_itself;
      auto linked = co_await transition(std::move(engine_itself), std::move(a.id), std::move(decide));
      co_return ingest_protocol::linked{std::move(linked)};
    }
    case ingest_kind::remember: {
      auto points = co_await store_.remember(std::move(a.key), std::move(a.id), false);
      co_return ingest_protocol::remembered{std::move(points)};
    }
    case ingest_kind::read_order: co_return co_await read_order(std::move(a));
    case ingest_kind::create: co_return co_await create(p, std::move(a.key));
    case ingest_kind::release: {
      (void)co_await store_.release(std::move(a.lease), std::move(a.token));  // it expires by itself otherwise
      co_return ingest_protocol::released{};
    }
    case ingest_kind::answer:
    case ingest_kind::fail: break;
  }
  throw std::logic_error("engine: an ingest action with nothing to carry out");
}

// The look at the community's recent jobs goes in the same round trip as the lease, after it,
// and a key not looked up yet before both.
asio::awaitable<ingest_protocol::event> engine::lease_and_look(ingest_protocol::action a) {
  ingest_protocol::leased out{std::nullopt, false, std::vector<sla::recent_job>{}, {}};
  auto take = store_.lease(std::move(a.lease), std::move(a.token), a.ttl);
  auto look = store_.accepted_for(std::move(a.community), a.since);
  if (a.with_lookup) {
    auto key = store_.lookup(std::move(a.key));
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
asio::awaitable<ingest_protocol::event> engine::read_order(ingest_protocol::action a) {
  if (a.joined) {
    ++stats_.linked;
    spdlog::info("engine: {} joined {} as the same incident ({})", a.key, a.id, a.why);
  }
  auto o = co_await store_.load(std::move(a.id), true);
  if (o && !a.joined) ++stats_.duplicates;
  co_return ingest_protocol::order_read{std::move(o)};
}

asio::awaitable<ingest_protocol::event> engine::create(ingest_protocol& p, std::string key) {
  std::vector<sla::deadline> armed;
  std::size_t told = 0;
  // A named std::function, not a lambda converted inside the co_await (see DESIGN.md §5).
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
