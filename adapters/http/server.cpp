#include "adapters/http/server.hpp"

#include "adapters/clock.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <sys/resource.h>

namespace halfhour::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// What every answer carries: never cached (personal data, live clocks), never sniffed into
// another type, never framed by another site, and no Referer leaking a signed link's token.
template <class Message>
void common_headers(Message& m, const std::string& content_type) {
  m.set(bhttp::field::server, "halfhour");
  m.set(bhttp::field::content_type, content_type);
  m.set(bhttp::field::cache_control, "no-store");
  m.set("X-Content-Type-Options", "nosniff");
  m.set("X-Frame-Options", "DENY");
  m.set("Referrer-Policy", "no-referrer");
}

bhttp::response<bhttp::string_body> to_beast(response r, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
  common_headers(res, r.content_type);
  for (auto& [k, v] : r.headers) res.set(k, v);
  res.keep_alive(keep_alive);
  res.body() = std::move(r.body);
  res.prepare_payload();
  return res;
}

response refusal(int status, std::string_view code, std::string_view message) {
  return {status,
          "application/json; charset=utf-8",
          std::string(R"({"error":{"code":")") + std::string(code) + R"(","field":"","message":")" +
              std::string(message) + R"("}})",
          {}};
}

// A line for a condition that can repeat thousands of times a second (accept failing while the
// process is out of file descriptors, connections displaced under a flood): the first at once,
// then at most one a second saying how many were left unsaid.
class quiet_log {
 public:
  explicit quiet_log(const char* what) : what_(what) {}
  template <class... Args>
  void warn(fmt::format_string<Args...> f, Args&&... args) {
    const auto now = monotonic_now();
    if (now - last_ < std::chrono::seconds{1}) {
      ++unsaid_;
      return;
    }
    auto line = fmt::format(f, std::forward<Args>(args)...);
    if (unsaid_)
      line += fmt::format(" ({} more {} in the last {} ms)", unsaid_, what_,
                          std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count());
    spdlog::warn("{}", line);
    last_ = now;
    unsaid_ = 0;
  }

 private:
  const char* what_;
  monotonic::time_point last_{};
  std::size_t unsaid_ = 0;
};

// The cap when none is configured: the descriptor limit less what Redis, deliveries (up to 32
// at once), the report files and the log need.
std::size_t default_max_connections() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 10000;
  const auto fds = static_cast<std::size_t>(rl.rlim_cur);
  const std::size_t reserve = 48 + fds / 8;
  return fds > reserve + 8 ? std::min<std::size_t>(fds - reserve, 100000) : 8;
}

// One connection as the server keeps count of it: busy while a request is being answered,
// otherwise waiting (idle keep-alive, or a request still arriving).
struct connection_slot {
  beast::tcp_stream* stream = nullptr;
  bool busy = false;
};

class server_impl final : public server {
 public:
  server_impl(asio::any_io_executor ex, server_options opt, handler h)
      : ex_(ex), opt_(std::move(opt)), handler_(std::move(h)), acceptor_(ex) {
    if (opt_.max_connections == 0) opt_.max_connections = default_max_connections();
    tcp::endpoint ep{asio::ip::make_address(opt_.address), opt_.port};
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ex_, accept_loop(), asio::detached);
  }

  unsigned short port() const override { return port_; }

  void stop() override {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  using slot_ref = std::list<connection_slot>::iterator;

  asio::awaitable<void> accept_loop() {
    asio::steady_timer backoff(ex_);
    auto pause = std::chrono::milliseconds{0};
    while (acceptor_.is_open()) {
      auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
        // Out of descriptors (or memory) the pending connection stays queued and accept fails at
        // once again: without a pause the loop spins at full CPU and starves the clocks' timers.
        pause = std::clamp(pause * 2, std::chrono::milliseconds{10}, std::chrono::milliseconds{1000});
        accept_log_.warn("http: accept failed: {}; pausing {} ms", ec.message(), pause.count());
        backoff.expires_after(pause);
        co_await backoff.async_wait(use_tuple);
        continue;
      }
      pause = std::chrono::milliseconds{0};
      if (slots_.size() >= opt_.max_connections && !displace_one()) {
        asio::co_spawn(ex_, turn_away(beast::tcp_stream(std::move(socket))), asio::detached);
        continue;
      }
      slots_.push_back({});
      asio::co_spawn(ex_, session(beast::tcp_stream(std::move(socket)), std::prev(slots_.end())), asio::detached);
    }
  }

  // At the cap: the oldest connection still waiting for a request goes, so a flood of stalled
  // or idle clients cannot keep out the next real one (a health check, a crew's phone).
  bool displace_one() {
    for (auto& s : slots_) {
      if (s.busy || !s.stream) continue;
      s.stream->close();
      s.stream = nullptr;  // closing ends its session, which then gives the slot up
      displaced_log_.warn("http: {} connections open (the cap); closed the oldest one waiting for its request",
                          slots_.size());
      return true;
    }
    return false;
  }

  // Every connection is busy being answered: this one is told so at once.
  asio::awaitable<void> turn_away(beast::tcp_stream stream) {
    full_log_.warn("http: {} connections open (the cap), all busy; answering 503", slots_.size());
    auto r = refusal(503, "busy", "服务繁忙，请稍后重试");
    r.headers.emplace_back("Retry-After", "1");
    co_await write(stream, std::move(r), 11, false);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  // One connection: read a bounded request, answer it, repeat while the client keeps it alive.
  asio::awaitable<void> session(beast::tcp_stream stream, slot_ref slot) {
    slot->stream = &stream;
    beast::error_code peer_ec;
    const auto peer = stream.socket().remote_endpoint(peer_ec);
    const std::string remote = peer_ec ? std::string() : peer.address().to_string();
    co_await serve(stream, remote, *slot);
    beast::error_code ignored;
    if (slot->stream) stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    slots_.erase(slot);
  }

  asio::awaitable<void> serve(beast::tcp_stream& stream, const std::string& remote, connection_slot& slot) {
    beast::flat_buffer buffer;
    for (;;) {
      slot.busy = false;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(opt_.body_limit);
      parser.header_limit(static_cast<std::uint32_t>(opt_.header_limit));
      stream.expires_after(opt_.read_timeout);
      auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
      if (hec || !slot.stream) {
        // A declared Content-Length over the limit is refused as soon as the header is read.
        if (hec == bhttp::error::header_limit) {
          co_await write(stream, refusal(431, "header_too_large", "请求头过大"), 11, false);
          co_await linger(stream, buffer);
        } else if (hec == bhttp::error::body_limit) {
          co_await write(stream, refusal(413, "body_too_large", "请求体超过上限"), 11, false);
          co_await linger(stream, buffer);
        }
        break;
      }
      auto& head = parser.get();
      // Only chunked framing is understood: any other transfer coding (gzip, or an unknown one
      // beside a Content-Length) would leave the body's end to guesswork, the root of smuggling.
      if (head.count(bhttp::field::transfer_encoding) &&
          !beast::iequals(head[bhttp::field::transfer_encoding], "chunked")) {
        co_await write(
            stream,
            refusal(501, "unsupported_transfer_encoding", "不支持该Transfer-Encoding，请使用chunked或Content-Length"),
            head.version(), false);
        co_await linger(stream, buffer);
        break;
      }
      // curl sends "Expect: 100-continue" for larger bodies; answer it or it waits a second.
      if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, head.version()};
        auto [cec, cn] = co_await bhttp::async_write(stream, cont, use_tuple);
        if (cec) break;
      }
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
      if (ec || !slot.stream) {
        if (ec == bhttp::error::body_limit) {
          co_await write(stream, refusal(413, "body_too_large", "请求体超过上限"), head.version(), false);
          co_await linger(stream, buffer);
        }
        break;
      }
      slot.busy = true;
      auto req = parser.release();
      request r{std::string(req.method_string()),
                std::string(req.target()),
                std::string(req[bhttp::field::content_type]),
                std::string(req[bhttp::field::accept]),
                std::string(req[bhttp::field::authorization]),
                std::move(req.body()),
                std::string(req["Idempotency-Key"]),
                std::string(req["X-Api-Key"]),
                remote,
                std::string(req[bhttp::field::cookie]),
                std::string(req["X-Requested-With"]),
                std::string(req["X-Forwarded-Proto"]),
                std::string(req["X-Forwarded-For"])};
      bool keep_alive = req.keep_alive();
      auto res = co_await handler_(std::move(r));
      if (res.stream) {
        co_await stream_out(stream, std::move(res), req.version());
        break;
      }
      if (!co_await write(stream, std::move(res), req.version(), keep_alive) || !keep_alive) break;
    }
  }

  // A streamed body: the head without a length, then each piece as the handler writes it, until
  // the handler returns or the client goes. The end of the body is the end of the connection.
  static asio::awaitable<void> stream_out(beast::tcp_stream& stream, response r, unsigned version) {
    bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(r.status), version};
    common_headers(head, r.content_type);
    head.set("X-Accel-Buffering", "no");  // a proxy in front must not hold the events back
    for (auto& [k, v] : r.headers) head.set(k, v);
    head.keep_alive(false);
    bhttp::response_serializer<bhttp::empty_body> sr{head};
    stream.expires_after(std::chrono::seconds(30));
    auto [ec, n] = co_await bhttp::async_write_header(stream, sr, use_tuple);
    if (ec) co_return;
    body_writer writer = [&stream](std::string piece) -> asio::awaitable<bool> {
      stream.expires_after(std::chrono::seconds(30));
      auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(piece), use_tuple);
      co_return !wec;
    };
    co_await r.stream(std::move(writer));
  }

  // After refusing a request mid-body, read and drop what the client is still sending for a
  // moment: closing with unread input would reset the connection and lose the refusal.
  static asio::awaitable<void> linger(beast::tcp_stream& stream, beast::flat_buffer& buffer) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::chrono::seconds(1));
    std::size_t dropped = 0;
    while (dropped < 4 * 1024 * 1024) {
      buffer.clear();
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(64 * 1024), use_tuple);
      if (ec) break;
      dropped += n;
    }
  }

  static asio::awaitable<bool> write(beast::tcp_stream& stream, response r, unsigned version, bool keep_alive) {
    auto res = to_beast(std::move(r), version, keep_alive);
    stream.expires_after(std::chrono::seconds(30));
    auto [ec, n] = co_await bhttp::async_write(stream, res, use_tuple);
    co_return !ec;
  }

  asio::any_io_executor ex_;
  server_options opt_;
  handler handler_;
  tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::list<connection_slot> slots_;
  quiet_log accept_log_{"accept failures"};
  quiet_log displaced_log_{"connections displaced"};
  quiet_log full_log_{"connections turned away"};
};

}  // namespace

std::unique_ptr<server> make_server(asio::any_io_executor ex, server_options opt, handler h) {
  return std::make_unique<server_impl>(ex, std::move(opt), std::move(h));
}

}  // namespace halfhour::http
