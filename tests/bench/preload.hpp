// Shared by the whole-engine benchmarks: filling Redis with open tickets through the store's own
// scripts (as live ingest writes them), and driving an io_context without a time bound.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>

#include "adapters/redis/connection.hpp"
#include "adapters/store.hpp"
#include "sla/classifier.hpp"
#include "sla/resolver.hpp"
#include "tests/integration/redis_server.hpp"
#include "tests/integration/run.hpp"

namespace halfhour::bench {

// Like testing::run, without its ten-second bound: a million steps take longer than that.
template <class T>
T run_long(boost::asio::io_context& ioc, boost::asio::awaitable<T> aw) {
  auto f = boost::asio::co_spawn(ioc, std::move(aw), boost::asio::use_future);
  while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    if (ioc.stopped()) ioc.restart();  // work on another thread (the archive's) leaves it idle
    ioc.run_one_for(std::chrono::milliseconds(10));
  }
  return f.get();
}

// One lane of the loader: tickets first, first + lanes, … below n, accepted at `now` with the
// default limits (10 minutes to acknowledge, 30 on site).
inline boost::asio::awaitable<void> load_lane(work_order_store& store, const sla::classifier& cls,
                                              const sla::resolver& res, std::size_t first, std::size_t lanes,
                                              std::size_t n, sla::instant now, std::size_t* done) {
  const char* texts[] = {"厨房水管爆了，水漫到客厅", "单元门门禁坏了"};
  for (std::size_t i = first; i < n; i += lanes) {
    const std::string key = "12345:M" + std::to_string(i);
    sla::intake in{sla::channel::hotline_12345,
                   "M" + std::to_string(i),
                   {"王", "13900000000"},
                   texts[i % 2],
                   "丹桂苑" + std::to_string(i) + "号楼",
                   std::nullopt};
    auto c = cls.classify(in.content);
    auto w = res.resolve(in.address, in.content);
    sla::ladder lad;
    lad.station = res.dir().station;
    std::function<sla::decision(std::string)> build = [&](std::string id) {
      return sla::accept(in, std::move(id), c, w, lad, sla::limits{}, now);
    };
    auto r = co_await store.create(key, std::move(build));
    if (!r) throw std::runtime_error("create failed: " + r.error().message());
    ++*done;
  }
}

// Writes tickets [from, to) accepted at `now`, 64 in flight; returns the seconds it took.
inline double preload(boost::asio::io_context& ioc, work_order_store& store, const sla::classifier& cls,
                      const sla::resolver& res, std::size_t from, std::size_t to, sla::instant now) {
  std::size_t done = 0;
  const auto start = std::chrono::steady_clock::now();
  constexpr std::size_t lanes = 64;
  for (std::size_t lane = 0; lane < lanes; ++lane)
    boost::asio::co_spawn(ioc, load_lane(store, cls, res, from + lane, lanes, to, now, &done), boost::asio::detached);
  while (done < to - from) ioc.run_one_for(std::chrono::milliseconds(10));
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A connection to the run's own redis-server, writing without fsync: what is measured after
// loading sets its own.
inline std::shared_ptr<redis::connection> connect_for_loading(boost::asio::io_context& ioc,
                                                              testing::redis_server& server) {
  auto conn = redis::connection::create(ioc.get_executor(), {"", 0, server.socket()}, {});
  if (!testing::run_until(ioc, [&] { return conn->connected(); })) throw std::runtime_error("no Redis");
  (void)testing::run(ioc, conn->command({"CONFIG", "SET", "appendfsync", "no"}));
  return conn;
}

}  // namespace halfhour::bench
