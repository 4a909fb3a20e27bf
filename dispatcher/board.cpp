#include "dispatcher/board.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "dispatcher/responses.hpp"
#include "sla/calendar.hpp"

namespace halfhour {

namespace asio = boost::asio;
namespace json = boost::json;
using boost::system::result;

namespace {

using responses::error;

constexpr auto poll_every = std::chrono::milliseconds{500};
constexpr auto at_most_every = std::chrono::seconds{1};
constexpr auto at_least_every = std::chrono::seconds{10};

long long ms(sla::instant t) { return sla::to_ms(t); }

json::object job_of(const sla::work_order& wo) {
  json::array clocks;
  for (const auto& c : wo.clocks) {
    if (c.retired) continue;
    clocks.push_back(json::object{{"kind", sla::code_of(c.kind)},
                                  {"name", sla::name_of(c.kind)},
                                  {"deadline", ms(c.deadline)},
                                  {"running", c.running()},
                                  {"breached", c.breached ? json::value(ms(*c.breached)) : json::value(nullptr)}});
  }
  return json::object{{"id", wo.id},
                      {"urgent", wo.cls.level == sla::urgency::urgent},
                      {"category", wo.cls.category_name},
                      {"community", wo.where.community_name},
                      {"building", wo.where.building},
                      {"room", wo.where.room},
                      {"address", wo.address},
                      {"holder", wo.holder},
                      {"state", sla::name_of(wo.state)},
                      {"accepted_at", ms(wo.accepted_at)},
                      {"linked", wo.linked.size()},
                      {"clocks", std::move(clocks)}};
}

asio::awaitable<result<std::string>> snapshot(engine& eng) {
  const auto now = eng.now();
  sla::member everyone{"board", "看板", "", sla::role::supervisor};
  auto open = co_await eng.jobs_for(everyone);
  if (!open) co_return open.error();
  // Today's breaches, closed jobs' too: the jobs accepted in the last four days cover every
  // clock that can fall due today (completion, the longest, is three days).
  const auto today = sla::day_start(now);
  auto ids = co_await eng.accepted_between(now - std::chrono::hours{24 * 4}, now + std::chrono::seconds{1}, 1'000'000);
  if (!ids) co_return ids.error();
  auto recent = co_await eng.load_many(std::move(*ids));
  if (!recent) co_return recent.error();
  std::vector<std::pair<long long, json::object>> breaches;
  for (const auto& wo : *recent)
    for (const auto& c : wo.clocks)
      if (c.breached && *c.breached >= today)
        breaches.emplace_back(ms(*c.breached), json::object{{"id", wo.id},
                                                            {"urgent", wo.cls.level == sla::urgency::urgent},
                                                            {"category", wo.cls.category_name},
                                                            {"community", wo.where.community_name},
                                                            {"holder", wo.responsible_firm.empty() ? wo.holder : wo.responsible_firm},
                                                            {"clock", sla::name_of(c.kind)},
                                                            {"deadline", ms(c.deadline)},
                                                            {"breached", ms(*c.breached)},
                                                            {"done", !c.running()}});
  std::sort(breaches.begin(), breaches.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  json::array jobs, latest;
  int urgent = 0, overdue = 0;
  for (const auto& wo : *open) {
    urgent += wo.cls.level == sla::urgency::urgent;
    for (const auto& c : wo.clocks)
      if (c.running() && c.breached) {
        ++overdue;
        break;
      }
    jobs.push_back(job_of(wo));
  }
  for (auto& [_, b] : breaches) latest.push_back(std::move(b));
  json::object out{{"server_time", ms(now)},
                   {"counts", json::object{{"open", open->size()},
                                           {"urgent", urgent},
                                           {"overdue", overdue},
                                           {"breaches_today", latest.size()}}},
                   {"jobs", std::move(jobs)},
                   {"breaches_today", std::move(latest)}};
  co_return json::serialize(out);
}

// The stream: a snapshot at once, then again when this engine has written (at most once a
// second) and every ten seconds regardless, until the client goes.
asio::awaitable<void> push(engine& eng, http::body_writer write) {
  if (!co_await write("retry: 3000\n\n")) co_return;
  asio::steady_timer tick(eng.executor());
  std::uint64_t seen = eng.changes() + 1;  // differs: the first round sends
  auto sent = std::chrono::steady_clock::now() - at_least_every;
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    const bool changed = eng.changes() != seen && now - sent >= at_most_every;
    if (changed || now - sent >= at_least_every) {
      seen = eng.changes();
      sent = now;
      auto s = co_await snapshot(eng);
      std::string event = s ? "event: board\ndata: " + *s + "\n\n"
                            : "event: unavailable\ndata: {}\n\n";  // Redis away: the page says so
      if (!co_await write(std::move(event))) co_return;
    }
    tick.expires_after(poll_every);
    co_await tick.async_wait(asio::use_awaitable);
  }
}

}  // namespace

asio::awaitable<std::optional<http::response>> route_board(engine& eng, auth& au, const http::request& req) {
  const auto path = responses::path_of(req.target);
  if (path != "/v1/board" && path != "/v1/board/events") co_return std::nullopt;
  if (req.method != "GET") co_return error(405, "method_not_allowed", "", "请使用GET");
  auto credentials = req.authorization;
  if (credentials.empty()) {
    if (auto t = responses::query_param(req.target, "access_token"); t && !t->empty()) credentials = "Bearer " + *t;
  }
  auto who = co_await au.authenticate(credentials);
  if (!who) co_return responses::unavailable("存储暂不可用，请稍后重试");
  if (!*who) co_return responses::unauthenticated();
  if ((*who)->kind != sla::role::supervisor && (*who)->kind != sla::role::station)
    co_return error(403, "forbidden", "", "看板仅供城运中心、建管中心和应急维修服务站使用");
  if (path == "/v1/board") {
    auto s = co_await snapshot(eng);
    if (!s) co_return responses::unavailable("存储暂不可用，请稍后重试");
    co_return responses::json(200, std::move(*s));
  }
  http::response r;
  r.content_type = "text/event-stream; charset=utf-8";
  engine* e = &eng;
  r.stream = [e](http::body_writer w) { return push(*e, std::move(w)); };
  co_return r;
}

}  // namespace halfhour
