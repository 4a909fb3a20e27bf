#include "adapters/http/client.hpp"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cerrno>
#include <deque>
#include <map>
#include <optional>

namespace halfhour::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;

  std::string key() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

std::optional<target> parse_url(const std::string& url) {
  target t;
  std::string_view rest(url);
  if (rest.starts_with("https://")) {
    t.tls = true;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  t.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    t.host = std::string(authority.substr(0, colon));
    t.port = std::string(authority.substr(colon + 1));
  } else {
    t.host = std::string(authority);
    t.port = t.tls ? "443" : "80";
  }
  if (t.host.empty() || t.port.empty()) return std::nullopt;
  return t;
}

using request = bhttp::request<bhttp::string_body>;

// One connection to one host, plain or TLS.
struct connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  steady::time_point idle_since;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // Whether the peer has not closed it while it lay idle: a peek that would block means open
  // and quiet; end of stream, an error, or bytes nobody asked for (a 408, a TLS alert) mean
  // it is no good for the next request.
  bool still_open() {
    char byte;
    auto n = ::recv(lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }

  // Closes the socket without a TLS close_notify: that would be a write to await, and peers
  // do not need it to drop a connection between requests.
  void close() {
    error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().socket().close(ignored);
  }
};

struct outcome {
  boost::system::result<post_result> result;
  bool response_started = false;  // any byte of a response arrived
  bool reusable = false;          // the response allows another request on this connection
};

template <class Stream>
asio::awaitable<outcome> round_trip(Stream& stream, const request& req) {
  auto [wec, wn] = co_await bhttp::async_write(stream, req, use_tuple);
  if (wec) co_return outcome{wec};
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024);
  auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
  bool started = parser.got_some() || buffer.size() > 0 || rn > 0;
  if (rec) co_return outcome{rec, started};
  // Bytes after the response, or a body ended by the peer closing: nothing more on this one.
  bool reusable = parser.get().keep_alive() && !parser.need_eof() && buffer.size() == 0;
  auto res = parser.release();
  post_result out{static_cast<int>(res.result_int()), std::move(res.body())};
  if (out.body.size() > 4096) out.body.resize(4096);
  co_return outcome{std::move(out), true, reusable};
}

// What a peer that closed a connection between requests looks like to the next request on it.
bool closed_by_peer(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::connection_aborted || ec == asio::error::broken_pipe ||
         ec == asio::ssl::error::stream_truncated;
}

// Someone waiting for a connection to a host at its limit: handed a connection, or room to open
// one, or nothing by its deadline.
struct waiter {
  explicit waiter(asio::any_io_executor ex) : wake(std::move(ex)) {}
  asio::steady_timer wake;
  std::unique_ptr<connection> handed;
  bool room = false;
};

struct host_pool {
  std::size_t open = 0;                          // in use or idle
  std::deque<std::unique_ptr<connection>> idle;  // the longest idle first
  std::deque<std::shared_ptr<waiter>> waiters;   // first come, first served
};

// A connection for one request: one reused from the pool, or none yet with room to open one.
struct lease {
  std::unique_ptr<connection> conn;
  bool reused = false;
};

// The pool and the posts through it. Every coroutine holds it by shared_ptr: a post or the
// sweep still running when the client goes finds it alive, closed.
class pool : public std::enable_shared_from_this<pool> {
 public:
  pool(asio::any_io_executor ex, pool_limits limits) : ex_(ex), limits_(limits), sweep_(ex) {}

  asio::awaitable<boost::system::result<post_result>> post(target t, std::string body, std::string content_type,
                                                           header_list headers, std::chrono::milliseconds timeout);
  void close();

 private:
  asio::awaitable<boost::system::result<lease>> acquire(std::string key, steady::time_point deadline);
  asio::awaitable<boost::system::result<std::unique_ptr<connection>>> open(target t, steady::time_point deadline);
  void release(const std::string& key, std::unique_ptr<connection> c, bool reusable);
  void keep(host_pool& h, std::unique_ptr<connection> c);
  void drop(const std::string& key);
  void close_longest_idle();
  asio::awaitable<void> sweep(std::shared_ptr<pool> self);  // self: alive while it waits
  asio::ssl::context& tls_context();

  asio::any_io_executor ex_;
  pool_limits limits_;
  std::map<std::string, host_pool> hosts_;
  std::size_t idle_ = 0;  // over all hosts
  asio::steady_timer sweep_;
  bool sweeping_ = false;
  bool closed_ = false;
  std::unique_ptr<asio::ssl::context> tls_;  // loaded once: reading the CA store is not cheap
};

asio::ssl::context& pool::tls_context() {
  if (!tls_) {
    tls_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    tls_->set_default_verify_paths();
    tls_->set_verify_mode(asio::ssl::verify_peer);
  }
  return *tls_;
}

asio::awaitable<boost::system::result<lease>> pool::acquire(std::string key, steady::time_point deadline) {
  auto& h = hosts_[key];
  while (!h.idle.empty()) {  // the most recently used first: the least likely to be dropped
    auto c = std::move(h.idle.back());
    h.idle.pop_back();
    --idle_;
    if (c->still_open()) co_return lease{std::move(c), true};
    c->close();
    --h.open;
  }
  if (h.open < limits_.per_host) {
    ++h.open;
    co_return lease{};
  }
  auto w = std::make_shared<waiter>(ex_);
  w->wake.expires_at(deadline);
  h.waiters.push_back(w);
  co_await w->wake.async_wait(use_tuple);  // cancelled by release() when it hands something over
  if (w->handed) {
    if (w->handed->still_open()) co_return lease{std::move(w->handed), true};
    w->handed->close();  // its place stays ours: open a new one in it
    co_return lease{};
  }
  if (w->room) co_return lease{};
  auto& waiting = hosts_[key].waiters;
  waiting.erase(std::remove(waiting.begin(), waiting.end(), w), waiting.end());
  co_return make_error_code(boost::system::errc::timed_out);
}

asio::awaitable<boost::system::result<std::unique_ptr<connection>>> pool::open(target t, steady::time_point deadline) {
  tcp::resolver resolver(ex_);
  auto [rec, endpoints] = co_await resolver.async_resolve(t.host, t.port, use_tuple);
  if (rec) co_return rec;
  auto c = std::make_unique<connection>();
  if (!t.tls) {
    c->plain = std::make_unique<beast::tcp_stream>(ex_);
  } else {
    c->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ex_, tls_context());
    if (!SSL_set_tlsext_host_name(c->tls->native_handle(), t.host.c_str()))
      co_return error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
    c->tls->set_verify_callback(asio::ssl::host_name_verification(t.host));
  }
  c->lowest().expires_at(deadline);
  auto [cec, ep] = co_await c->lowest().async_connect(endpoints, use_tuple);
  if (cec) co_return cec;
  if (c->tls) {
    auto [hec] = co_await c->tls->async_handshake(asio::ssl::stream_base::client, use_tuple);
    if (hec) co_return hec;
  }
  co_return c;
}

// A request goes on a connection from the pool. If a reused one turns out closed by its peer
// before any byte of the answer came (the write fails, or end of stream or a reset where the
// status line should be), the request goes once more on a new connection: that is the race of
// a server dropping an idle connection just as it is reused, and such a server read nothing of
// the request. Once any byte of a response has arrived, the server has taken the request:
// sending it again could deliver a notice twice, so the failure goes back to the caller (the
// outbox retries later under the message's Idempotency-Key). A new connection is never retried.
asio::awaitable<boost::system::result<post_result>> pool::post(target t, std::string body, std::string content_type,
                                                               header_list headers, std::chrono::milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  request req{bhttp::verb::post, t.path, 11};
  req.set(bhttp::field::host, t.host);
  req.set(bhttp::field::user_agent, "halfhour");
  req.set(bhttp::field::content_type, content_type);
  for (auto& [k, v] : headers) req.set(k, v);
  req.body() = std::move(body);
  req.keep_alive(limits_.idle > 0);  // keeping nothing: tell the server so
  req.prepare_payload();
  const auto key = t.key();
  auto got = co_await acquire(key, deadline);
  if (!got) co_return got.error();
  auto l = std::move(*got);
  for (bool retried = false;;) {
    if (!l.conn) {
      auto fresh = co_await open(t, deadline);
      if (!fresh) {
        drop(key);
        co_return fresh.error();
      }
      l = lease{std::move(*fresh), false};
    }
    l.conn->lowest().expires_at(deadline);
    outcome o;
    if (l.conn->tls) o = co_await round_trip(*l.conn->tls, req);
    else o = co_await round_trip(*l.conn->plain, req);
    l.conn->lowest().expires_never();
    if (!o.result && l.reused && !retried && !o.response_started && closed_by_peer(o.result.error())) {
      l.conn->close();  // its place is taken by the new one
      l = lease{};
      retried = true;
      continue;
    }
    release(key, std::move(l.conn), !closed_ && o.result && o.reusable);
    co_return std::move(o.result);
  }
}

// A connection back from a request: handed to the first waiter, kept idle, or closed.
void pool::release(const std::string& key, std::unique_ptr<connection> c, bool reusable) {
  auto& h = hosts_[key];
  if (reusable && !h.waiters.empty()) {
    auto w = std::move(h.waiters.front());
    h.waiters.pop_front();
    w->handed = std::move(c);
    w->wake.cancel();
    return;
  }
  if (reusable && limits_.idle > 0) {
    keep(h, std::move(c));
    return;
  }
  c->close();
  drop(key);
}

void pool::keep(host_pool& h, std::unique_ptr<connection> c) {
  c->idle_since = steady::now();
  h.idle.push_back(std::move(c));
  ++idle_;
  while (idle_ > limits_.idle) close_longest_idle();
  if (!sweeping_ && idle_ > 0) {
    sweeping_ = true;
    asio::co_spawn(ex_, sweep(shared_from_this()), asio::detached);
  }
}

// A place to one host is free (its connection closed or never opened): a waiter may open one.
void pool::drop(const std::string& key) {
  auto& h = hosts_[key];
  --h.open;
  if (!h.waiters.empty()) {
    auto w = std::move(h.waiters.front());
    h.waiters.pop_front();
    ++h.open;
    w->room = true;
    w->wake.cancel();
  } else if (h.open == 0 && h.idle.empty()) {
    hosts_.erase(key);
  }
}

void pool::close_longest_idle() {
  auto oldest = hosts_.end();
  for (auto it = hosts_.begin(); it != hosts_.end(); ++it)
    if (!it->second.idle.empty() &&
        (oldest == hosts_.end() || it->second.idle.front()->idle_since < oldest->second.idle.front()->idle_since))
      oldest = it;
  if (oldest == hosts_.end()) return;
  oldest->second.idle.front()->close();
  oldest->second.idle.pop_front();
  --idle_;
  drop(std::string(oldest->first));  // a copy: drop may erase the entry that holds the key
}

// Closes idle connections as their idle timeout passes; runs while any are idle.
asio::awaitable<void> pool::sweep([[maybe_unused]] std::shared_ptr<pool> self) {
  while (!closed_ && idle_ > 0) {
    auto first = steady::time_point::max();
    for (auto& [key, h] : hosts_)
      if (!h.idle.empty()) first = std::min(first, h.idle.front()->idle_since);
    sweep_.expires_at(first + limits_.idle_timeout);
    co_await sweep_.async_wait(use_tuple);
    const auto now = steady::now();
    for (auto it = hosts_.begin(); it != hosts_.end();) {
      auto next = std::next(it);
      auto& h = it->second;
      while (!h.idle.empty() && h.idle.front()->idle_since + limits_.idle_timeout <= now) {
        h.idle.front()->close();
        h.idle.pop_front();
        --idle_;
        --h.open;
      }
      if (h.open == 0 && h.idle.empty() && h.waiters.empty()) hosts_.erase(it);
      it = next;
    }
  }
  sweeping_ = false;
}

void pool::close() {
  closed_ = true;
  limits_.idle = 0;
  for (auto& [key, h] : hosts_) {
    for (auto& c : h.idle) c->close();
    h.open -= h.idle.size();
    h.idle.clear();
  }
  idle_ = 0;
  sweep_.cancel();
}

class beast_client final : public client {
 public:
  beast_client(asio::any_io_executor ex, pool_limits limits) : pool_(std::make_shared<pool>(ex, limits)) {}
  ~beast_client() override { pool_->close(); }

  asio::awaitable<boost::system::result<post_result>> post(std::string url, std::string body, std::string content_type,
                                                           header_list headers,
                                                           std::chrono::milliseconds timeout) override {
    auto t = parse_url(url);
    if (!t) co_return make_error_code(boost::system::errc::invalid_argument);
    auto p = pool_;  // the frame keeps the pool, whatever becomes of the client meanwhile
    co_return co_await p->post(std::move(*t), std::move(body), std::move(content_type), std::move(headers), timeout);
  }

 private:
  std::shared_ptr<pool> pool_;
};

}  // namespace

asio::awaitable<boost::system::result<post_result>> post(asio::any_io_executor ex, std::string url, std::string body,
                                                         std::string content_type, header_list headers,
                                                         std::chrono::milliseconds timeout) {
  beast_client one(std::move(ex), pool_limits{1, 0, std::chrono::milliseconds{0}});
  co_return co_await one.post(std::move(url), std::move(body), std::move(content_type), std::move(headers), timeout);
}

std::unique_ptr<client> make_client(asio::any_io_executor ex, pool_limits limits) {
  return std::make_unique<beast_client>(std::move(ex), limits);
}

}  // namespace halfhour::http
