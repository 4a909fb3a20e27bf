// Searching the work orders: the acceptance index read newest first, a batch at a time, each
// batch's records loaded in one round trip and kept when the filter and the member allow.
#include <algorithm>
#include <unordered_map>

#include "adapters/errors.hpp"
#include "dispatcher/engine.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

namespace {

// Records read per round trip: a few hundred kilobytes at most.
constexpr std::size_t batch = 200;

bool shown(const sla::work_order& wo, const sla::member& who, const engine::search_request& q) {
  return sla::matches(wo, q.filter) && sla::may_see(wo, who) == sla::access::allowed && wo.accepted_at >= q.from &&
         sla::after({wo.accepted_at, wo.id}, q.below);
}

}  // namespace

asio::awaitable<result<engine::search_page>> engine::search(sla::member who, search_request q) {
  search_page page;
  if (!q.filter.ticket_no.empty()) {
    // The hotline's key names the job its ticket made or was linked to.
    auto known = co_await store_.lookup("12345:" + q.filter.ticket_no);
    if (!known) co_return known.error();
    if (!*known || (*known)->screened) co_return page;
    auto o = co_await store_.load((*known)->id, false);
    if (!o && o.error() == errc::not_found) co_return page;
    if (!o) co_return o.error();
    page.scanned = 1;
    if (shown(o->wo, who, q)) page.orders.push_back(std::move(o->wo));
    co_return page;
  }
  auto at = q.below;
  while (page.scanned < q.scan_budget) {
    const auto asked = std::min(batch, q.scan_budget - page.scanned);
    auto entries = co_await store_.accepted_newest(q.from, at, asked);
    if (!entries) co_return entries.error();
    std::vector<std::string> ids;
    for (const auto& e : *entries) ids.push_back(e.id);
    auto loaded = co_await store_.load_many(std::move(ids));
    if (!loaded) co_return loaded.error();
    std::unordered_map<std::string, sla::work_order*> by_id;
    for (auto& wo : *loaded) by_id.emplace(wo.id, &wo);
    for (auto& e : *entries) {
      ++page.scanned;
      at = e;
      auto found = by_id.find(e.id);
      if (found != by_id.end() && shown(*found->second, who, q)) page.orders.push_back(std::move(*found->second));
      if (page.orders.size() == q.limit) {
        page.next = std::move(at);
        co_return page;
      }
    }
    if (entries->size() < asked) co_return page;  // the index's end: nothing older
  }
  page.next = std::move(at);
  co_return page;
}

}  // namespace halfhour
