// Retention on Redis: a month's jobs read as stored, and each taken out of its shard by the
// retire script, which checks it is still the archived copy. Keys and replies are the layout's.
#include "adapters/errors.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/redis/layout.hpp"
#include "adapters/redis/lua.hpp"
#include "adapters/redis/script.hpp"
#include "adapters/retention_store.hpp"

namespace halfhour {

namespace asio = boost::asio;
namespace layout = redis::layout;
using boost::system::result;

namespace {

const redis::script retire_script(redis::lua::compose({redis::lua::journal(), redis::lua::buckets(),
                                                       redis::lua::retire()}));
const redis::script forget_script(redis::lua::compose({redis::lua::buckets(), redis::lua::forget()}));
const redis::script trim_script(redis::lua::compose({redis::lua::buckets(), redis::lua::trim()}));

class redis_retention_store final : public retention_store {
 public:
  redis_retention_store(std::shared_ptr<redis::connection> conn, std::string prefix)
      : conn_(std::move(conn)), keys_(std::move(prefix)) {}

  asio::awaitable<result<std::vector<archived_order>>> raw(std::vector<std::string> ids) override {
    std::erase_if(ids, [](const std::string& id) { return layout::shard_of_id(id) < 0; });
    std::vector<archived_order> out;
    constexpr std::size_t chunk = 256;  // bounds one pipeline's replies in memory
    for (std::size_t from = 0; from < ids.size(); from += chunk) {
      const std::vector<std::string> part(
          ids.begin() + static_cast<std::ptrdiff_t>(from),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + chunk)));
      std::vector<std::vector<std::string>> commands;
      for (const auto& id : part) commands.push_back({"HGET", keys_.order(id), id});
      auto r = co_await conn_->pipeline(std::move(commands));
      if (!r) co_return r.error();
      if (auto h = layout::raw_orders_of(*r, part, out); !h) co_return h.error();
    }
    co_return out;
  }

  asio::awaitable<result<bool>> retire(sla::copy_stamp copy, std::vector<std::string> keys) override {
    const int shard = layout::shard_of_id(copy.id);
    // result<bool> cannot tell an error_code from a bool by conversion: say which it is.
    using failed = result<bool>;
    constexpr auto error = boost::system::in_place_error;
    if (shard < 0) co_return failed(error, make_error_code(errc::not_found));
    // Keys of the job's own shard go in the same atomic step; a linked report's key in another
    // shard is dropped after (a crash between leaves a key naming a job no longer here: a repeat
    // of that report, over a year later, would be taken as new).
    std::vector<std::string> args{copy.id, std::to_string(copy.version), std::to_string(copy.journal_size)};
    std::vector<std::string> elsewhere;
    for (auto& k : keys) (layout::shard_of(k) == shard ? args : elsewhere).push_back(std::move(k));
    // Built before the co_await: GCC 12 miscompiles a braced list inside one.
    std::vector<std::string> touched{keys_.order(copy.id), keys_.accepted(shard), keys_.idempotency(shard)};
    auto r = co_await redis::run(*conn_, retire_script, std::move(touched), std::move(args));
    if (!r) co_return failed(error, r.error());
    auto out = layout::retired_of(*r);
    if (!out || !*out) co_return out;
    for (const auto& k : elsewhere) {
      std::vector<std::string> idem{keys_.idempotency(layout::shard_of(k))};
      std::vector<std::string> forget_args{copy.id, k};
      auto f = co_await redis::run(*conn_, forget_script, std::move(idem), std::move(forget_args));
      if (!f) co_return failed(error, f.error());
    }
    co_return true;
  }

  asio::awaitable<result<std::size_t>> trim_logs(sla::instant before) override {
    constexpr std::size_t batch = 500;  // one script call stays short: Redis serves nobody else meanwhile
    std::size_t total = 0;
    for (int shard = 0; shard < layout::shard_count; ++shard) {
      for (;;) {
        std::vector<std::string> keys{keys_.idempotency(shard), keys_.screened(shard), keys_.dead_letters(shard)};
        std::vector<std::string> args{std::to_string(sla::to_ms(before)), std::to_string(batch)};
        auto r = co_await redis::run(*conn_, trim_script, std::move(keys), std::move(args));
        if (!r) co_return r.error();
        if (r->type != redis::reply::kind::integer) co_return layout::error_of(*r);
        total += static_cast<std::size_t>(r->integer);
        if (static_cast<std::size_t>(r->integer) < batch) break;
      }
    }
    co_return total;
  }

 private:
  std::shared_ptr<redis::connection> conn_;
  layout::keys keys_;
};

}  // namespace

std::unique_ptr<retention_store> make_redis_retention_store(std::shared_ptr<redis::connection> conn,
                                                            std::string prefix) {
  return std::make_unique<redis_retention_store>(std::move(conn), std::move(prefix));
}

}  // namespace halfhour
