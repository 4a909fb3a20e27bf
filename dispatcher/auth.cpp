#include "dispatcher/auth.hpp"

#include <spdlog/spdlog.h>

#include "adapters/crypto.hpp"
#include "sla/text.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

auth::auth(identity_store& store, clock& clk, std::chrono::seconds session_ttl)
    : store_(store), clock_(clk), ttl_(session_ttl) {}

std::string auth::code_hash(std::string_view id, std::string_view code) {
  return crypto::sha256_hex(std::string(id) + ":" + std::string(code));
}

asio::awaitable<result<login_result>> auth::login(std::string phone, std::string code) {
  auto failed = co_await store_.failures(phone);
  if (!failed) co_return failed.error();
  if (*failed >= max_failures) {
    spdlog::warn("auth: login for {} refused, locked after {} failures", sla::mask_phone(phone), *failed);
    co_return login_result{login_result::kind::locked, {}, {}, {}};
  }
  auto found = co_await store_.find_member(phone);
  if (!found) co_return found.error();
  // Hash the offered code even for an unknown phone, so timing does not tell which phones exist.
  auto offered = code_hash(phone, code);
  bool ok = *found && crypto::equal_constant_time(offered, (*found)->code_hash);
  if (!ok) {
    auto n = co_await store_.count_failure(phone, failure_window);
    if (!n) co_return n.error();
    spdlog::info("auth: failed login for {} ({} of {})", sla::mask_phone(phone), *n, max_failures);
    co_return login_result{*n >= max_failures ? login_result::kind::locked : login_result::kind::bad_credentials,
                           {},
                           {},
                           {}};
  }
  auto cleared = co_await store_.clear_failures(phone);
  if (!cleared) co_return cleared.error();
  auto token = crypto::random_hex(32);
  auto member = (*found)->member;
  auto put = co_await store_.put_session(crypto::sha256_hex(token), member, ttl_);
  if (!put) co_return put.error();
  co_return login_result{login_result::kind::ok, std::move(token), clock_.now() + ttl_, std::move(member)};
}

asio::awaitable<result<std::optional<sla::member>>> auth::authenticate(std::string authorization) {
  constexpr std::string_view scheme = "Bearer ";
  if (!authorization.starts_with(scheme)) co_return std::optional<sla::member>{};
  auto token = std::string_view(authorization).substr(scheme.size());
  if (token.size() != 64 || token.find_first_not_of("0123456789abcdef") != std::string_view::npos)
    co_return std::optional<sla::member>{};
  co_return co_await store_.find_session(crypto::sha256_hex(token));
}

asio::awaitable<result<std::optional<sla::member>>> auth::find_member(std::string id) {
  auto found = co_await store_.find_member(std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return std::optional<sla::member>{};
  co_return std::optional<sla::member>{(*found)->member};
}

asio::awaitable<result<std::string>> auth::issue(sla::member m) {
  auto code = crypto::random_digits(10);
  stored_member record{m, code_hash(m.id, code)};  // named: no braced temporary in a co_await
  auto put = co_await store_.put_member(std::move(record));
  if (!put) co_return put.error();
  co_return code;
}

}  // namespace halfhour
