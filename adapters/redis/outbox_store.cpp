// The outbox streams (hh:{s07}:outbox, written by the work-order scripts) read through the
// consumer group "senders"; undeliverable entries go to hh:{s07}:outbox:dead with the reason.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <optional>

#include "adapters/codec.hpp"
#include "adapters/errors.hpp"
#include "adapters/outbox_store.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/redis/journal_lua.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

namespace {

constexpr int shard_count = 16;
constexpr const char* group = "senders";

// One stream entry [id, [field, value, …]] into an outbox entry.
std::optional<outbox_entry> entry_of(int shard, const redis::reply& r) {
  if (r.type != redis::reply::kind::array || r.elements.size() != 2) return std::nullopt;
  if (r.elements[1].type != redis::reply::kind::array) return std::nullopt;  // deleted meanwhile
  outbox_entry e;
  e.shard = shard;
  e.stream_id = r.elements[0].str;
  const auto& kv = r.elements[1].elements;
  for (std::size_t i = 0; i + 1 < kv.size(); i += 2) {
    const auto& f = kv[i].str;
    const auto& v = kv[i + 1].str;
    if (f == "key") e.key = v;
    else if (f == "to") e.to = v;
    else if (f == "org") e.organisation = v;
    else if (f == "kind") e.kind = v;
    else if (f == "wo") e.work_order = v;
    else if (f == "text") e.text = v;
    else if (f == "ref") e.ref = v;
  }
  return e;
}

class redis_outbox_store final : public outbox_store {
 public:
  redis_outbox_store(std::shared_ptr<redis::connection> conn, std::string prefix)
      : conn_(std::move(conn)), prefix_(std::move(prefix)) {}

  asio::awaitable<result<void>> ensure_groups() override {
    std::vector<std::vector<std::string>> commands;
    for (int s = 0; s < shard_count; ++s) commands.push_back({"XGROUP", "CREATE", stream(s), group, "0", "MKSTREAM"});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    for (const auto& one : *r)
      if (one.is_error() && !one.str.starts_with("BUSYGROUP")) co_return make_error_code(errc::rejected);
    co_return result<void>{};
  }

  asio::awaitable<result<std::vector<outbox_entry>>> read_new(std::string consumer, std::size_t count) override {
    std::vector<std::vector<std::string>> commands;
    for (int s = 0; s < shard_count; ++s)
      commands.push_back({"XREADGROUP", "GROUP", group, consumer, "COUNT", std::to_string(count), "STREAMS", stream(s), ">"});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    std::vector<outbox_entry> out;
    for (int s = 0; s < shard_count; ++s) {
      const auto& one = (*r)[s];
      if (one.is_error()) co_return make_error_code(errc::rejected);
      if (one.type != redis::reply::kind::array) continue;  // nil: nothing new
      for (const auto& per_stream : one.elements) {
        if (per_stream.elements.size() != 2) continue;
        for (const auto& entry : per_stream.elements[1].elements)
          if (auto e = entry_of(s, entry)) out.push_back(std::move(*e));
      }
    }
    co_return out;
  }

  asio::awaitable<result<std::vector<outbox_entry>>> claim_stale(std::string consumer, std::chrono::milliseconds idle,
                                                                 std::size_t count) override {
    std::vector<std::vector<std::string>> commands;
    for (int s = 0; s < shard_count; ++s)
      commands.push_back({"XAUTOCLAIM", stream(s), group, consumer, std::to_string(idle.count()), "0", "COUNT",
                          std::to_string(count)});
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    std::vector<outbox_entry> out;
    for (int s = 0; s < shard_count; ++s) {
      const auto& one = (*r)[s];
      if (one.is_error() || one.type != redis::reply::kind::array || one.elements.size() < 2) continue;
      for (const auto& entry : one.elements[1].elements)
        if (auto e = entry_of(s, entry)) out.push_back(std::move(*e));
    }
    co_return out;
  }

  asio::awaitable<result<void>> touch(outbox_entry e, std::string consumer) override {
    std::vector<std::vector<std::string>> commands{
        {"XCLAIM", stream(e.shard), group, consumer, "0", e.stream_id, "JUSTID"}};
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return result<void>{};
  }

  asio::awaitable<result<void>> ack(outbox_entry e, sla::instant at) override {
    std::vector<std::vector<std::string>> commands{{"XACK", stream(e.shard), group, e.stream_id},
                                                   {"XDEL", stream(e.shard), e.stream_id}};
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
        {"XADD", stream(e.shard) + ":dead", "*", "key", e.key, "to", e.to, "org", e.organisation, "kind", e.kind, "wo",
         e.work_order, "text", e.text, "why", why},
        {"XACK", stream(e.shard), group, e.stream_id},
        {"XDEL", stream(e.shard), e.stream_id}};
    if (!e.work_order.empty())
      commands.insert(commands.begin() + 1, settle(e, "dead: " + why, at));
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return result<void>{};
  }

  asio::awaitable<result<bool>> post_once(outbox_entry e, std::string once) override {
    // The marker and the entry in one script, in the entry's slot: written together or not at all.
    static const std::string script = R"lua(
if not redis.call('SET', KEYS[2], ARGV[1], 'NX') then return 0 end
redis.call('XADD', KEYS[1], '*', 'key', ARGV[2], 'to', ARGV[3], 'org', ARGV[4], 'kind', ARGV[5], 'wo', ARGV[6],
           'text', ARGV[7], 'ref', ARGV[8])
return 1
)lua";
    std::vector<std::string> args{"EVAL", script, "2", stream(e.shard),
                                  fmt::format("{}:{{s{:02}}}:once:{}", prefix_, e.shard, once), e.key, e.key, e.to,
                                  e.organisation, e.kind, e.work_order, e.text, e.ref};
    auto r = co_await conn_->command(std::move(args));
    if (!r) co_return result<bool>(boost::system::in_place_error, r.error());
    if (r->type != redis::reply::kind::integer) co_return result<bool>(boost::system::in_place_error, make_error_code(errc::rejected));
    co_return r->integer == 1;
  }

 private:
  std::string stream(int shard) const { return fmt::format("{}:{{s{:02}}}:outbox", prefix_, shard); }
  // Records the settlement in the work order's journal (in the same slot as its outbox: the id
  // names its shard), extended as the work-order scripts extend it.
  std::vector<std::string> settle(const outbox_entry& e, std::string_view status, sla::instant at) const {
    static const std::string script = std::string(redis::journal_lua) + "journal(KEYS[1], ARGV[1])";
    return {"EVAL", script, "1",
            fmt::format("{}:{{s{:02}}}:wo:{}:h", prefix_, e.shard, e.work_order),
            codec::journal_settlement(e.key, status, at)};
  }

  std::shared_ptr<redis::connection> conn_;
  std::string prefix_;
};

}  // namespace

std::unique_ptr<outbox_store> make_redis_outbox_store(std::shared_ptr<redis::connection> conn, std::string prefix) {
  return std::make_unique<redis_outbox_store>(std::move(conn), std::move(prefix));
}

}  // namespace halfhour
