// Key layout, all in one slot ({auth}):
//   hh:{auth}:member:<id>     hash name, org, role, code (SHA-256 of id ":" code)
//   hh:{auth}:session:<hash>  hash id, name, org, role; expires with the session
//   hh:{auth}:fail:<id>       failed-login counter, expires with its window
// Only hashes of secrets are stored: a copy of Redis logs nobody in.
#include <fmt/format.h>

#include "adapters/errors.hpp"
#include "adapters/identity_store.hpp"
#include "adapters/redis/connection.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

namespace {

class redis_identity_store final : public identity_store {
 public:
  redis_identity_store(std::shared_ptr<redis::connection> conn, std::string prefix)
      : conn_(std::move(conn)), prefix_(std::move(prefix)) {}

  asio::awaitable<result<void>> put_member(stored_member m) override {
    auto r = co_await run("HSET", key("member", m.member.id), "name", m.member.name, "org", m.member.organisation,
                          "role", sla::role_code(m.member.kind), "code", m.code_hash);
    co_return check(r);
  }

  asio::awaitable<result<std::optional<stored_member>>> find_member(std::string id) override {
    auto r = co_await run("HMGET", key("member", id), "name", "org", "role", "code");
    if (!r) co_return r.error();
    auto m = member_of(id, *r, 4);
    if (!m) co_return std::optional<stored_member>{};
    co_return std::optional<stored_member>{stored_member{*m, r->elements[3].str}};
  }

  asio::awaitable<result<void>> put_session(std::string token_hash, sla::member m, std::chrono::seconds ttl) override {
    // The session and its expiry in one transaction: a session that outlives its TTL would be a
    // token that never expires.
    const auto k = key("session", token_hash);
    std::vector<std::vector<std::string>> commands{
        {"MULTI"},
        {"HSET", k, "id", m.id, "name", m.name, "org", m.organisation, "role", std::string(sla::role_code(m.kind))},
        {"EXPIRE", k, std::to_string(ttl.count())},
        {"EXEC"}};
    auto r = co_await conn_->pipeline(std::move(commands));
    if (!r) co_return r.error();
    co_return check(result<redis::reply>(std::move(r->back())));
  }

  asio::awaitable<result<std::optional<sla::member>>> find_session(std::string token_hash) override {
    auto r = co_await run("HMGET", key("session", token_hash), "name", "org", "role", "id");
    if (!r) co_return r.error();
    if (r->type != redis::reply::kind::array || r->elements.size() != 4 ||
        r->elements[3].type != redis::reply::kind::string)
      co_return std::optional<sla::member>{};
    co_return member_of(r->elements[3].str, *r, 4);
  }

  asio::awaitable<result<long long>> count_failure(std::string id, std::chrono::seconds window) override {
    auto r = co_await run("INCR", key("fail", id));
    if (!r) co_return r.error();
    if (r->type != redis::reply::kind::integer) co_return make_error_code(errc::rejected);
    if (r->integer == 1) {
      auto e = co_await run("EXPIRE", key("fail", id), std::to_string(window.count()));
      if (!e) co_return e.error();
    }
    co_return r->integer;
  }

  asio::awaitable<result<long long>> failures(std::string id) override {
    auto r = co_await run("GET", key("fail", id));
    if (!r) co_return r.error();
    if (r->type != redis::reply::kind::string) co_return 0LL;
    co_return std::stoll(r->str);
  }

  asio::awaitable<result<void>> clear_failures(std::string id) override {
    auto r = co_await run("DEL", key("fail", id));
    co_return check(r);
  }

 private:
  template <class... Args>
  asio::awaitable<result<redis::reply>> run(const Args&... args) {
    return conn_->command(std::vector<std::string>{std::string(args)...});
  }

  static result<void> check(const result<redis::reply>& r) {
    if (!r) return r.error();
    if (r->is_error()) return make_error_code(errc::rejected);
    return {};
  }

  // HMGET name, org, role, … -> a member, or nothing when the record is absent or damaged.
  static std::optional<sla::member> member_of(const std::string& id, const redis::reply& r, std::size_t fields) {
    if (r.type != redis::reply::kind::array || r.elements.size() != fields) return std::nullopt;
    for (std::size_t i = 0; i < 3; ++i)
      if (r.elements[i].type != redis::reply::kind::string) return std::nullopt;
    sla::member m{id, r.elements[0].str, r.elements[1].str, sla::role::crew};
    if (!sla::role_from_code(r.elements[2].str, m.kind)) return std::nullopt;
    return m;
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
