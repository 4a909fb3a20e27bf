// The live board for the city-operations centre and 建管中心: every open job with its clocks,
// who holds it, and today's breaches, as a JSON snapshot and as server-sent events pushed when
// the engine writes (and every ten seconds, for what other engines wrote).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "adapters/http/server.hpp"
#include "dispatcher/auth.hpp"
#include "dispatcher/endpoint.hpp"
#include "dispatcher/engine.hpp"

namespace halfhour {

// The board's snapshot, computed once for every viewer: recomputed when this engine has written
// (at most once a second) or ten seconds have passed, whoever asks first; the others wait for that
// computation rather than starting their own. And the count of open streams, capped in total and
// per session.
class board_feed {
 public:
  static constexpr std::size_t streams_per_session = 3;

  board_feed(engine& eng, auth& au, std::size_t max_streams);
  board_feed(const board_feed&) = delete;
  board_feed& operator=(const board_feed&) = delete;

  // GET /v1/board (`events` false) and GET /v1/board/events for the centre (supervisor) and the
  // station, on a Bearer header or the page's session cookie (EventSource sends the cookie, so
  // no token goes into a URL, where proxies would log it). The stream checks the session before
  // every push and ends when the session has.
  boost::asio::awaitable<http::response> answer(http::request req, bool events);
  // GET /v1/console/events for the console's members (sla::may_use_console): the same pushes
  // without the board's data, `event: changed`, on which each page reads what its member may
  // see through the API. A firm's manager never receives the other firms' jobs this way.
  boost::asio::awaitable<http::response> answer_console(http::request req);

  std::size_t streams() const { return streams_; }

  // The firms' grades for the month so far (GET /v1/board/scorecard), kept for ten minutes: a
  // month of histories is read at most that often, however many screens ask.
  struct graded {
    std::optional<sla::instant> at;
    std::string json;
  };
  graded scorecard;

  struct snapshot {
    std::uint64_t generation = 0;  // counts computations: a stream sends what it has not sent
    bool ok = false;               // false: Redis away at the last computation
    std::string json;
  };
  // The snapshot, recomputed first if it is due (or forced).
  boost::asio::awaitable<snapshot> current(bool force);

 private:
  friend struct stream_slot;
  boost::asio::awaitable<void> push(std::string token, http::body_writer write, bool nudge_only);
  boost::asio::awaitable<http::response> stream(std::string token, bool nudge_only);

  engine& eng_;
  auth& au_;
  std::size_t max_streams_;
  std::size_t streams_ = 0;
  std::map<std::string, std::size_t> per_session_;
  snapshot last_;
  std::uint64_t computed_changes_ = 0;
  std::optional<sla::instant> computed_at_;
  bool computing_ = false;
  std::shared_ptr<boost::asio::steady_timer> computed_;  // waiters wake when it is cancelled
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The table's entries: GET /v1/board and GET /v1/board/events.
boost::asio::awaitable<http::response> get_board(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> get_board_events(route_context& c, http::request req, path_params);
// GET /v1/board/scorecard: the board's members (the centre, the station).
boost::asio::awaitable<http::response> get_board_scorecard(route_context& c, http::request req, path_params);
boost::asio::awaitable<http::response> get_console_events(route_context& c, http::request req, path_params);

}  // namespace halfhour
