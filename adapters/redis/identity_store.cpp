// Members, sessions and login attempts in Redis, all in one slot ({auth}): each call builds its
// commands from the layout (adapters/redis/layout.hpp, which also describes every key) and sends
// them; every write of more than one key is one script of adapters/redis/lua.
#include "adapters/identity_store.hpp"
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

const redis::script put_member_script(lua::compose({lua::end_sessions(), lua::put_member()}));
const redis::script remove_member_script(lua::compose({lua::end_sessions(), lua::remove_member()}));
const redis::script attempt_script(lua::attempt_login());
const redis::script consume_script(lua::consume_code());
const redis::script end_session_script(lua::end_session());

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
    std::vector<std::string> args{keys_.session(""),     m.member.name,
                                  m.member.organisation, std::string(sla::code_of(m.member.kind)),
                                  m.code_hash,           expires};
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
    std::vector<std::string> keys{keys_.phone_attempts(phone), keys_.address_attempts(address), keys_.member(phone)};
    std::vector<std::string> args{std::to_string(window.count())};
    auto r = co_await redis::run(*conn_, attempt_script, std::move(keys), std::move(args));
    if (auto c = written(r); !c) co_return c.error();
    co_return layout::attempt_of(phone, *r);
  }

  asio::awaitable<result<bool>> consume_code(std::string phone, std::string address, std::string code_hash,
                                             std::string token_hash, sla::member m, std::chrono::seconds ttl) override {
    std::vector<std::string> keys{keys_.member(phone), keys_.phone_attempts(phone), keys_.address_attempts(address),
                                  keys_.session(token_hash), keys_.sessions(m.id)};
    std::vector<std::string> args{code_hash,      std::to_string(ttl.count()),      m.id, m.name,
                                  m.organisation, std::string(sla::code_of(m.kind))};
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
