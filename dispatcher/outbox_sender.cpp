#include "dispatcher/outbox_sender.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <utility>

#include "adapters/http/client.hpp"
#include "adapters/markdown.hpp"
#include "dispatcher/prometheus.hpp"
#include "sla/sms_reply.hpp"

namespace halfhour {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Deliveries at once: a backlog of thousands must not open thousands of connections.
constexpr std::size_t max_in_flight = 32;

std::string flight_id(const outbox_entry& e) { return std::to_string(e.shard) + ":" + e.stream_id; }

// The hotline wants a status per ticket; everyone else reads a group-robot message.
std::string body_of(const outbox_entry& e) {
  if (e.to == "hotline") {
    return json::serialize(json::object{{"ticket_no", e.ref},
                                        {"work_order", e.work_order},
                                        {"status", e.kind},
                                        {"text", e.text},
                                        {"idempotency_key", e.key}});
  }
  return json::serialize(
      json::object{{"msgtype", "markdown"}, {"markdown", json::object{{"content", markdown::as_text(e.text)}}}});
}

// An SMS about an open job to the firm or the station holding it names the job's short code and
// how to answer by SMS; the others (committee, centre) only read.
std::string sms_text(const outbox_entry& e) {
  if (e.short_code.empty() || (e.to != "holder" && e.to != "station")) return e.text;
  return e.text + " 工单码 " + e.short_code + "，" + sla::reply_grammar(e.short_code);
}

}  // namespace

outbox_sender::outbox_sender(asio::any_io_executor ex, outbox_store& store, delivery_settings settings,
                             std::string consumer, clock& clk, http::client& out)
    : ex_(ex),
      store_(store),
      settings_(std::move(settings)),
      consumer_(std::move(consumer)),
      clock_(clk),
      out_(out),
      wake_(ex) {}

void outbox_sender::start() {
  if (!settings_.enabled()) {
    spdlog::warn("outbox: no delivery addresses configured; notifications wait in the outbox");
    return;
  }
  asio::co_spawn(ex_, run(), asio::detached);
}

void outbox_sender::poke() {
  woken_ = true;
  wake_.cancel();
}

std::pair<std::string, std::string> outbox_sender::route_of(const outbox_entry& e) const {
  if (e.to == "hotline") return {settings_.hotline_url, body_of(e)};
  if (e.to == "sms" || e.to == "reporter") {  // to one person's phone, by the gateway only
    if (settings_.sms_url.empty()) return {};
    std::string text = e.text;
    if (e.to == "reporter" && e.kind == "rate_invite" && links_.enabled()) {
      const auto days = rating_link::days_open(link_valid_);
      text += "请为本次服务评价：" + rating_link::url(links_, e.work_order, e.organisation) +
              (days > 0 ? "（" + std::to_string(days) + "天内有效）" : "");
    }
    std::string message = settings_.sms_template;
    if (auto at = message.find("{text}"); at != std::string::npos) message.replace(at, 6, text);
    return {settings_.sms_url,
            json::serialize(json::object{{"phone", e.ref}, {"message", message}, {"idempotency_key", e.key}})};
  }
  const std::string names[] = {e.organisation, e.to, "default"};
  for (const auto& name : names) {
    if (auto it = settings_.webhooks.find(name); it != settings_.webhooks.end()) return {it->second, body_of(e)};
  }
  for (const auto& name : names) {
    auto it = settings_.sms_phones.find(name);
    if (it == settings_.sms_phones.end()) continue;
    std::string message = settings_.sms_template;
    if (auto at = message.find("{text}"); at != std::string::npos) message.replace(at, 6, sms_text(e));
    return {settings_.sms_url,
            json::serialize(json::object{{"phone", it->second}, {"message", message}, {"idempotency_key", e.key}})};
  }
  return {};
}

asio::awaitable<void> outbox_sender::run() {
  std::weak_ptr<bool> alive = alive_;
  for (;;) {
    auto ok = co_await store_.ensure_groups();
    if (alive.expired()) co_return;
    if (ok) break;
    wake_.expires_after(settings_.poll);
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (alive.expired()) co_return;
  }
  auto last_claim = monotonic_now();
  for (;;) {
    const std::size_t room = max_in_flight - std::min(max_in_flight, in_flight_.size());
    std::vector<outbox_entry> work;
    bool more = false;
    if (room > 0) {
      auto fresh = co_await store_.read_new(consumer_, room);
      if (alive.expired()) co_return;
      if (fresh) {
        more = fresh->size() == room;
        work = std::move(*fresh);
      }
      if (monotonic_now() - last_claim >= settings_.claim_idle / 2) {
        last_claim = monotonic_now();
        auto stale = co_await store_.claim_stale(consumer_, settings_.claim_idle, room);
        if (alive.expired()) co_return;
        if (stale) work.insert(work.end(), stale->begin(), stale->end());
      }
    }
    for (auto& e : work) {
      if (!in_flight_.insert(flight_id(e)).second) continue;  // already ours and retrying
      asio::co_spawn(ex_, deliver(std::move(e)), asio::detached);
    }
    if (more) continue;                          // more waiting: read on at once
    if (std::exchange(woken_, false)) continue;  // poked while reading: new entries or new room
    wake_.expires_after(settings_.poll);
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));  // poke() or a finished delivery cancels it
    if (alive.expired()) co_return;
    woken_ = false;
  }
}

// One message: post, retry with backoff, acknowledge or dead-letter. The idempotency key goes
// with every attempt, so a receiver that got an attempt whose answer was lost drops the repeat.
asio::awaitable<void> outbox_sender::deliver(outbox_entry e) {
  std::weak_ptr<bool> alive = alive_;
  const auto [url, body] = route_of(e);
  std::string why = "no address configured for " + e.to + " " + e.organisation;
  auto backoff = settings_.backoff_first;
  asio::steady_timer wait(ex_);
  for (int attempt = 1; !url.empty() && attempt <= settings_.max_attempts; ++attempt) {
    std::vector<std::pair<std::string, std::string>> headers{{"Idempotency-Key", e.key}};
    auto r = co_await out_.post(url, body, "application/json; charset=utf-8", std::move(headers), settings_.timeout);
    if (alive.expired()) co_return;
    if (r && r->status >= 200 && r->status < 300) {
      co_await store_.ack(e, clock_.now());
      if (alive.expired()) co_return;
      ++stats_.delivered;
      settle(e);
      co_return;
    }
    ++stats_.failed_attempts;
    why = r ? "HTTP " + std::to_string(r->status) : r.error().message();
    spdlog::warn("outbox: {} to {} failed (attempt {} of {}): {}", e.key, e.to, attempt, settings_.max_attempts, why);
    if (attempt == settings_.max_attempts) break;
    // Wait in slices, telling the group after each that this entry is not abandoned: another
    // sender claims only what has been idle for claim_idle.
    for (auto left = backoff; left.count() > 0;) {
      auto slice = std::min(left, std::max(settings_.claim_idle / 3, std::chrono::milliseconds{1}));
      wait.expires_after(slice);
      co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
      if (alive.expired()) co_return;
      left -= slice;
      co_await store_.touch(e, consumer_);
      if (alive.expired()) co_return;
    }
    backoff = std::min(backoff * 2, settings_.backoff_max);
  }
  spdlog::error("outbox: giving up on {} to {}: {}", e.key, e.to, why);
  co_await store_.dead(e, why, clock_.now());
  if (alive.expired()) co_return;
  ++stats_.dead;
  settle(e);
}

std::string outbox_sender::metrics() const {
  prometheus_text p;
  p.counter("halfhour_outbox_delivered_total", "Notifications delivered.", stats_.delivered)
      .counter("halfhour_outbox_failed_attempts_total", "Delivery attempts that failed and will be retried.",
               stats_.failed_attempts)
      .counter("halfhour_outbox_dead_total", "Notifications given up on (in the dead-letter stream).", stats_.dead)
      .gauge("halfhour_outbox_in_flight", "Notifications this engine is delivering or retrying now.", in_flight());
  return std::move(p).str();
}

void outbox_sender::settle(const outbox_entry& e) {
  in_flight_.erase(flight_id(e));
  poke();  // room for the next entry
}

}  // namespace halfhour
