// The engine's reads that reach past the store into the archive: a job looked up by id, and the
// records a report reads. The store answers first; the archive holds what left it (a job found
// in both, after a pass that died before taking it out, is the store's).
#include <algorithm>
#include <unordered_set>

#include "adapters/errors.hpp"
#include "dispatcher/engine.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

asio::awaitable<result<stored_order>> engine::get(std::string id) {
  auto o = co_await store_.load(id, true);
  if (o || o.error() != errc::not_found || !archive_) co_return o;
  auto a = co_await archive_->find(std::move(id));
  if (!a) co_return a.error();
  if (!*a) co_return o;
  co_return decode_archived(**a);
}

asio::awaitable<result<act_outcome>> engine::view(sla::member who, std::string id) {
  auto o = co_await get(std::move(id));
  if (!o) {
    if (o.error() == errc::not_found) co_return act_outcome{act_outcome::kind::not_found, {}, {}};
    co_return o.error();
  }
  if (sla::may_see(o->wo, who) != sla::access::allowed) co_return act_outcome{act_outcome::kind::forbidden, {}, {}};
  co_return act_outcome{act_outcome::kind::shown, std::move(*o), {}};
}

asio::awaitable<result<std::vector<sla::order_record>>> engine::records_between(sla::instant from, sla::instant to) {
  constexpr std::size_t most = 5'000'000;  // a whole city's months, several times over
  auto ids = co_await store_.accepted_between(from, to, most);
  if (!ids) co_return ids.error();
  auto loaded = co_await store_.load_histories(std::move(*ids));
  if (!loaded) co_return loaded.error();
  // What the store gave, not what its index listed: a job archived and taken out between the two
  // reads is skipped by the store and found in the archive, read after.
  std::unordered_set<std::string> in_store;
  std::vector<sla::order_record> out;
  out.reserve(loaded->size());
  for (auto& o : *loaded) {
    in_store.insert(o.wo.id);
    out.push_back({std::move(o.wo), std::move(o.history)});
  }
  if (!archive_) co_return out;

  auto months = co_await archive_->months();
  if (!months) co_return months.error();
  for (const auto& m : *months) {
    if (m.end() <= from || m.start() >= to) continue;
    auto archived = co_await archive_->read_month(m);
    if (!archived) co_return archived.error();
    // A job may be in two parts (it changed after it was archived, before it left the store):
    // the later copy counts, once.
    std::sort(archived->begin(), archived->end(), [](const archived_order& a, const archived_order& b) {
      return a.id != b.id ? a.id < b.id : sla::later(a.stamp(), b.stamp());
    });
    for (std::size_t i = 0; i < archived->size(); ++i) {
      const auto& a = (*archived)[i];
      if ((i > 0 && (*archived)[i - 1].id == a.id) || in_store.contains(a.id)) continue;
      auto d = decode_archived(a);
      if (!d) co_return d.error();
      if (d->wo.accepted_at < from || d->wo.accepted_at >= to) continue;
      out.push_back({std::move(d->wo), std::move(d->history)});
    }
  }
  co_return out;
}

}  // namespace halfhour
