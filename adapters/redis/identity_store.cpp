// Key layout, all in one slot ({auth}):
//   hh:{auth}:member:<id>      hash name, org, role, code (SHA-256 of id ":" code, until used),
//                              code_expires (ms since the epoch)
//   hh:{auth}:session:<hash>   hash id, name, org, role; expires with the session
//   hh:{auth}:sessions:<id>    set of the member's session hashes, expiring with the newest
//   hh:{auth}:fail:<id>        login attempts on a phone, expiring with its window
//   hh:{auth}:from:<address>   login attempts from a source address, likewise
// Only hashes of secrets are stored: a copy of Redis logs nobody in.
#include <fmt/format.h>

#include "adapters/errors.hpp"
#include "adapters/identity_store.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/redis/script.hpp"

namespace halfhour {

namespace asio = boost::asio;
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

class redis_identity_store final : public identity_store {
 public:
  redis_identity_store(std::shared_ptr<redis::connection> conn, std::string prefix)
      : conn_(std::move(conn)), prefix_(std::move(prefix)) {}

  asio::awaitable<result<void>> put_member(stored_member m) override {
    const auto expires = m.code_expires ? std::to_string(sla::to_ms(*m.code_expires)) : std::string("0");
    // Named, not braced inside the co_await (g++ 12 may free such temporaries twice).
    std::vector<std::string> keys{key("member", m.member.id), key("sessions", m.member.id)};
    std::vector<std::string> args{key("session", ""), m.member.name, m.member.organisation,
                                  std::string(sla::code_of(m.member.kind)), m.code_hash, expires};
    auto r = co_await redis::run(*conn_, put_member_script, std::move(keys), std::move(args));
    co_return check(r);
  }

  asio::awaitable<result<std::optional<stored_member>>> find_member(std::string id) override {
    std::vector<std::string> cmd{"HMGET", key("member", id), "name", "org", "role", "code", "code_expires"};
    auto r = co_await conn_->command(std::move(cmd));
    if (!r) co_return r.error();
    if (r->type != redis::reply::kind::array || r->elements.size() != 5) co_return std::optional<stored_member>{};
    co_return member_of(id, r->elements, 0);
  }

  asio::awaitable<result<bool>> remove_member(std::string id) override {
    std::vector<std::string> keys{key("member", id), key("sessions", id)};
    std::vector<std::string> args{key("session", "")};
    auto r = co_await redis::run(*conn_, remove_member_script, std::move(keys), std::move(args));
    if (auto c = check(r); !c) co_return result<bool>(boost::system::in_place_error, c.error());
    co_return r->type == redis::reply::kind::integer && r->integer > 0;
  }

  asio::awaitable<result<login_attempt>> attempt_login(std::string phone, std::string address,
                                                       std::chrono::seconds window) override {
    std::vector<std::string> keys{key("fail", phone), key("from", address.empty() ? "unknown" : address),
                                  key("member", phone)};
    std::vector<std::string> args{std::to_string(window.count())};
    auto r = co_await redis::run(*conn_, attempt_script, std::move(keys), std::move(args));
    if (auto c = check(r); !c) co_return c.error();
    if (r->type != redis::reply::kind::array || r->elements.size() != 7 ||
        r->elements[0].type != redis::reply::kind::integer || r->elements[1].type != redis::reply::kind::integer)
      co_return make_error_code(errc::rejected);
    login_attempt out{r->elements[0].integer, r->elements[1].integer, {}};
    std::vector<redis::reply> fields(r->elements.begin() + 2, r->elements.end());
    out.member = member_of(phone, fields, 0);
    co_return out;
  }

  asio::awaitable<result<bool>> consume_code(std::string phone, std::string address, std::string code_hash,
                                             std::string token_hash, sla::member m,
                                             std::chrono::seconds ttl) override {
    std::vector<std::string> keys{key("member", phone), key("fail", phone),
                                  key("from", address.empty() ? "unknown" : address), key("session", token_hash),
                                  key("sessions", m.id)};
    std::vector<std::string> args{code_hash, std::to_string(ttl.count()), m.id, m.name, m.organisation,
                                  std::string(sla::code_of(m.kind))};
    auto r = co_await redis::run(*conn_, consume_script, std::move(keys), std::move(args));
    if (auto c = check(r); !c) co_return result<bool>(boost::system::in_place_error, c.error());
    co_return r->type == redis::reply::kind::integer && r->integer == 1;
  }

  asio::awaitable<result<std::optional<sla::member>>> find_session(std::string token_hash) override {
    std::vector<std::string> cmd{"HMGET", key("session", token_hash), "name", "org", "role", "id"};
    auto r = co_await conn_->command(std::move(cmd));
    if (!r) co_return r.error();
    if (r->type != redis::reply::kind::array || r->elements.size() != 4 ||
        r->elements[3].type != redis::reply::kind::string)
      co_return std::optional<sla::member>{};
    auto m = member_of(r->elements[3].str, r->elements, 0);
    if (!m) co_return std::optional<sla::member>{};
    co_return std::optional<sla::member>{m->member};
  }

  asio::awaitable<result<void>> end_session(std::string token_hash) override {
    std::vector<std::string> keys{key("session", token_hash), key("sessions", "")};
    auto r = co_await redis::run(*conn_, end_session_script, std::move(keys), {});
    co_return check(r);
  }

 private:
  static result<void> check(const result<redis::reply>& r) {
    if (!r) return r.error();
    if (r->is_error()) return make_error_code(errc::rejected);
    return {};
  }

  // name, org, role[, code, code_expires] from `at` -> a member, or nothing when the record is
  // absent or damaged.
  static std::optional<stored_member> member_of(const std::string& id, const std::vector<redis::reply>& f,
                                                std::size_t at) {
    if (f.size() < at + 3) return std::nullopt;
    for (std::size_t i = at; i < at + 3; ++i)
      if (f[i].type != redis::reply::kind::string) return std::nullopt;
    stored_member out{sla::member{id, f[at].str, f[at + 1].str, sla::role::crew}, {}, {}};
    if (!sla::role_from_code(f[at + 2].str, out.member.kind)) return std::nullopt;
    if (f.size() > at + 3 && f[at + 3].type == redis::reply::kind::string) out.code_hash = f[at + 3].str;
    if (f.size() > at + 4 && f[at + 4].type == redis::reply::kind::string && f[at + 4].str != "0") {
      long long ms = 0;
      try {
        ms = std::stoll(f[at + 4].str);
      } catch (const std::exception&) {
        return std::nullopt;
      }
      out.code_expires = sla::from_ms(ms);
    }
    return out;
  }

  std::string key(std::string_view kind, std::string_view rest) const {
    return fmt::format("{}:{{auth}}:{}:{}", prefix_, kind, rest);
  }

  std::shared_ptr<redis::connection> conn_;
  std::string prefix_;
};

}  // namespace

std::unique_ptr<identity_store> make_redis_identity_store(std::shared_ptr<redis::connection> conn, std::string prefix) {
  return std::make_unique<redis_identity_store>(std::move(conn), std::move(prefix));
}

}  // namespace halfhour
