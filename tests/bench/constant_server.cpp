// The ingest benchmark's HTTP baseline: a bare Boost.Beast keep-alive server, one thread like the
// engine, that reads each request whole and answers 201 with a constant JSON body of the size of
// the engine's answer. What it costs is what HTTP alone costs on this machine.
// Usage: halfhour_bench_constant_server [body bytes, default 2600]; prints "port=<n>".
#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <cstdlib>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

asio::awaitable<void> session(tcp::socket socket, const std::string& body) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request<bhttp::string_body> req;
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, req, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    bhttp::response<bhttp::string_body> res{bhttp::status::created, req.version()};
    res.set(bhttp::field::content_type, "application/json; charset=utf-8");
    res.keep_alive(req.keep_alive());
    res.body() = body;
    res.prepare_payload();
    auto [wec, w] = co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    if (wec || !req.keep_alive()) co_return;
  }
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, const std::string& body) {
  for (;;) {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket), body), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t size = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2600;
  std::string body = R"({"id":"W00-000000","note":")";
  body.append(size > body.size() + 3 ? size - body.size() - 3 : 0, 'x');
  body += "\"}";
  asio::io_context ioc(1);
  tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  fmt::print("port={}\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  asio::co_spawn(ioc, accept_loop(acceptor, body), asio::detached);
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { ioc.stop(); });
  ioc.run();
  return 0;
}
