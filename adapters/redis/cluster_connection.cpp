// Redis Cluster on the existing connection: one connection per node, the slot map from CLUSTER
// SLOTS (adapters/redis/cluster.hpp decides where a command goes; this carries it out), MOVED and
// ASK followed, and the map asked again whenever a node fails or redirects. The engine's stores
// see one `connection`: every key they use carries its shard's hash tag, and every script
// touches one slot, so a command (or a script) always has one node to go to.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <map>

#include "adapters/errors.hpp"
#include "adapters/redis/cluster.hpp"
#include "adapters/redis/connection.hpp"

namespace halfhour::redis {

namespace asio = boost::asio;
using boost::system::error_code;
using boost::system::result;

namespace {

// A MOVED or ASK is followed this many times before the command is given up as unavailable: a
// slot migrating back and forth, or a map in flux, is a failover under way.
constexpr int max_redirects = 5;

std::string name_of(const endpoint& ep) { return ep.host + ":" + std::to_string(ep.port); }

class cluster_connection final : public connection, public std::enable_shared_from_this<cluster_connection> {
 public:
  cluster_connection(asio::any_io_executor ex, std::vector<endpoint> seeds, options opt)
      : ex_(ex), seeds_(std::move(seeds)), opt_(opt), wake_(ex) {}

  void start() {
    for (const auto& s : seeds_) node(s);
    asio::co_spawn(ex_, watch(shared_from_this()), asio::detached);
  }

  // Ready when every slot has a primary and every primary is connected: before that a command
  // for some shard would fail, and the engine is better unready (503) than half there.
  bool connected() const override {
    if (!map_.complete()) return false;
    for (const auto& p : map_.primaries()) {
      const auto it = nodes_.find(name_of(p));
      if (it == nodes_.end() || !it->second->connected()) return false;
    }
    return true;
  }

  void stop() override {
    stopping_ = true;
    wake_.cancel();
    for (auto& [_, c] : nodes_) c->stop();
  }

  asio::awaitable<result<reply>> command(std::vector<std::string> args) override {
    const auto key = key_of(args);
    if (!key) co_return co_await everywhere(std::move(args));
    const auto slot = key_slot(*key);
    co_return co_await at(slot, std::move(args));
  }

  asio::awaitable<result<reply>> command_beside(std::string key, std::vector<std::string> args) override {
    return at(key_slot(key), std::move(args));
  }

  // Commands grouped by the node of their key, each group one pipeline (one round trip per node
  // instead of per command); a redirected or keyless command is sent again on its own. Replies
  // come back in the order asked.
  asio::awaitable<result<std::vector<reply>>> pipeline(std::vector<std::vector<std::string>> commands) override {
    std::vector<reply> out(commands.size());
    std::map<std::string, std::vector<std::size_t>> by_node;
    std::vector<std::size_t> alone;
    for (std::size_t i = 0; i < commands.size(); ++i) {
      const auto key = key_of(commands[i]);
      const auto* p = key ? map_.primary_of(key_slot(*key)) : nullptr;
      if (p) by_node[name_of(*p)].push_back(i);
      else alone.push_back(i);
    }
    for (auto& [name, indices] : by_node) {
      const auto found = nodes_.find(name);
      if (found == nodes_.end()) {
        alone.insert(alone.end(), indices.begin(), indices.end());
        continue;
      }
      const auto c = found->second;  // the map of nodes may change while this waits
      std::vector<std::vector<std::string>> part;
      for (auto i : indices) part.push_back(commands[i]);
      auto replies = co_await c->pipeline(std::move(part));
      if (!replies) {
        refresh_soon();
        co_return replies.error();
      }
      for (std::size_t j = 0; j < indices.size(); ++j) {
        auto& r = (*replies)[j];
        if (redirect_of(r) || cluster_unavailable(r)) alone.push_back(indices[j]);
        else out[indices[j]] = std::move(r);
      }
    }
    for (auto i : alone) {
      auto r = co_await command(commands[i]);
      if (!r) co_return r.error();
      out[i] = std::move(*r);
    }
    co_return out;
  }

 private:
  // To the primary of `slot`, following redirects.
  asio::awaitable<result<reply>> at(std::uint16_t slot, std::vector<std::string> args) {
    std::optional<endpoint> asking;  // set by an ASK: that node, once, after ASKING
    for (int hop = 0; hop <= max_redirects; ++hop) {
      std::shared_ptr<connection> c;
      if (asking) c = node(*asking);
      else if (const auto* p = map_.primary_of(slot)) c = node(*p);
      if (!c) {
        refresh_soon();
        co_return make_error_code(errc::unavailable);
      }
      result<reply> r = make_error_code(errc::unavailable);
      if (asking) {
        std::vector<std::vector<std::string>> ask_then{{"ASKING"}, args};  // not a braced list in co_await
        auto both = co_await c->pipeline(std::move(ask_then));
        if (both) r = std::move((*both)[1]);
        else r = both.error();
      } else {
        r = co_await c->command(args);
      }
      // A node gone or slow: the map may be stale (a failover). Not retried here: the command
      // may have been carried out, and only the caller knows whether repeating it is safe.
      if (!r) {
        refresh_soon();
        co_return r;
      }
      if (cluster_unavailable(*r)) {
        refresh_soon();
        co_return make_error_code(errc::unavailable);
      }
      const auto moved = redirect_of(*r);
      if (!moved) co_return r;
      // A redirect means the node did nothing: safe to send again where it points.
      if (moved->what == redirect::kind::moved) {
        map_.move(moved->slot, moved->to);
        asking.reset();
        refresh_soon();
      } else {
        asking = moved->to;
      }
    }
    co_return make_error_code(errc::unavailable);
  }

  // A command without a key goes to every primary. WAIT counts the writes made on one
  // connection to one node, and the engine's writes go to all of them: the fewest replicas any
  // primary confirms is what the writes before it are on.
  asio::awaitable<result<reply>> everywhere(std::vector<std::string> args) {
    const auto primaries = map_.primaries();
    if (primaries.empty() || !map_.complete()) {
      refresh_soon();
      co_return make_error_code(errc::unavailable);
    }
    std::optional<reply> answer;
    for (const auto& p : primaries) {
      const auto c = node(p);
      auto r = co_await c->command(args);
      if (!r) {
        refresh_soon();
        co_return r;
      }
      if (r->is_error()) co_return r;
      if (!answer || (r->type == reply::kind::integer && r->integer < answer->integer)) answer = std::move(*r);
    }
    co_return std::move(*answer);
  }

  // The connection to a node, made on first use; it reconnects by itself while the node is in
  // the map.
  std::shared_ptr<connection> node(const endpoint& ep) {
    auto& c = nodes_[name_of(ep)];
    if (!c) c = connection::create(ex_, ep, opt_);
    return c;
  }

  void refresh_soon() {
    dirty_ = true;
    wake_.cancel();
  }

  // Asks for the slot map: at once, then every second while all is well, every 100 ms while a
  // node fails or the map has a hole (a failover under way), until a map is whole and each of
  // its primaries answers.
  static asio::awaitable<void> watch(std::shared_ptr<cluster_connection> self) {
    while (!self->stopping_) {
      self->dirty_ = false;
      co_await self->refresh();
      if (self->stopping_) co_return;
      if (!self->connected()) self->dirty_ = true;
      self->wake_.expires_after(self->dirty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(1000));
      error_code ec;
      co_await self->wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  // Asks the nodes in turn, the last map's first, then the configured ones: the first that
  // answers with a map decides. Connections to nodes in neither are closed.
  asio::awaitable<void> refresh() {
    std::vector<endpoint> ask = map_.known();
    for (const auto& s : seeds_)
      if (std::find(ask.begin(), ask.end(), s) == ask.end()) ask.push_back(s);
    for (const auto& ep : ask) {
      auto c = node(ep);
      if (!c->connected()) continue;
      std::vector<std::string> slots{"CLUSTER", "SLOTS"};
      auto r = co_await c->command(std::move(slots));
      if (!r || stopping_) continue;
      auto ranges = slot_ranges(*r);
      if (!ranges || ranges->empty()) {
        if (!refused_logged_) spdlog::warn("redis: {} answers no cluster slot map", name_of(ep));
        refused_logged_ = true;
        continue;
      }
      const auto before = map_.primaries();
      map_.assign(*ranges);
      if (map_.primaries() != before) {
        std::string names;
        for (const auto& p : map_.primaries()) names += (names.empty() ? "" : ", ") + name_of(p);
        spdlog::info("redis: cluster primaries {}", names);
      }
      forget_others();
      co_return;
    }
  }

  void forget_others() {
    const auto& known = map_.known();
    for (auto it = nodes_.begin(); it != nodes_.end();) {
      const bool keep =
          std::any_of(known.begin(), known.end(), [&](const endpoint& e) { return name_of(e) == it->first; }) ||
          std::any_of(seeds_.begin(), seeds_.end(), [&](const endpoint& e) { return name_of(e) == it->first; });
      if (keep) {
        ++it;
      } else {
        it->second->stop();
        it = nodes_.erase(it);
      }
    }
    for (const auto& ep : known) node(ep);
  }

  asio::any_io_executor ex_;
  std::vector<endpoint> seeds_;
  options opt_;
  slot_map map_;
  std::map<std::string, std::shared_ptr<connection>> nodes_;
  asio::steady_timer wake_;
  bool dirty_ = false;
  bool stopping_ = false;
  bool refused_logged_ = false;
};

}  // namespace

std::shared_ptr<connection> connection::create_cluster(asio::any_io_executor ex, std::vector<endpoint> seeds,
                                                       options opt) {
  auto c = std::make_shared<cluster_connection>(ex, std::move(seeds), opt);
  c->start();
  return c;
}

}  // namespace halfhour::redis
