#include "tests/unit/dispatcher/memory_store.hpp"

#include <algorithm>
#include <cstdio>

#include "adapters/errors.hpp"

namespace halfhour::testing {

namespace asio = boost::asio;
using boost::system::result;

namespace {

constexpr long long near_days_ms = 172'800'000;  // the community index keeps two days, as in Redis

// As the Redis store: FNV-1a of the idempotency key picks the shard of the new work order.
int shard_of(std::string_view key) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : key) h = (h ^ c) * 16777619u;
  return static_cast<int>(h % memory_store::shard_count);
}

// "W07-000123" -> 7; -1 for anything that is not an id of ours.
int shard_of_id(std::string_view id) {
  if (id.size() < 10 || id.size() > 16 || id[0] != 'W' || id[3] != '-') return -1;
  for (std::size_t i = 1; i < id.size(); ++i)
    if (i != 3 && (id[i] < '0' || id[i] > '9')) return -1;
  const int s = (id[1] - '0') * 10 + (id[2] - '0');
  return s < memory_store::shard_count ? s : -1;
}

known_key known_of(const std::string& v) {
  if (v.starts_with("screened|")) return {{}, true, v.substr(9)};
  return {v, false, {}};
}

boost::system::error_code away() { return make_error_code(errc::unavailable); }

}  // namespace

asio::awaitable<result<created_order>> memory_store::create(std::string key,
                                                            std::function<sla::decision(std::string id)> build) {
  if (!up_) co_return away();
  // As the Redis store: the id is taken and the decision built before the key is checked.
  const int shard = shard_of(key);
  char id[32];
  std::snprintf(id, sizeof id, "W%02d-%06lld", shard, ++seq_[static_cast<std::size_t>(shard)]);
  auto d = build(id);
  d.next.version = 1;
  if (auto known = idem_.find(key); known != idem_.end()) {  // a race lost to a retry
    auto o = find(known->second, true);
    if (!o) co_return make_error_code(errc::not_found);  // a screened key names no work order
    co_return created_order{std::move(*o), false};
  }
  idem_[key] = id;
  // As create.lua: the shard's next short code no open job holds.
  auto& codes = codes_[static_cast<std::size_t>(shard)];
  for (int tries = 0; tries < 4096 && d.next.short_code.empty(); ++tries) {
    auto n = code_seq_[static_cast<std::size_t>(shard)]++;
    auto code = std::to_string(1008 + 16 * (n % 62437) + shard);
    if (codes.emplace(code, id).second) d.next.short_code = code;
  }
  auto& r = orders_[id];
  r.wo = d.next;
  r.history = d.events;
  r.steps.apply({}, d.arm);
  owe(id, r, d.notify);
  open_[static_cast<std::size_t>(shard)][d.next.holder].insert(id);
  accepted_[static_cast<std::size_t>(shard)].insert({sla::to_ms(d.next.accepted_at), id});
  if (!d.next.where.community_name.empty()) index_near(shard, d.next);
  co_return created_order{{std::move(d.next), std::move(d.events), {}}, true};
}

asio::awaitable<result<stored_order>> memory_store::load(std::string id, bool with_history) {
  if (!up_) co_return away();
  auto o = find(id, with_history);
  if (!o) co_return make_error_code(errc::not_found);
  co_return std::move(*o);
}

asio::awaitable<result<std::vector<sla::work_order>>> memory_store::load_many(std::vector<std::string> ids) {
  if (!up_) co_return away();
  std::vector<sla::work_order> out;
  for (const auto& id : ids)
    if (auto o = find(id, false)) out.push_back(std::move(o->wo));
  co_return out;
}

asio::awaitable<result<std::int64_t>> memory_store::apply(sla::decision d, sla::work_order before,
                                                          std::optional<sla::deadline> firing) {
  if (!up_) co_return away();
  const auto& id = d.next.id;
  auto it = orders_.find(id);
  if (shard_of_id(id) < 0 || it == orders_.end()) co_return make_error_code(errc::not_found);
  auto& r = it->second;
  if (r.wo.version != before.version) co_return make_error_code(errc::conflict);
  if (firing && !r.steps.armed_for(*firing)) co_return make_error_code(errc::stale);
  // The open-jobs index follows the holder, as the Redis store's script moves it.
  auto& open = open_[static_cast<std::size_t>(shard_of_id(id))];
  const bool was_open = before.state != sla::wo_state::done;
  const bool is_open = d.next.state != sla::wo_state::done;
  const bool moved = before.holder != d.next.holder;
  if (was_open && (!is_open || moved)) open[before.holder].erase(id);
  if (is_open && (!was_open || moved)) open[d.next.holder].insert(id);
  if (was_open && !is_open) {
    auto& codes = codes_[static_cast<std::size_t>(shard_of_id(id))];
    if (auto c = codes.find(d.next.short_code); c != codes.end() && c->second == id) codes.erase(c);
  }
  const auto version = r.wo.version + 1;
  r.wo = std::move(d.next);
  r.wo.version = version;
  r.history.insert(r.history.end(), d.events.begin(), d.events.end());
  r.steps.apply(d.cancel, d.arm);
  owe(id, r, d.notify);
  co_return version;
}

asio::awaitable<result<std::optional<std::string>>> memory_store::open_by_code(std::string code) {
  if (!up_) co_return away();
  for (const auto& codes : codes_)
    if (auto c = codes.find(code); c != codes.end()) co_return std::optional<std::string>(c->second);
  co_return std::optional<std::string>();
}

asio::awaitable<result<std::vector<std::string>>> memory_store::open_orders(std::string organisation) {
  if (!up_) co_return away();
  std::vector<std::string> ids;
  for (auto& shard : open_)
    if (auto it = shard.find(organisation); it != shard.end())
      ids.insert(ids.end(), it->second.begin(), it->second.end());
  co_return ids;
}

asio::awaitable<result<void>> memory_store::scan_deadlines(std::function<void(std::vector<armed_deadline>)> visit) {
  if (!up_) co_return away();
  std::vector<armed_deadline> chunk;
  for (const auto& [id, r] : orders_)
    for (const auto& d : r.steps.all()) chunk.push_back({id, d});
  if (!chunk.empty()) visit(std::move(chunk));
  co_return result<void>{};
}

asio::awaitable<result<std::vector<armed_deadline>>> memory_store::overdue(sla::instant before, std::size_t limit) {
  if (!up_) co_return away();
  std::array<std::vector<armed_deadline>, shard_count> by_shard;
  for (const auto& [id, r] : orders_)
    for (const auto& d : r.steps.all())
      if (d.at <= before) by_shard[static_cast<std::size_t>(shard_of_id(id))].push_back({id, d});
  std::vector<armed_deadline> out;
  for (auto& shard : by_shard) {
    std::stable_sort(shard.begin(), shard.end(), [](const auto& a, const auto& b) { return a.due.at < b.due.at; });
    if (shard.size() > limit) shard.resize(limit);  // at most `limit` per shard, the oldest
    out.insert(out.end(), shard.begin(), shard.end());
  }
  co_return out;
}

asio::awaitable<result<void>> memory_store::ping() {
  if (!up_) co_return away();
  co_return result<void>{};
}

asio::awaitable<result<void>> memory_store::claim_layout() { co_return co_await ping(); }

asio::awaitable<result<std::vector<stored_order>>> memory_store::load_histories(std::vector<std::string> ids) {
  if (!up_) co_return away();
  std::vector<stored_order> out;
  for (const auto& id : ids)
    if (auto o = find(id, true)) out.push_back({std::move(o->wo), std::move(o->history), {}});
  co_return out;
}

asio::awaitable<result<std::optional<known_key>>> memory_store::lookup(std::string key) {
  if (!up_) co_return away();
  auto it = idem_.find(key);
  if (it == idem_.end()) co_return std::optional<known_key>{};
  co_return std::optional<known_key>{known_of(it->second)};
}

asio::awaitable<result<std::string>> memory_store::remember(std::string key, std::string id, bool replace) {
  if (!up_) co_return away();
  if (replace) idem_[key] = id;
  co_return idem_.emplace(key, id).first->second;
}

asio::awaitable<result<known_key>> memory_store::screen_out(std::string key, screened_message m) {
  if (!up_) co_return away();
  if (auto it = idem_.find(key); it != idem_.end()) co_return known_of(it->second);
  idem_[key] = "screened|" + m.reason;
  auto reason = m.reason;
  screened_.push_back(std::move(m));
  co_return known_key{{}, true, std::move(reason)};
}

asio::awaitable<result<std::vector<sla::recent_job>>> memory_store::accepted_for(std::string community,
                                                                                 sla::instant since) {
  if (!up_) co_return away();
  std::vector<sla::recent_job> out;
  if (auto it = near_.find(community); it != near_.end())
    for (const auto& shard : it->second)
      for (auto e = shard.lower_bound(sla::to_ms(since)); e != shard.end(); ++e) out.push_back(e->second);
  co_return out;
}

asio::awaitable<result<std::vector<std::string>>> memory_store::accepted_between(sla::instant from, sla::instant to,
                                                                                 std::size_t limit) {
  if (!up_) co_return away();
  std::vector<std::pair<long long, std::string>> scored;
  for (const auto& shard : accepted_) {
    std::size_t taken = 0;  // at most `limit` per shard, then the oldest `limit` of all
    for (auto e = shard.lower_bound({sla::to_ms(from), {}});
         e != shard.end() && e->first < sla::to_ms(to) && taken < limit; ++e, ++taken)
      scored.push_back(*e);
  }
  std::sort(scored.begin(), scored.end());
  if (scored.size() > limit) scored.resize(limit);
  std::vector<std::string> ids;
  for (auto& [_, id] : scored) ids.push_back(std::move(id));
  co_return ids;
}

asio::awaitable<result<std::vector<sla::index_position>>> memory_store::accepted_newest(sla::instant from,
                                                                                        sla::index_position below,
                                                                                        std::size_t limit) {
  if (!up_) co_return away();
  std::vector<sla::index_position> out;
  for (const auto& shard : accepted_)
    for (const auto& [ms, id] : shard) {
      sla::index_position p{sla::from_ms(ms), id};
      if (p.at >= from && sla::after(p, below)) out.push_back(std::move(p));
    }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return sla::after(b, a); });
  if (out.size() > limit) out.resize(limit);
  co_return out;
}

asio::awaitable<result<bool>> memory_store::lease(std::string name, std::string token, std::chrono::milliseconds ttl,
                                                  lease_kind) {
  if (!up_) co_return result<bool>(boost::system::in_place_error, away());
  const auto now = clock_.now();
  auto it = leases_.find(name);
  if (it != leases_.end() && it->second.until > now) co_return false;  // held, and not run out
  leases_[name] = {std::move(token), now + std::max(ttl, std::chrono::milliseconds{1})};
  co_return true;
}

asio::awaitable<result<void>> memory_store::release(std::string name, std::string token, lease_kind) {
  if (!up_) co_return away();
  if (auto it = leases_.find(name); it != leases_.end() && it->second.token == token) leases_.erase(it);
  co_return result<void>{};
}

std::size_t memory_store::armed() const {
  std::size_t n = 0;
  for (const auto& [_, r] : orders_) n += r.steps.size();
  return n;
}

bool memory_store::armed_for(const std::string& id, const sla::deadline& due) const {
  auto it = orders_.find(id);
  return it != orders_.end() && it->second.steps.armed_for(due);
}

std::optional<std::string> memory_store::lease_holder(const std::string& name) const {
  auto it = leases_.find(name);
  if (it == leases_.end() || it->second.until <= clock_.now()) return std::nullopt;
  return it->second.token;
}

std::optional<stored_order> memory_store::find(const std::string& id, bool with_history) const {
  if (shard_of_id(id) < 0) return std::nullopt;
  auto it = orders_.find(id);
  if (it == orders_.end()) return std::nullopt;
  stored_order out{it->second.wo, {}, {}};
  if (with_history) {
    out.history = it->second.history;
    out.notices = it->second.notices;
  }
  return out;
}

// The outbox and the journal's notices, written with the events that owe them.
void memory_store::owe(const std::string& id, record& r, const std::vector<sla::notification>& notify) {
  for (const auto& n : notify) {
    r.notices.push_back({n.key, sla::code_of(n.to), n.organisation, n.kind, "pending", std::nullopt});
    outbox_.emplace_back(id, n);
  }
}

void memory_store::index_near(int shard, const sla::work_order& wo) {
  auto& index = near_[wo.where.community_name][static_cast<std::size_t>(shard)];
  const auto at = sla::to_ms(wo.accepted_at);
  index.emplace(at, sla::recent_job{wo.id, wo.cls.category, wo.cls.level, wo.where.building, wo.where.room});
  index.erase(index.begin(), index.upper_bound(at - near_days_ms));  // ZREMRANGEBYSCORE -inf at-2d
}

}  // namespace halfhour::testing
