// Drives an io_context from a test until a coroutine finishes or a condition holds, with a
// bound so a broken test fails instead of hanging.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <functional>

namespace halfhour::testing {

template <class T>
T run(boost::asio::io_context& ioc, boost::asio::awaitable<T> aw) {
  auto f = boost::asio::co_spawn(ioc, std::move(aw), boost::asio::use_future);
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    if (std::chrono::steady_clock::now() > until) throw std::runtime_error("coroutine did not finish in 10 s");
    // Work on another thread (the archive's) leaves the context without handlers meanwhile.
    if (ioc.stopped()) ioc.restart();
    ioc.run_one_for(std::chrono::milliseconds(10));
  }
  return f.get();
}

inline bool run_until(boost::asio::io_context& ioc, const std::function<bool()>& done,
                      std::chrono::milliseconds bound = std::chrono::seconds(10)) {
  auto until = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    ioc.run_one_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace halfhour::testing
