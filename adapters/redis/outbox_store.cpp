// The outbox streams (written by the work-order scripts) read through the layout's consumer
// group; undeliverable entries go to the shard's dead-letter stream with the reason. Keys and
// replies are the layout's (adapters/redis/layout.hpp).
#include "adapters/codec.hpp"
#include "adapters/outbox_store.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/redis/layout.hpp"
#include "adapters/redis/lua.hpp"
#include "adapters/redis/script.hpp"

namespace halfhour {

namespace asio = boost::asio;
namespace layout = redis::layout;
namespace lua = redis::lua;
using boost::system::result;

namespace {

const std::string group(layout::sender_group);
const redis::script settle_script(lua::compose({lua::journal(), lua::settle()}));
const redis::script post_once_script(lua::post_once());

class redis_outbox_store final : public outbox_store {
 public:
  redis_outbox_store(std::shared_ptr<redis::connection> conn, std::string prefix)
      : conn_(std::move(conn)), keys_(std::move(prefix)) {}

  asio::awaitable<result<void>> ensure_groups() override {
    std::vector<std::vector<std::string>> commands;
    for (int s = 0; s < layout::shard_count; ++s)
      commands.push_back({"XGROUP", "CREATE", keys_.outbox(s), group, "0", "MKSTREAM"});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return layout::groups_of(*r);
  }

  asio::awaitable<result<std::vector<outbox_entry>>> read_new(std::string consumer, std::size_t count) override {
    std::vector<std::vector<std::string>> commands;
    for (int s = 0; s < layout::shard_count; ++s)
      commands.push_back(
          {"XREADGROUP", "GROUP", group, consumer, "COUNT", std::to_string(count), "STREAMS", keys_.outbox(s), ">"});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return layout::new_entries_of(*r);
  }

  asio::awaitable<result<std::vector<outbox_entry>>> claim_stale(std::string consumer, std::chrono::milliseconds idle,
                                                                 std::size_t count) override {
    std::vector<std::vector<std::string>> commands;
    for (int s = 0; s < layout::shard_count; ++s)
      commands.push_back({"XAUTOCLAIM", keys_.outbox(s), group, consumer, std::to_string(idle.count()), "0", "COUNT",
                          std::to_string(count)});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return layout::claimed_entries_of(*r);
  }

  asio::awaitable<result<void>> touch(outbox_entry e, std::string consumer) override {
    std::vector<std::vector<std::string>> commands{
        {"XCLAIM", keys_.outbox(e.shard), group, consumer, "0", e.stream_id, "JUSTID"}};
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return result<void>{};
  }

  asio::awaitable<result<void>> ack(outbox_entry e, sla::instant at) override {
    std::vector<std::vector<std::string>> commands{{"XACK", keys_.outbox(e.shard), group, e.stream_id},
                                                   {"XDEL", keys_.outbox(e.shard), e.stream_id}};
    if (!e.work_order.empty())  // the monthly report belongs to no work order
      commands.insert(commands.begin(), settle(e, "delivered", at));
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return result<void>{};
  }

  // Dead letter first, then the acknowledgement: a crash between the two leaves the entry to be
  // claimed and given up again, never lost. A settled entry is deleted from the outbox: its record
  // is the work order's journal (and the dead letter), and the stream stays as small as what is owed.
  asio::awaitable<result<void>> dead(outbox_entry e, std::string why, sla::instant at) override {
    std::vector<std::vector<std::string>> commands{
        {"XADD", keys_.dead_letters(e.shard), "*", "key", e.key, "to", e.to, "org", e.organisation, "kind", e.kind,
         "wo", e.work_order, "text", e.text, "why", why},
        {"XACK", keys_.outbox(e.shard), group, e.stream_id},
        {"XDEL", keys_.outbox(e.shard), e.stream_id}};
    if (!e.work_order.empty()) commands.insert(commands.begin() + 1, settle(e, "dead: " + why, at));
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return result<void>{};
  }

  asio::awaitable<result<bool>> post_once(outbox_entry e, std::string once) override {
    std::vector<std::string> keys{keys_.outbox(e.shard), keys_.once(e.shard, once)};
    std::vector<std::string> args{e.key,        e.key,  e.to,  e.organisation, e.kind,
                                  e.work_order, e.text, e.ref, e.short_code};
    auto r = co_await redis::run(*conn_, post_once_script, std::move(keys), std::move(args));
    if (!r) co_return result<bool>(boost::system::in_place_error, r.error());
    co_return layout::posted_of(*r);
  }

 private:
  // Records the settlement in the work order's journal, in the entry's shard (the id names it, so
  // the work order shares the outbox's slot). Sent whole: it rides in a pipeline with the XACK.
  std::vector<std::string> settle(const outbox_entry& e, std::string_view status, sla::instant at) const {
    return redis::eval_command(settle_script, {keys_.order(e.shard, e.work_order)},
                               {codec::journal_settlement(e.work_order, e.key, status, at), e.work_order});
  }

  std::shared_ptr<redis::connection> conn_;
  layout::keys keys_;
};

}  // namespace

std::unique_ptr<outbox_store> make_redis_outbox_store(std::shared_ptr<redis::connection> conn, std::string prefix) {
  return std::make_unique<redis_outbox_store>(std::move(conn), std::move(prefix));
}

}  // namespace halfhour
