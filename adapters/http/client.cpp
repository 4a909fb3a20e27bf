#include "adapters/http/client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

namespace halfhour::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;
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

template <class Stream>
asio::awaitable<boost::system::result<post_result>> exchange(Stream& stream, const target& t, std::string body,
                                                             std::string content_type,
                                                             std::vector<std::pair<std::string, std::string>> headers) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, t.path, 11};
  req.set(bhttp::field::host, t.host);
  req.set(bhttp::field::user_agent, "halfhour");
  req.set(bhttp::field::content_type, content_type);
  for (auto& [k, v] : headers) req.set(k, v);
  req.body() = std::move(body);
  req.prepare_payload();
  auto [wec, wn] = co_await bhttp::async_write(stream, req, use_tuple);
  if (wec) co_return wec;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024);
  auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
  if (rec) co_return rec;
  auto res = parser.release();
  post_result out{static_cast<int>(res.result_int()), std::move(res.body())};
  if (out.body.size() > 4096) out.body.resize(4096);
  co_return out;
}

}  // namespace

asio::awaitable<boost::system::result<post_result>> post(asio::any_io_executor ex, std::string url, std::string body,
                                                         std::string content_type,
                                                         std::vector<std::pair<std::string, std::string>> headers,
                                                         std::chrono::milliseconds timeout) {
  auto t = parse_url(url);
  if (!t) co_return make_error_code(boost::system::errc::invalid_argument);
  tcp::resolver resolver(ex);
  auto [rec, endpoints] = co_await resolver.async_resolve(t->host, t->port, use_tuple);
  if (rec) co_return rec;
  if (!t->tls) {
    beast::tcp_stream stream(ex);
    stream.expires_after(timeout);
    auto [cec, ep] = co_await stream.async_connect(endpoints, use_tuple);
    if (cec) co_return cec;
    auto r = co_await exchange(stream, *t, std::move(body), std::move(content_type), std::move(headers));
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return r;
  }
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ex, ctx);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), t->host.c_str()))
    co_return error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
  stream.set_verify_callback(asio::ssl::host_name_verification(t->host));
  beast::get_lowest_layer(stream).expires_after(timeout);
  auto [cec, ep] = co_await beast::get_lowest_layer(stream).async_connect(endpoints, use_tuple);
  if (cec) co_return cec;
  auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, use_tuple);
  if (hec) co_return hec;
  auto r = co_await exchange(stream, *t, std::move(body), std::move(content_type), std::move(headers));
  auto [sec] = co_await stream.async_shutdown(use_tuple);
  (void)sec;  // peers often close without a TLS close_notify; the answer is already read
  co_return r;
}

namespace {

class beast_client final : public client {
 public:
  explicit beast_client(asio::any_io_executor ex) : ex_(std::move(ex)) {}
  asio::awaitable<boost::system::result<post_result>> post(std::string url, std::string body, std::string content_type,
                                                           header_list headers,
                                                           std::chrono::milliseconds timeout) override {
    co_return co_await http::post(ex_, std::move(url), std::move(body), std::move(content_type), std::move(headers),
                                  timeout);
  }

 private:
  asio::any_io_executor ex_;
};

}  // namespace

std::unique_ptr<client> make_client(asio::any_io_executor ex) { return std::make_unique<beast_client>(std::move(ex)); }

}  // namespace halfhour::http
