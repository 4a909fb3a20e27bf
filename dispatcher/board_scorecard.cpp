// The live board's scorecard: the firms' grades for the month so far, the worst first.
#include <boost/json.hpp>

#include "dispatcher/board.hpp"
#include "dispatcher/reports.hpp"
#include "dispatcher/responses.hpp"

namespace halfhour {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr auto keep_for = std::chrono::minutes{10};

json::value optional_number(std::optional<double> v) { return v ? json::value(*v) : json::value(nullptr); }

std::string scorecard_json(const monthly_report& r, sla::instant now) {
  json::array firms;
  json::object counts{{"绿", 0}, {"黄", 0}, {"橙", 0}, {"红", 0}};
  for (const auto& f : r.scorecard) {
    counts[sla::name_of(f.g)] = counts[sla::name_of(f.g)].as_int64() + 1;
    firms.push_back(json::object{
        {"firm", f.firm},
        {"received", f.received},
        {"score", f.score},
        {"grade", sla::name_of(f.g)},
        {"level", sla::level_of(f.g)},
        {"previous_score", optional_number(f.previous_score)},
        {"previous_grade", f.previous_grade ? json::value(sla::name_of(*f.previous_grade)) : json::value(nullptr)}});
  }
  return json::serialize(json::object{{"month", r.current.m.label()},
                                      {"title", r.current.m.title()},
                                      {"as_of", sla::to_ms(now)},
                                      {"counts", std::move(counts)},
                                      {"firms", std::move(firms)}});
}

}  // namespace

asio::awaitable<http::response> get_board_scorecard(route_context& c, http::request req, path_params) {
  auto who = co_await c.au.authenticate(responses::credentials(req).token);
  if (!who) co_return responses::unavailable();
  if (!*who) co_return responses::unauthenticated();
  if (!sla::may_watch_board(**who))
    co_return responses::error(403, "forbidden", "", "看板仅供城运中心、建管中心和应急维修服务站使用");
  auto& cached = c.board.scorecard;
  const auto now = c.eng.now();
  const auto m = sla::month::containing(now);
  const bool fresh = cached.at && now - *cached.at < keep_for && sla::month::containing(*cached.at) == m;
  if (!fresh) {
    auto monthly = co_await load_monthly(c.eng, m, c.opt.reports.scorecard);
    if (!monthly) {
      if (cached.json.empty()) co_return responses::unavailable();
    } else {
      cached = {now, scorecard_json(*monthly, now)};
    }
  }
  co_return responses::json(200, cached.json);
}

}  // namespace halfhour
