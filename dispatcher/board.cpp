#include "dispatcher/board.hpp"

#include <set>
#include <boost/asio/as_tuple.hpp>
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
constexpr auto session_check_every = std::chrono::seconds{2};

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
                      {"complaint", wo.cls.kind == sla::request_kind::complaint},
                      {"uncertain", wo.cls.uncertain},  // urgent on the safe side until a person confirms
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

asio::awaitable<result<std::string>> compute(engine& eng) {
  const auto now = eng.now();
  sla::member everyone{"board", "看板", "", sla::role::supervisor};
  auto open = co_await eng.jobs_for(everyone);
  if (!open) co_return open.error();
  // Today's breaches, closed jobs' too: the jobs accepted in the last four days cover every
  // repair clock that can fall due today (completion, the longest, is three days); a complaint's
  // clocks of working days run longer, and those of its jobs still open are among the open ones.
  const auto today = sla::day_start(now);
  auto ids = co_await eng.accepted_between(now - std::chrono::hours{24 * 4}, now + std::chrono::seconds{1}, 1'000'000);
  if (!ids) co_return ids.error();
  auto recent = co_await eng.load_many(std::move(*ids));
  if (!recent) co_return recent.error();
  std::set<std::string> seen;
  for (const auto& wo : *recent) seen.insert(wo.id);
  for (const auto& wo : *open)
    if (!seen.contains(wo.id)) recent->push_back(wo);
  std::vector<std::pair<long long, json::object>> breaches;
  for (const auto& wo : *recent)
    for (const auto& c : wo.clocks)
      if (c.breached && *c.breached >= today)
        breaches.emplace_back(ms(*c.breached),
                              json::object{{"id", wo.id},
                                           {"urgent", wo.cls.level == sla::urgency::urgent},
                                           {"complaint", wo.cls.kind == sla::request_kind::complaint},
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
  json::object out{
      {"server_time", ms(now)},
      {"counts",
       json::object{
           {"open", open->size()}, {"urgent", urgent}, {"overdue", overdue}, {"breaches_today", latest.size()}}},
      {"jobs", std::move(jobs)},
      {"breaches_today", std::move(latest)}};
  co_return json::serialize(out);
}

}  // namespace

// A stream's place in the counts, given back whenever its response goes (served or not).
struct stream_slot {
  board_feed* feed;
  std::string session;
  std::weak_ptr<bool> alive;
  ~stream_slot() {
    if (alive.expired()) return;
    --feed->streams_;
    if (--feed->per_session_[session] == 0) feed->per_session_.erase(session);
  }
};

board_feed::board_feed(engine& eng, auth& au, std::size_t max_streams)
    : eng_(eng), au_(au), max_streams_(max_streams), computed_(std::make_shared<asio::steady_timer>(eng.executor())) {}

asio::awaitable<board_feed::snapshot> board_feed::current(bool force) {
  auto alive = std::weak_ptr<bool>(alive_);
  while (computing_) {  // someone is computing it now: wait for theirs
    auto done = computed_;
    co_await done->async_wait(asio::as_tuple(asio::use_awaitable));
    if (alive.expired()) co_return snapshot{};
  }
  const auto now = eng_.now();
  const bool due = !computed_at_ || now - *computed_at_ >= at_least_every ||
                   (eng_.changes() != computed_changes_ && now - *computed_at_ >= at_most_every);
  if (!force && !due) co_return last_;
  computing_ = true;
  computed_->expires_at(asio::steady_timer::time_point::max());
  const auto changes = eng_.changes();
  auto s = co_await compute(eng_);
  if (alive.expired()) co_return snapshot{};
  computing_ = false;
  computed_changes_ = changes;
  computed_at_ = now;
  last_.generation += 1;
  last_.ok = s.has_value();
  if (s) last_.json = std::move(*s);  // Redis away: the last good one stays for /v1/board's sake
  computed_->cancel();
  co_return last_;
}

// The stream: a snapshot at once, then whenever a new one is computed, until the client goes or
// its session ends (checked before every push: a board left open must not outlive its login).
asio::awaitable<void> board_feed::push(std::string token, http::body_writer write, bool nudge_only) {
  auto alive = std::weak_ptr<bool>(alive_);
  if (!co_await write("retry: 3000\n\n")) co_return;
  asio::steady_timer tick(eng_.executor());
  std::uint64_t sent = 0;
  std::optional<sla::instant> checked;
  for (;;) {
    auto s = co_await current(false);
    if (alive.expired()) co_return;
    // The session is checked before every push, and every few seconds while nothing changes:
    // a logout or an expiry closes the stream at once, not at the next change.
    if (s.generation != sent || !checked || eng_.now() - *checked >= session_check_every) {
      auto who = co_await au_.authenticate(token);
      if (alive.expired()) co_return;
      if (who && !*who) {
        (void)co_await write("event: ended\ndata: {}\n\n");
        co_return;
      }
      checked = eng_.now();
      // A comment line: keeps proxies from timing the stream out, and finds a client that has
      // gone (the write fails), so its place is given back within seconds.
      if (s.generation == sent && !co_await write(": ping\n\n")) co_return;
    }
    if (s.generation != sent) {
      sent = s.generation;
      std::string event = !s.ok        ? "event: unavailable\ndata: {}\n\n"  // Redis away: the page says so
                          : nudge_only ? "event: changed\ndata: {}\n\n"
                                       : "event: board\ndata: " + s.json + "\n\n";
      if (!co_await write(std::move(event))) co_return;
    }
    tick.expires_after(poll_every);
    co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
    if (alive.expired()) co_return;
  }
}

asio::awaitable<http::response> board_feed::answer(http::request req, bool events) {
  auto token = responses::credentials(req).token;
  auto who = co_await au_.authenticate(token);
  if (!who) co_return responses::unavailable();
  if (!*who) co_return responses::unauthenticated();
  if (!sla::may_watch_board(**who))
    co_return error(403, "forbidden", "", "看板仅供城运中心、建管中心和应急维修服务站使用");
  if (!events) {
    auto s = co_await current(false);
    if (!s.ok) co_return responses::unavailable();
    co_return responses::json(200, s.json);
  }
  co_return co_await stream(std::move(token), false);
}

// The console's stream: the board's pushes, without its data.
asio::awaitable<http::response> board_feed::answer_console(http::request req) {
  auto token = responses::credentials(req).token;
  auto who = co_await au_.authenticate(token);
  if (!who) co_return responses::unavailable();
  if (!*who) co_return responses::unauthenticated();
  if (!sla::may_use_console(**who))
    co_return error(403, "forbidden", "", "调度台仅供应急维修服务站、建管中心和物业经理使用");
  co_return co_await stream(std::move(token), true);
}

// A stream for a member already checked, within the caps.
asio::awaitable<http::response> board_feed::stream(std::string token, bool nudge_only) {
  if (streams_ >= max_streams_ || per_session_[token] >= streams_per_session) {
    if (per_session_[token] == 0) per_session_.erase(token);
    auto r = error(429, "too_many_streams", "", "实时连接过多，请关闭其他看板或调度台页面后重试");
    r.headers.emplace_back("Retry-After", "10");
    co_return r;
  }
  ++streams_;
  ++per_session_[token];
  auto slot = std::make_shared<stream_slot>(this, token, alive_);
  http::response r;
  r.content_type = "text/event-stream; charset=utf-8";
  r.stream = [this, slot, token, nudge_only](http::body_writer w) { return push(token, std::move(w), nudge_only); };
  co_return r;
}

asio::awaitable<http::response> get_board(route_context& c, http::request req, path_params) {
  co_return co_await c.board.answer(std::move(req), false);
}

asio::awaitable<http::response> get_board_events(route_context& c, http::request req, path_params) {
  co_return co_await c.board.answer(std::move(req), true);
}

asio::awaitable<http::response> get_console_events(route_context& c, http::request req, path_params) {
  co_return co_await c.board.answer_console(std::move(req));
}

}  // namespace halfhour
