// Members, sessions and login attempts in Redis, all in one slot ({auth}): each call builds its
// commands from the layout (adapters/redis/layout.hpp, which also describes every key) and sends
// them; every write of more than one key is one script.
#include "adapters/errors.hpp"
#include "adapters/identity_store.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/redis/layout.hpp"
#include "adapters/redis/script.hpp"

namespace halfhour {

namespace asio = boost::asio;
namespace layout = redis::layout;
using boost::system::result;

namespace {

// Ends every session listed in the member's index (KEYS[1]); session keys are built from
// ARGV[1], the session key prefix.
const std::string end_sessions_lua = R"lua(
local function end_sessions(index, prefix)
  for _, h in ipairs(redis.call('SMEMBERS', index)) do redis.call('DEL', prefix .. h) end
  redis.call('DEL', index)
end
)lua";

// KEYS: member, sessions index. ARGV: session prefix, then the member's fields.
const redis::script put_member_script(end_sessions_lua + R"lua(
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'name', ARGV[2], 'org', ARGV[3], 'role', ARGV[4], 'code', ARGV[5], 'code_expires', ARGV[6])
end_sessions(KEYS[2], ARGV[1])
return 1
)lua");

// KEYS: member, sessions index. ARGV: session prefix.
const redis::script remove_member_script(end_sessions_lua + R"lua(
local existed = redis.call('DEL', KEYS[1])
end_sessions(KEYS[2], ARGV[1])
return existed
)lua");

// KEYS: phone counter, address counter, member. ARGV: window (s).
// Returns {phone attempts, address attempts, name, org, role, code, code_expires}.
const redis::script attempt_script(R"lua(
local function count(key)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[1]) end
  return n
end
local p = count(KEYS[1])
local a = count(KEYS[2])
local m = redis.call('HMGET', KEYS[3], 'name', 'org', 'role', 'code', 'code_expires')
return {p, a, m[1], m[2], m[3], m[4], m[5]}
)lua");

// KEYS: member, phone counter, address counter, session, sessions index.
// ARGV: the code's hash, ttl (s), session id, name, org, role.
const redis::script consume_script(R"lua(
if redis.call('HGET', KEYS[1], 'code') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'code')
redis.call('DEL', KEYS[2])
if (tonumber(redis.call('GET', KEYS[3]) or '0')) > 0 then redis.call('DECR', KEYS[3]) end
redis.call('HSET', KEYS[4], 'id', ARGV[3], 'name', ARGV[4], 'org', ARGV[5], 'role', ARGV[6])
redis.call('EXPIRE', KEYS[4], ARGV[2])
redis.call('SADD', KEYS[5], KEYS[4]:match('[^:]+$'))
redis.call('EXPIRE', KEYS[5], ARGV[2])
return 1
)lua");

// KEYS: session, sessions index prefix (the member's id is read from the session).
const redis::script end_session_script(R"lua(
local id = redis.call('HGET', KEYS[1], 'id')
redis.call('DEL', KEYS[1])
if id then redis.call('SREM', KEYS[2] .. id, KEYS[1]:match('[^:]+$')) end
return 1
)lua");

result<void> written(const result<redis::reply>& r) {
  if (!r) return r.error();
  return layout::written_of(*r);
}

class redis_identity_store final : public identity_store {
 public:
  redis_identity_store(std::shared_ptr<redis::connection> conn, std::string prefix)
      : conn_(std::move(conn)), keys_(std::move(prefix)) {}

  asio::awaitable<result<void>> put_member(stored_member m) override {
    const auto expires = m.code_expires ? std::to_string(sla::to_ms(*m.code_expires)) : std::string("0");
    // Named, not braced inside the co_await (g++ 12 may free such temporaries twice).
    std::vector<std::string> keys{keys_.member(m.member.id), keys_.sessions(m.member.id)};
    std::vector<std::string> args{keys_.session(""), m.member.name, m.member.organisation,
                                  std::string(sla::role_code(m.member.kind)), m.code_hash, expires};
    auto r = co_await redis::run(*conn_, put_member_script, std::move(keys), std::move(args));
    co_return written(r);
  }

  asio::awaitable<result<std::optional<stored_member>>> find_member(std::string id) override {
    std::vector<std::string> cmd{"HMGET", keys_.member(id), "name", "org", "role", "code", "code_expires"};
    auto r = co_await conn_->command(std::move(cmd));
    if (!r) co_return r.error();
    co_return layout::found_member_of(id, *r);
  }

  asio::awaitable<result<bool>> remove_member(std::string id) override {
    std::vector<std::string> keys{keys_.member(id), keys_.sessions(id)};
    std::vector<std::string> args{keys_.session("")};
    auto r = co_await redis::run(*conn_, remove_member_script, std::move(keys), std::move(args));
    if (auto c = written(r); !c) co_return result<bool>(boost::system::in_place_error, c.error());
    co_return r->type == redis::reply::kind::integer && r->integer > 0;
  }

  asio::awaitable<result<login_attempt>> attempt_login(std::string phone, std::string address,
                                                       std::chrono::seconds window) override {
    std::vector<std::string> keys{keys_.phone_attempts(phone), keys_.address_attempts(address),
                                  keys_.member(phone)};
    std::vector<std::string> args{std::to_string(window.count())};
    auto r = co_await redis::run(*conn_, attempt_script, std::move(keys), std::move(args));
    if (auto c = written(r); !c) co_return c.error();
    co_return layout::attempt_of(phone, *r);
  }

  asio::awaitable<result<bool>> consume_code(std::string phone, std::string address, std::string code_hash,
                                             std::string token_hash, sla::member m,
                                             std::chrono::seconds ttl) override {
    std::vector<std::string> keys{keys_.member(phone), keys_.phone_attempts(phone), keys_.address_attempts(address),
                                  keys_.session(token_hash), keys_.sessions(m.id)};
    std::vector<std::string> args{code_hash, std::to_string(ttl.count()), m.id, m.name, m.organisation,
                                  std::string(sla::role_code(m.kind))};
    auto r = co_await redis::run(*conn_, consume_script, std::move(keys), std::move(args));
    if (auto c = written(r); !c) co_return result<bool>(boost::system::in_place_error, c.error());
    co_return r->type == redis::reply::kind::integer && r->integer == 1;
  }

  asio::awaitable<result<std::optional<sla::member>>> find_session(std::string token_hash) override {
    std::vector<std::string> cmd{"HMGET", keys_.session(token_hash), "name", "org", "role", "id"};
    auto r = co_await conn_->command(std::move(cmd));
    if (!r) co_return r.error();
    co_return layout::session_of(*r);
  }

  asio::awaitable<result<void>> end_session(std::string token_hash) override {
    std::vector<std::string> keys{keys_.session(token_hash), keys_.sessions("")};
    std::vector<std::string> args;  // named: no braced temporary inside a co_await
    auto r = co_await redis::run(*conn_, end_session_script, std::move(keys), std::move(args));
    co_return written(r);
  }

 private:
  std::shared_ptr<redis::connection> conn_;
  layout::keys keys_;
};

}  // namespace

std::unique_ptr<identity_store> make_redis_identity_store(std::shared_ptr<redis::connection> conn, std::string prefix) {
  return std::make_unique<redis_identity_store>(std::move(conn), std::move(prefix));
}

}  // namespace halfhour
