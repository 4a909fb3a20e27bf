// The outgoing client's connection pool over real local sockets: a test server counts the
// connections it accepts, the requests it takes and the connections the client closes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/client.hpp"

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using halfhour::http::pool_limits;

// What the server does with the n-th request it reads (counting from 1 over all connections).
struct server_options {
  int reset_on = 0;                         // close with a reset, unanswered, as if dropped before reading it
  int partial_on = 0;                       // send the status line only, then close
  bool connection_close = false;            // answer "Connection: close" but leave the socket open
  std::chrono::milliseconds delay{0};       // before each answer
  std::chrono::milliseconds close_idle{0};  // close a connection idle this long (0: never)
};

class test_server {
 public:
  explicit test_server(server_options o = {}) : o_(o) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(listener_, 128);
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~test_server() {
    stop_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    for (auto& t : connections_) t.join();
    ::close(listener_);
  }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  std::atomic<int> accepted{0};       // connections opened by the client
  std::atomic<int> requests{0};       // requests read, answered or not
  std::atomic<int> delivered{0};      // requests answered 200
  std::atomic<int> client_closed{0};  // connections the client closed
  std::atomic<int> open_now{0};
  std::atomic<int> max_open{0};

 private:
  void accept_loop() {
    while (!stop_) {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      ++accepted;
      int now = ++open_now;
      for (int m = max_open; now > m && !max_open.compare_exchange_weak(m, now);) {
      }
      std::lock_guard lock(mutex_);
      connections_.emplace_back([this, fd] {
        serve(fd);
        --open_now;
      });
    }
  }

  // Waits for bytes (or the end) on fd for up to `limit`; false on timeout or stop.
  bool readable(int fd, std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (!stop_ && std::chrono::steady_clock::now() < until) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) return true;
    }
    return false;
  }

  // One request's bytes; empty when the client closed (or the server stops).
  std::string read_request(int fd, std::string& buffer) {
    for (;;) {
      auto end = buffer.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        auto cl = buffer.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) length = std::stoul(buffer.substr(cl + 16));
        if (buffer.size() >= end + 4 + length) {
          auto req = buffer.substr(0, end + 4 + length);
          buffer.erase(0, end + 4 + length);
          return req;
        }
      }
      if (!readable(fd, o_.close_idle.count() > 0 && buffer.empty() ? o_.close_idle : 10000ms)) return {};
      char chunk[4096];
      auto n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) {
        if (n == 0) ++client_closed;
        return {};
      }
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }

  void serve(int fd) {
    std::string buffer;
    for (;;) {
      auto req = read_request(fd, buffer);
      if (req.empty()) break;
      int n = ++requests;
      if (n == o_.reset_on) {
        linger l{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        break;
      }
      if (n == o_.partial_on) {
        std::string head = "HTTP/1.1 200 OK\r\n";
        ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
        break;
      }
      if (o_.delay.count() > 0) std::this_thread::sleep_for(o_.delay);
      ++delivered;
      std::string res = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n";
      if (o_.connection_close) res += "Connection: close\r\n";
      res += "\r\nok";
      ::send(fd, res.data(), res.size(), MSG_NOSIGNAL);
    }
    ::close(fd);
  }

  server_options o_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> connections_;
};

using post_outcome = boost::system::result<halfhour::http::post_result>;

asio::awaitable<post_outcome> post(halfhour::http::client& c, std::string url) {
  halfhour::http::header_list headers{{"Idempotency-Key", "k"}};
  co_return co_await c.post(std::move(url), "{}", "application/json", std::move(headers), 2000ms);
}

// A post spawned on its own: pointers, not references, outlive the loop that spawns it.
asio::awaitable<void> post_counting(halfhour::http::client* c, std::string url, int* ok, int* done) {
  auto r = co_await post(*c, std::move(url));
  if (r && r->status == 200) ++*ok;
  ++*done;
}

asio::awaitable<void> sleep(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  t.expires_after(d);
  co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
}

// Runs `body` with a client of `limits` on an io_context of its own, to the end.
void run(pool_limits limits, std::function<asio::awaitable<void>(halfhour::http::client&)> body) {
  asio::io_context ioc;
  auto client = halfhour::http::make_client(ioc.get_executor(), limits);
  auto task = [&]() -> asio::awaitable<void> {
    co_await body(*client);
    client.reset();  // closes what is idle, so the context runs out
  };
  asio::co_spawn(ioc, task(), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  ioc.run();
}

bool eventually(const std::function<bool()>& f) {
  for (int i = 0; i < 200 && !f(); ++i) std::this_thread::sleep_for(10ms);
  return f();
}

TEST(http_client, a_burst_one_after_another_goes_over_one_connection) {
  test_server server;
  run({}, [&](halfhour::http::client& c) -> asio::awaitable<void> {
    for (int i = 0; i < 50; ++i) {
      auto r = co_await post(c, server.url());
      EXPECT_TRUE(r && r->status == 200) << i;
    }
  });
  EXPECT_EQ(server.accepted, 1);
  EXPECT_EQ(server.delivered, 50);
}

TEST(http_client, a_burst_at_once_opens_no_more_than_the_bound_per_host) {
  test_server server({.delay = 20ms});
  int ok = 0;
  run({.per_host = 4}, [&](halfhour::http::client& c) -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    int done = 0;
    for (int i = 0; i < 40; ++i) asio::co_spawn(ex, post_counting(&c, server.url(), &ok, &done), asio::detached);
    while (done < 40) co_await sleep(5ms);
  });
  EXPECT_EQ(ok, 40);
  EXPECT_EQ(server.delivered, 40);
  EXPECT_LE(server.accepted, 4);
  EXPECT_LE(server.max_open, 4);
}

TEST(http_client, a_connection_the_server_closed_while_idle_is_replaced) {
  test_server server({.close_idle = 50ms});
  run({}, [&](halfhour::http::client& c) -> asio::awaitable<void> {
    auto first = co_await post(c, server.url());
    EXPECT_TRUE(first && first->status == 200);
    co_await sleep(200ms);
    auto second = co_await post(c, server.url());
    EXPECT_TRUE(second && second->status == 200);
  });
  EXPECT_EQ(server.accepted, 2);
  EXPECT_EQ(server.requests, 2);  // each delivered once
  EXPECT_EQ(server.delivered, 2);
}

TEST(http_client, a_reused_connection_dropped_before_any_answer_is_retried_once_on_a_new_one) {
  test_server server({.reset_on = 2});
  run({}, [&](halfhour::http::client& c) -> asio::awaitable<void> {
    auto first = co_await post(c, server.url());
    EXPECT_TRUE(first && first->status == 200);
    auto second = co_await post(c, server.url());
    EXPECT_TRUE(second && second->status == 200) << (second ? "" : second.error().message());
  });
  EXPECT_EQ(server.accepted, 2);
  EXPECT_EQ(server.requests, 3);  // the one dropped unanswered, then once more on the new one
  EXPECT_EQ(server.delivered, 2);
}

TEST(http_client, a_request_is_never_sent_again_once_an_answer_began) {
  test_server server({.partial_on = 2});
  run({}, [&](halfhour::http::client& c) -> asio::awaitable<void> {
    auto first = co_await post(c, server.url());
    EXPECT_TRUE(first && first->status == 200);
    auto second = co_await post(c, server.url());
    EXPECT_FALSE(second);
  });
  EXPECT_EQ(server.requests, 2);
  EXPECT_EQ(server.accepted, 1);
}

TEST(http_client, a_new_connection_dropped_before_any_answer_is_not_retried) {
  test_server server({.reset_on = 1});
  run({}, [&](halfhour::http::client& c) -> asio::awaitable<void> {
    auto r = co_await post(c, server.url());
    EXPECT_FALSE(r);
  });
  EXPECT_EQ(server.requests, 1);
  EXPECT_EQ(server.accepted, 1);
}

TEST(http_client, an_answer_without_keep_alive_is_not_reused) {
  test_server server({.connection_close = true});
  run({}, [&](halfhour::http::client& c) -> asio::awaitable<void> {
    for (int i = 0; i < 3; ++i) {
      auto r = co_await post(c, server.url());
      EXPECT_TRUE(r);
    }
  });
  EXPECT_EQ(server.accepted, 3);
  EXPECT_EQ(server.delivered, 3);
}

TEST(http_client, the_idle_timeout_closes_connections) {
  test_server server;
  run({.idle_timeout = 100ms}, [&](halfhour::http::client& c) -> asio::awaitable<void> {
    {
      auto r = co_await post(c, server.url());
      EXPECT_TRUE(r);
    }
    co_await sleep(50ms);
    EXPECT_EQ(server.client_closed, 0);
    co_await sleep(250ms);
    EXPECT_EQ(server.client_closed, 1);  // closed by the client while idle
    {
      auto r = co_await post(c, server.url());
      EXPECT_TRUE(r);
    }
  });
  EXPECT_EQ(server.accepted, 2);
}

TEST(http_client, idle_connections_over_all_hosts_stay_within_the_bound) {
  test_server a, b;
  run({.idle = 1}, [&](halfhour::http::client& c) -> asio::awaitable<void> {
    {
      auto r = co_await post(c, a.url());
      EXPECT_TRUE(r);
    }
    {
      auto r = co_await post(c, b.url());
      EXPECT_TRUE(r);
    }  // keeping it closes a's, the longer idle
    EXPECT_TRUE(eventually([&] { return a.client_closed == 1; }));
    EXPECT_EQ(b.client_closed, 0);
    {
      auto r = co_await post(c, b.url());
      EXPECT_TRUE(r);
    }
    {
      auto r = co_await post(c, a.url());
      EXPECT_TRUE(r);
    }
  });
  EXPECT_EQ(a.accepted, 2);
  EXPECT_EQ(b.accepted, 1);
}

TEST(http_client, keeping_nothing_opens_a_connection_per_message) {
  test_server server;
  run({.idle = 0}, [&](halfhour::http::client& c) -> asio::awaitable<void> {
    for (int i = 0; i < 3; ++i) {
      auto r = co_await post(c, server.url());
      EXPECT_TRUE(r);
    }
  });
  EXPECT_EQ(server.accepted, 3);
}

}  // namespace
