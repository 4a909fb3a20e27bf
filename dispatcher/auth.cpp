#include "dispatcher/auth.hpp"

#include <spdlog/spdlog.h>

#include "adapters/crypto.hpp"
#include "dispatcher/session_cookie.hpp"
#include "sla/text.hpp"

namespace halfhour {

namespace asio = boost::asio;
using boost::system::result;

auth::auth(identity_store& store, clock& clk, auth_settings settings)
    : store_(store), clock_(clk), settings_(settings) {}

std::string auth::code_hash(std::string_view id, std::string_view code) {
  return crypto::sha256_hex(std::string(id) + ":" + std::string(code));
}

asio::awaitable<result<login_result>> auth::login(std::string phone, std::string code, std::string address) {
  // Counted first, in one atomic step: however many arrive at once, at most the limit of them
  // get as far as comparing a code.
  auto attempt = co_await store_.attempt_login(phone, address, failure_window);
  if (!attempt) co_return attempt.error();
  if (attempt->phone_attempts > max_failures || attempt->address_attempts > max_address_failures) {
    spdlog::warn("auth: login for {} refused, {} attempts on the phone and {} from its address within {} min",
                 sla::mask_phone(phone), attempt->phone_attempts, attempt->address_attempts,
                 failure_window.count() / 60);
    ++stats_.refused_locked;
    co_return login_result{login_result::kind::locked, {}, {}, {}};
  }
  ++stats_.codes_compared;
  // Hash the offered code even for an unknown phone, so timing does not tell which phones exist.
  const auto offered = code_hash(phone, code);
  const auto& found = attempt->member;
  const auto now = clock_.now();
  const bool live = found && !found->code_hash.empty() && (!found->code_expires || now < *found->code_expires);
  const bool ok = crypto::equal_constant_time(offered, live ? found->code_hash : std::string(64, '-')) && live;
  if (ok) {
    auto token = crypto::random_hex(32);
    const auto member = found->member;
    auto consumed =
        co_await store_.consume_code(phone, address, offered, crypto::sha256_hex(token), member, settings_.session_ttl);
    if (!consumed) co_return consumed.error();
    if (*consumed)
      co_return login_result{login_result::kind::ok, std::move(token), now + settings_.session_ttl, member};
    // Used by a parallel login a moment ago: single use means this one is refused.
  }
  spdlog::info("auth: failed login for {} ({} of {}{})", sla::mask_phone(phone), attempt->phone_attempts, max_failures,
               found && !live ? "; the code was used or has expired" : "");
  co_return login_result{
      attempt->phone_attempts >= max_failures ? login_result::kind::locked : login_result::kind::bad_credentials,
      {},
      {},
      {}};
}

asio::awaitable<result<std::optional<sla::member>>> auth::authenticate(std::string token) {
  if (session::token_shaped(token).empty()) co_return std::optional<sla::member>{};
  co_return co_await store_.find_session(crypto::sha256_hex(token));
}

asio::awaitable<result<bool>> auth::logout(std::string token) {
  if (session::token_shaped(token).empty()) co_return false;
  const auto hash = crypto::sha256_hex(token);
  auto found = co_await store_.find_session(hash);
  if (!found) co_return result<bool>(boost::system::in_place_error, found.error());
  if (!*found) co_return false;
  auto ended = co_await store_.end_session(hash);
  if (!ended) co_return result<bool>(boost::system::in_place_error, ended.error());
  spdlog::info("auth: {} logged out", sla::mask_phone((*found)->id));
  co_return true;
}

asio::awaitable<result<std::optional<sla::member>>> auth::find_member(std::string id) {
  auto found = co_await store_.find_member(std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return std::optional<sla::member>{};
  co_return std::optional<sla::member>{(*found)->member};
}

asio::awaitable<result<std::string>> auth::issue(sla::member m) {
  auto code = crypto::random_digits(10);
  // Named: no braced temporary in a co_await (g++ 12).
  stored_member record{m, code_hash(m.id, code), clock_.now() + settings_.code_ttl};
  auto put = co_await store_.put_member(std::move(record));
  if (!put) co_return put.error();
  co_return code;
}

asio::awaitable<result<bool>> auth::remove(std::string id) { co_return co_await store_.remove_member(std::move(id)); }

}  // namespace halfhour
