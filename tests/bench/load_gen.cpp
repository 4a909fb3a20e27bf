// Load generator for the ingest benchmark: POSTs realistic 12345 tickets (0.5–1 KB of JSON, a
// new ticket number each, addresses across the shipped directory's communities) over keep-alive
// connections, to the engine or to the bare baseline server alike.
//
// Closed loop (--rate 0): every connection sends its next request when the last is answered: the
// maximum rate. Open loop (--rate R): request i is due at start + i/R whatever happened before;
// its latency runs from when it was due, not from when a free connection sent it, so a stall
// shows in every request it delayed (coordinated omission corrected).
//
// Prints one line: key=value pairs (rate, ok, failed, joined, p50/p99/p999/max in ms). `joined`
// counts the answers 200: from the engine, a report it joined to an open job as the same incident
// (a new job is 201); the tickets name 73 communities' buildings 1-40, so at thousands a second
// many repeat one. The baselines answer everything 200.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <random>

#include "adapters/config.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

// What callers say on the hotline, long and short, so that bodies span 0.5–1 KB.
const char* const texts[] = {
    "市民来电反映：家中厨房下水管破裂漏水，水已经漫到客厅和楼道，楼下住户天花板也开始渗水，情况紧急，请尽快派人维修处理"
    "，"
    "来电人要求维修人员到场前先电话联系，家中有老人行动不便。",
    "来电人称所住单元电梯困人，一名老人被困在电梯内约十分钟，物业电话无人接听，请相关部门立即处理。",
    "市民反映楼道里有明显煤气味，已经开窗通风，担心燃气管道泄漏，请尽快派人上门检查。",
    "来电反映小区单元门门禁损坏多日，外来人员随意进出，居民出入也需要人工开门，希望尽快修复门禁系统。",
    "市民来电：楼顶水箱溢水，顺着外墙流下，墙面大面积渗水发霉，多次向物业反映未果，要求尽快处理并回复。",
    "来电人反映家中突然停电，整栋楼只有他家没电，怀疑是楼道电表箱故障，家中有冰箱里的药品需要冷藏，请尽快安排电工。",
    "市民反映小区路灯坏了两周，晚上出行不便，老人容易摔倒，希望物业尽快更换灯泡。",
    "来电反映卫生间地漏堵塞返水，污水漫出，家中无法使用卫生间，请物业尽快派人疏通。",
};

const char* const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};

struct stats {
  std::vector<double> latency_ms;
  std::size_t ok = 0, failed = 0;
  std::size_t joined = 0;  // answered 200: a report the engine joined to an open job (or a retry)
};

class generator {
 public:
  generator(std::vector<std::string> communities, std::string prefix, std::uint64_t seed)
      : communities_(std::move(communities)), prefix_(std::move(prefix)), rng_(seed) {}

  std::string ticket(std::size_t n) {
    const auto& community = communities_[pick(communities_.size())];
    // One complaint, and every other time the operator's note of a second call about it.
    std::string text = texts[pick(std::size(texts))];
    if (pick(2) == 0) text += std::string("补充：来电人再次来电催促，称") + texts[pick(std::size(texts))];
    return fmt::format(
        R"({{"ticket_no":"{}-{}","content":"{}","address":"{}{}号{}室","caller_name":"{}女士","caller_phone":"139{:08}",)"
        R"("reported_at":"2026-11-28T09:{:02}:{:02}+08:00"}})",
        prefix_, n, text, community, 1 + pick(40), 100 + 100 * pick(18) + pick(4), surnames[pick(std::size(surnames))],
        pick(100'000'000), pick(60), pick(60));
  }

 private:
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

  std::vector<std::string> communities_;
  std::string prefix_;
  std::mt19937_64 rng_;
};

struct options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::string path = "/v1/hotline/tickets";
  int connections = 16;
  double seconds = 5;
  double rate = 0;
  std::string prefix = "L";
};

asio::awaitable<void> connection(const options& opt, generator& gen, std::size_t& next, steady::time_point start,
                                 steady::time_point end, stats& st) {
  auto ex = co_await asio::this_coro::executor;
  beast::tcp_stream stream(ex);
  co_await stream.async_connect(tcp::endpoint(asio::ip::make_address(opt.host), opt.port), asio::use_awaitable);
  stream.socket().set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  asio::steady_timer pace(ex);
  const auto interval = opt.rate > 0 ? std::chrono::duration<double>(1.0 / opt.rate) : std::chrono::duration<double>(0);
  for (;;) {
    const std::size_t i = next++;
    auto due = start + std::chrono::duration_cast<steady::duration>(interval * static_cast<double>(i));
    if (opt.rate <= 0) due = steady::now();
    if (due >= end) break;
    if (due > steady::now()) {
      pace.expires_at(due);
      co_await pace.async_wait(asio::use_awaitable);
    }
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, opt.path, 11};
    req.set(bhttp::field::host, opt.host);
    req.set(bhttp::field::content_type, "application/json");
    req.body() = gen.ticket(i);
    req.prepare_payload();
    co_await bhttp::async_write(stream, req, asio::use_awaitable);
    bhttp::response<bhttp::string_body> res;
    co_await bhttp::async_read(stream, buffer, res, asio::use_awaitable);
    const auto done = steady::now();
    if (res.result_int() / 100 == 2) ++st.ok;
    else ++st.failed;
    if (res.result_int() == 200) ++st.joined;
    st.latency_ms.push_back(std::chrono::duration<double, std::milli>(done - due).count());
  }
  stream.socket().shutdown(tcp::socket::shutdown_both);
}

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * static_cast<double>(sorted.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  CLI::App app{"halfhour ingest load generator"};
  app.add_option("--host", opt.host);
  app.add_option("--port", opt.port)->required();
  app.add_option("--path", opt.path);
  app.add_option("--connections", opt.connections);
  app.add_option("--seconds", opt.seconds);
  app.add_option("--rate", opt.rate, "requests per second, open loop; 0: closed loop, as fast as answered");
  app.add_option("--prefix", opt.prefix, "ticket numbers are <prefix>-<n>: a new prefix per run");
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> communities;
  for (const auto& c : halfhour::config::default_directory().communities) communities.push_back(c.name);
  generator gen(std::move(communities), opt.prefix, 7);

  asio::io_context ioc(1);
  stats st;
  std::size_t next = 0;
  const auto start = steady::now();
  const auto end = start + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(opt.seconds));
  int failed_connections = 0;
  for (int c = 0; c < opt.connections; ++c)
    asio::co_spawn(ioc, connection(opt, gen, next, start, end, st), [&](std::exception_ptr e) {
      if (!e) return;
      ++failed_connections;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        fmt::print(stderr, "load: connection failed: {}\n", x.what());
      }
    });
  ioc.run();
  const double elapsed = std::chrono::duration<double>(steady::now() - start).count();
  std::sort(st.latency_ms.begin(), st.latency_ms.end());
  fmt::print(
      "rate={:.0f} ok={} failed={} joined={} p50={:.3f} p99={:.3f} p999={:.3f} max={:.3f} connections_failed={}\n",
      static_cast<double>(st.ok + st.failed) / elapsed, st.ok, st.failed, st.joined, quantile(st.latency_ms, 0.5),
      quantile(st.latency_ms, 0.99), quantile(st.latency_ms, 0.999), st.latency_ms.empty() ? 0.0 : st.latency_ms.back(),
      failed_connections);
  return failed_connections == 0 && st.failed == 0 ? 0 : 1;
}
