#include "adapters/http/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace halfhour::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

bhttp::response<bhttp::string_body> to_beast(response r, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
  res.set(bhttp::field::server, "halfhour");
  res.set(bhttp::field::content_type, r.content_type);
  res.set(bhttp::field::cache_control, "no-store");
  for (auto& [k, v] : r.headers) res.set(k, v);
  res.keep_alive(keep_alive);
  res.body() = std::move(r.body);
  res.prepare_payload();
  return res;
}

response refusal(int status, std::string_view code, std::string_view message) {
  return {status, "application/json; charset=utf-8",
          std::string(R"({"error":{"code":")") + std::string(code) + R"(","field":"","message":")" +
              std::string(message) + R"("}})",
          {}};
}

class server_impl final : public server {
 public:
  server_impl(asio::any_io_executor ex, server_options opt, handler h)
      : ex_(ex), opt_(std::move(opt)), handler_(std::move(h)), acceptor_(ex) {
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
  asio::awaitable<void> accept_loop() {
    while (acceptor_.is_open()) {
      auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
        spdlog::warn("http: accept failed: {}", ec.message());
        continue;
      }
      asio::co_spawn(ex_, session(beast::tcp_stream(std::move(socket)), opt_, handler_), asio::detached);
    }
  }

  // One connection: read a bounded request, answer it, repeat while the client keeps it alive.
  static asio::awaitable<void> session(beast::tcp_stream stream, server_options opt, handler h) {
    beast::flat_buffer buffer;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(opt.body_limit);
      parser.header_limit(static_cast<std::uint32_t>(opt.header_limit));
      stream.expires_after(opt.read_timeout);
      auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
      if (hec) {
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
      // curl sends "Expect: 100-continue" for larger bodies; answer it or it waits a second.
      if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, head.version()};
        auto [cec, cn] = co_await bhttp::async_write(stream, cont, use_tuple);
        if (cec) break;
      }
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
      if (ec) {
        if (ec == bhttp::error::body_limit) {
          co_await write(stream, refusal(413, "body_too_large", "请求体超过上限"), head.version(), false);
          co_await linger(stream, buffer);
        }
        break;
      }
      auto req = parser.release();
      request r{std::string(req.method_string()), std::string(req.target()),
                std::string(req[bhttp::field::content_type]), std::string(req[bhttp::field::accept]),
                std::string(req[bhttp::field::authorization]), std::move(req.body()),
                std::string(req["Idempotency-Key"]), std::string(req["X-Api-Key"])};
      bool keep_alive = req.keep_alive();
      auto res = co_await h(std::move(r));
      if (res.stream) {
        co_await stream_out(stream, std::move(res), req.version());
        break;
      }
      if (!co_await write(stream, std::move(res), req.version(), keep_alive) || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  // A streamed body: the head without a length, then each piece as the handler writes it, until
  // the handler returns or the client goes. The end of the body is the end of the connection.
  static asio::awaitable<void> stream_out(beast::tcp_stream& stream, response r, unsigned version) {
    bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(r.status), version};
    head.set(bhttp::field::server, "halfhour");
    head.set(bhttp::field::content_type, r.content_type);
    head.set(bhttp::field::cache_control, "no-store");
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
};

}  // namespace

std::unique_ptr<server> make_server(asio::any_io_executor ex, server_options opt, handler h) {
  return std::make_unique<server_impl>(ex, std::move(opt), std::move(h));
}

}  // namespace halfhour::http
