#include "dispatcher/archiver.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unordered_map>

#include "adapters/channels/request.hpp"
#include "adapters/crypto.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

namespace {
constexpr std::size_t month_most = 5'000'000;         // a month of a whole city, several times over
constexpr auto lease_ttl = std::chrono::minutes{10};  // a month takes seconds; a dead pass frees it
}  // namespace

archiver::archiver(work_order_store& store, retention_store& retention, order_archive& archive, int retention_months,
                   step_hook hook)
    : store_(store),
      retention_(retention),
      archive_(archive),
      retention_months_(retention_months),
      hook_(std::move(hook)) {}

asio::awaitable<result<archive_pass>> archiver::run(sla::instant now) {
  archive_pass pass;
  const auto first_kept = sla::first_kept(now, retention_months_);
  auto months = co_await run_months(first_kept, pass);
  if (!months) co_return months.error();
  if (pass.leased_elsewhere) co_return pass;
  // Then the logs that belong to no job, by the same window. Safe beside another engine's pass.
  auto trimmed = co_await retention_.trim_logs(first_kept.start());
  if (!trimmed) co_return trimmed.error();
  pass.trimmed = *trimmed;
  if (pass.trimmed)
    spdlog::info("archive: {} screened messages and undelivered notices older than {} let go", pass.trimmed,
                 first_kept.label());
  co_return pass;
}

asio::awaitable<result<void>> archiver::run_months(sla::month first_kept, archive_pass& pass) {
  // The oldest job still in the store says where to start; months are taken in order from there.
  auto oldest = co_await store_.accepted_between(sla::instant{}, first_kept.start(), 1);
  if (!oldest) co_return oldest.error();
  if (oldest->empty()) co_return result<void>{};
  auto first = co_await retention_.raw(*oldest);
  if (!first) co_return first.error();
  if (first->empty()) co_return result<void>{};  // gone meanwhile: the next pass starts after it
  auto decoded = decode_archived(first->front());
  if (!decoded) co_return decoded.error();
  const auto token = crypto::random_hex(16);
  for (auto m = sla::month::containing(decoded->wo.accepted_at); m.start() < first_kept.start(); m = m.next()) {
    auto mine = co_await store_.lease("archive", token, lease_ttl, work_order_store::lease_kind::lasting);
    if (!mine) co_return mine.error();
    if (!*mine) {
      pass.leased_elsewhere = true;
      co_return result<void>{};
    }
    auto done = co_await run_month(m, pass);
    (void)co_await store_.release("archive", token, work_order_store::lease_kind::lasting);  // or it expires
    if (!done) co_return done.error();
  }
  co_return result<void>{};
}

asio::awaitable<result<void>> archiver::run_month(sla::month m, archive_pass& pass) {
  ++pass.months;
  auto ids = co_await store_.accepted_between(m.start(), m.end(), month_most);
  if (!ids) co_return ids.error();
  if (ids->empty()) co_return result<void>{};
  auto live = co_await retention_.raw(std::move(*ids));
  if (!live) co_return live.error();
  auto archived = co_await archive_.read_month(m);
  if (!archived) co_return archived.error();

  std::vector<sla::live_copy> copies;
  std::unordered_map<std::string, const archived_order*> by_id;
  std::unordered_map<std::string, std::vector<std::string>> keys;
  std::size_t decoded = 0;
  for (const auto& o : *live) {
    // A month of a busy district is thousands of records: the clocks fire between chunks.
    if (++decoded % 256 == 0) co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    auto d = decode_archived(o);
    if (!d) {
      spdlog::error("archive: {} does not decode; it stays in the store", o.id);
      continue;
    }
    copies.push_back({o.stamp(), sla::archivable(d->wo)});
    by_id[o.id] = &o;
    keys[o.id] = channels::keys_of(d->wo);
  }
  std::vector<sla::copy_stamp> held;
  for (const auto& a : *archived) held.push_back(a.stamp());
  const auto plan = sla::plan_month(copies, held);
  pass.kept += plan.kept;

  if (!plan.write.empty()) {
    std::vector<archived_order> part;
    for (const auto& id : plan.write) part.push_back(*by_id.at(id));
    if (auto w = co_await archive_.write_part(m, std::move(part)); !w) co_return w.error();
    pass.written += plan.write.size();
  }
  for (const auto& c : plan.remove) {
    auto out = co_await retention_.retire(c, keys[c.id]);
    if (!out) co_return out.error();
    ++(*out ? pass.retired : pass.moved_on);
    if (&c == &plan.remove.front()) step("retired_one");
  }
  if (!plan.remove.empty()) step("retired_all");
  spdlog::info("archive: {}: {} written, {} out of the store, {} not finished stay", m.label(), plan.write.size(),
               plan.remove.size(), plan.kept);
  co_return result<void>{};
}

sla::instant next_archive_time(sla::instant now) {
  const auto today = sla::day_start(now) + std::chrono::minutes{3 * 60 + 30};
  return now < today ? today : today + std::chrono::hours{24};
}

void archive_schedule::schedule(sla::instant at) {
  clock_.wake_at(at, [alive = std::weak_ptr<archive_schedule*>(alive_)] {
    if (auto self = alive.lock()) asio::co_spawn((*self)->ex_, (*self)->due(), asio::detached);
  });
}

asio::awaitable<void> archive_schedule::due() {
  std::weak_ptr<archive_schedule*> alive = alive_;
  auto pass = co_await a_.run(clock_.now());
  if (alive.expired()) co_return;
  if (!pass) {
    spdlog::warn("archive: the pass failed ({}); trying again in ten minutes", pass.error().message());
    schedule(clock_.now() + std::chrono::minutes{10});
    co_return;
  }
  if (pass->leased_elsewhere) spdlog::info("archive: another engine is archiving");
  schedule(next_archive_time(clock_.now()));
}

}  // namespace halfhour
