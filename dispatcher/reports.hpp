// The monthly report as the engine serves it: computed from the store's histories for a month
// and the month before, rendered on request, and sent to the centre once a month.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/clock.hpp"
#include "adapters/outbox_store.hpp"
#include "adapters/report/tables.hpp"
#include "dispatcher/engine.hpp"

namespace halfhour {

struct report_settings {
  std::string district = "东明路街道";
  std::string public_url;   // "https://halfhour.example.cn": links in the monthly message
  std::string link_secret;  // signs those links; empty: the message carries no link
  sla::scorecard_rules scorecard;
};

struct monthly_report {
  sla::report current;
  sla::report previous;
  std::vector<sla::firm_score> scorecard;  // worst first
  std::vector<reports::table> tables;
};

// A month still running is reported as of `as_of` (sla::compute_report).
monthly_report make_monthly(const std::vector<sla::order_record>& records, sla::month m, std::string_view station,
                            const sla::scorecard_rules& rules, std::optional<sla::instant> as_of = std::nullopt);

// Loads what a report of `m` needs from the store and computes it.
boost::asio::awaitable<boost::system::result<monthly_report>> load_monthly(engine& eng, sla::month m,
                                                                           sla::scorecard_rules rules);

struct rendered_report {
  std::string content_type;
  std::string filename;
  std::string body;
};

// format: "html", "xlsx" or "csv" (then `view`: summary, firms, committees, communities,
// breaches); nothing for anything else.
std::optional<rendered_report> render_report(const monthly_report& r, std::string_view format, std::string_view view,
                                             const std::string& district);

// The report as files, each (name, body): halfhour-<month>.html, .xlsx, and one CSV per view
// (the command line writes them with reports::write_files).
std::vector<std::pair<std::string, std::string>> report_files(const monthly_report& r, const std::string& district);

// The token a link to month `m`'s report carries, and whether a token is it.
std::string report_token(const report_settings& s, sla::month m);
bool report_token_ok(const report_settings& s, sla::month m, std::string_view token);

// On the 1st of each month at 08:00 (Shanghai) — or at start-up, if that moment has passed and
// the message has not gone — computes the previous month and writes the message to the centre
// to the outbox, once per month across restarts and engines.
class monthly_sender {
 public:
  monthly_sender(engine& eng, outbox_store& outbox, clock& clk, report_settings s, std::string centre);
  void start();
  // Sends the message for `m` unless it went already; true when this call wrote it.
  boost::asio::awaitable<boost::system::result<bool>> send(sla::month m);

 private:
  void schedule();
  boost::asio::awaitable<void> due();

  engine& eng_;
  outbox_store& outbox_;
  clock& clock_;
  report_settings settings_;
  std::string centre_;
  std::shared_ptr<monthly_sender*> alive_ = std::make_shared<monthly_sender*>(this);
};

// 08:00 on the 1st of the month after `now`'s month... or of `now`'s month if still ahead.
sla::instant next_report_time(sla::instant now);

}  // namespace halfhour
