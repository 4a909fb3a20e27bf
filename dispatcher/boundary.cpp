#include "dispatcher/boundary.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <optional>

namespace halfhour {

namespace asio = boost::asio;

namespace {

struct pending_answer {
  std::optional<http::response> answer;
  asio::steady_timer done;
};

asio::awaitable<void> run_guarded(answer_fn handle, error_fn error, std::string what,
                                  std::shared_ptr<pending_answer> slot) {
  try {
    slot->answer = co_await handle();
  } catch (const std::exception& ex) {
    spdlog::error("http: {} failed: {}", what, ex.what());
    slot->answer = error(500, "internal_error", "服务器内部错误，请稍后重试");
  } catch (...) {
    spdlog::error("http: {} failed with an unknown exception", what);
    slot->answer = error(500, "internal_error", "服务器内部错误，请稍后重试");
  }
  slot->done.cancel();
}

}  // namespace

asio::awaitable<http::response> answer_within(std::chrono::milliseconds limit, answer_fn handle, error_fn error,
                                              std::string what) {
  auto slot = std::make_shared<pending_answer>(std::nullopt, asio::steady_timer(co_await asio::this_coro::executor));
  slot->done.expires_after(limit);
  asio::co_spawn(slot->done.get_executor(), run_guarded(std::move(handle), error, what, slot), asio::detached);
  // co_spawn may run the handler inline up to its first suspension: one that never suspends has
  // answered already, and its cancel() found no wait to end.
  if (!slot->answer) co_await slot->done.async_wait(asio::as_tuple(asio::use_awaitable));
  if (slot->answer) co_return std::move(*slot->answer);
  spdlog::warn("http: {} has not answered within {} ms; answered 503 for it", what, limit.count());
  auto r = error(503, "timeout", "处理超时，请稍后查询结果，勿重复提交");
  r.headers.emplace_back("Retry-After", "1");
  co_return r;
}

}  // namespace halfhour
