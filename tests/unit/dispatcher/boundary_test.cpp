// The boundary every handler runs inside: a throw is a 500, a handler past its limit is answered
// 503 for while it finishes its work, and a quick answer passes through untouched.
#include "dispatcher/boundary.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace halfhour {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

http::response plain_error(int status, std::string_view code, std::string_view) {
  return {status, "application/json", std::string(code), {}};
}

// Runs `handle` inside the boundary to completion of the io_context; the answer it gave.
http::response run(std::chrono::milliseconds limit, answer_fn handle) {
  asio::io_context ioc;
  http::response out;
  asio::co_spawn(ioc, answer_within(limit, std::move(handle), plain_error, "GET /test"),
                 [&out](std::exception_ptr, http::response r) { out = std::move(r); });
  ioc.run();
  return out;
}

TEST(boundary, a_quick_answer_passes_through) {
  answer_fn quick = []() -> asio::awaitable<http::response> {
    co_return http::response{201, "text/plain", "made", {}};
  };
  auto r = run(1000ms, quick);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "made");
}

TEST(boundary, a_handler_that_throws_is_a_500) {
  answer_fn throwing = []() -> asio::awaitable<http::response> {
    throw std::runtime_error("broken invariant");
    co_return http::response{};
  };
  auto r = run(1000ms, throwing);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, "internal_error");
}

TEST(boundary, a_handler_past_its_limit_is_answered_for_and_still_finishes) {
  bool finished = false;
  answer_fn slow = [&finished]() -> asio::awaitable<http::response> {
    asio::steady_timer t(co_await asio::this_coro::executor);
    t.expires_after(30ms);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    finished = true;
    co_return http::response{200, "text/plain", "late", {}};
  };
  auto r = run(1ms, slow);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "timeout");
  EXPECT_TRUE(finished) << "its work went on after the answer";
}

}  // namespace
}  // namespace halfhour
