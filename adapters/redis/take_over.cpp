// Moving a store of an older layout over (take_over.hpp).
#include "adapters/redis/take_over.hpp"

#include <spdlog/spdlog.h>

#include <array>

#include "adapters/redis/lua.hpp"
#include "adapters/redis/script.hpp"

namespace halfhour::redis {

namespace asio = boost::asio;
using boost::system::result;

namespace {

const script migrate_steps_script(lua::compose({lua::buckets(), lua::steps(), lua::migrate_steps()}));
const script rebucket_script(lua::compose({lua::buckets(), lua::steps(), lua::rebucket()}));
const script move_orders_script(lua::compose({lua::journal(), lua::move_orders()}));

// Builds the argument vector outside any co_await expression (g++ 12 cannot keep a braced list
// alive across a suspension).
template <class... Args>
asio::awaitable<result<reply>> command(connection& conn, const Args&... args) {
  return conn.command(std::vector<std::string>{std::string(args)...});
}

// Each shard's hash of layout 4 (its armed steps, short codes or idempotency keys: `what`) into
// its buckets, a page at a time, until it is empty.
asio::awaitable<result<void>> rebucket(connection& conn, const layout::keys& k, std::string what) {
  long long moved = 0;
  for (int shard = 0; shard < layout::shard_count; ++shard) {
    const auto whole = what == "steps" ? k.steps(shard) : what == "codes" ? k.codes(shard) : k.idempotency(shard);
    std::string cursor = "0";
    do {
      auto r = co_await command(conn, "HSCAN", whole, cursor, "COUNT", "1000");
      if (!r) co_return r.error();
      auto page = layout::hash_page_of(*r);
      if (!page) co_return page.error();
      cursor = std::move(page->cursor);
      if (page->members.empty()) continue;
      std::vector<std::string> keys{whole, k.codes_held(shard), k.deadlines(shard)};
      page->members.insert(page->members.begin(), what);
      auto m = co_await redis::run(conn, rebucket_script, std::move(keys), std::move(page->members));
      if (!m) co_return m.error();
      if (m->type != reply::kind::integer) co_return layout::error_of(*m);
      moved += m->integer;
    } while (cursor != "0");
  }
  spdlog::info("redis: {} fields of the {} hashes moved into the buckets of layout {}", moved, what, layout::version);
  co_return result<void>{};
}

// Each shard's deadline members of layouts 2 and 3 into its steps buckets, a page at a time;
// the members of layouts 4 and 5 (bare ids) do not match and are left as they are.
asio::awaitable<result<void>> move_steps_over(connection& conn, const layout::keys& k) {
  long long moved = 0;
  for (int shard = 0; shard < layout::shard_count; ++shard) {
    std::string cursor = "0";
    do {
      auto r = co_await command(conn, "ZSCAN", k.deadlines(shard), cursor, "MATCH", "*|*", "COUNT", "1000");
      if (!r) co_return r.error();
      auto page = layout::legacy_page_of(*r);
      if (!page) co_return page.error();
      cursor = std::move(page->cursor);
      if (page->moves.empty()) continue;
      std::vector<std::string> keys{k.deadlines(shard), k.steps(shard)};
      auto m = co_await redis::run(conn, migrate_steps_script, std::move(keys), std::move(page->moves));
      if (!m) co_return m.error();
      if (m->type != reply::kind::integer) co_return layout::error_of(*m);
      moved += m->integer;
    } while (cursor != "0");
  }
  spdlog::info("redis: {} armed steps of layouts 2 and 3 moved into the steps of layout {}", moved, layout::version);
  co_return result<void>{};
}

// Each work order's string of layouts 2 to 5 (with its journal of layouts 2 and 3) into its
// bucket, a page of each shard's acceptance index at a time (every work order in Redis is in it).
asio::awaitable<result<void>> move_orders(connection& conn, const layout::keys& k) {
  long long moved = 0;
  for (int shard = 0; shard < layout::shard_count; ++shard) {
    std::string cursor = "0";
    do {
      auto r = co_await command(conn, "ZSCAN", k.accepted(shard), cursor, "COUNT", "500");
      if (!r) co_return r.error();
      auto page = layout::scan_page_of(*r);
      if (!page) co_return page.error();
      cursor = std::move(page->cursor);
      std::vector<std::string> keys, ids;
      for (auto& id : page->members) {
        if (layout::shard_of_id(id) != shard) continue;
        keys.push_back(k.older_order(id));
        keys.push_back(k.older_journal(id));
        keys.push_back(k.order(id));
        ids.push_back(std::move(id));
      }
      if (ids.empty()) continue;
      auto m = co_await redis::run(conn, move_orders_script, std::move(keys), std::move(ids));
      if (!m) co_return m.error();
      if (m->type != reply::kind::integer) co_return layout::error_of(*m);
      moved += m->integer;
    } while (cursor != "0");
  }
  spdlog::info("redis: {} work orders moved into the buckets of layout {}", moved, layout::version);
  co_return result<void>{};
}

}  // namespace

asio::awaitable<result<void>> take_over(connection& conn, const layout::keys& keys) {
  // The hashes of layout 4 go first: a store an engine of layout 4 left half moved from layout 3
  // has some of a job's steps there and the rest still deadline members, which
  // move_steps_over then adds to them.
  static constexpr std::array<const char*, 3> hashes{"steps", "codes", "idem"};
  for (const char* what : hashes)
    if (auto moved = co_await rebucket(conn, keys, what); !moved) co_return moved.error();
  if (auto moved = co_await move_steps_over(conn, keys); !moved) co_return moved.error();
  co_return co_await move_orders(conn, keys);
}

}  // namespace halfhour::redis
