// The engine: takes tickets in, makes them durable, and runs their clocks. It owns the
// in-process timers fed from the store's deadlines and fires each deadline through the
// domain's state machine, in one atomic write.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <cstdint>
#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "adapters/archive.hpp"
#include "adapters/channels/request.hpp"
#include "adapters/clock.hpp"
#include "adapters/store.hpp"
#include "dispatcher/deadline_queue.hpp"
#include "dispatcher/ingest_protocol.hpp"
#include "dispatcher/outcomes.hpp"
#include "dispatcher/transition_protocol.hpp"
#include "sla/access.hpp"
#include "sla/classifier.hpp"
#include "sla/duplicates.hpp"
#include "sla/report.hpp"
#include "sla/resolver.hpp"
#include "sla/search.hpp"
#include "sla/sms_reply.hpp"

namespace halfhour {

struct engine_stats {
  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;    // retries of a request already taken
  std::uint64_t linked = 0;        // reports joined to an open job as the same incident
  std::uint64_t not_requests = 0;  // chat messages screened out
  std::uint64_t breaches = 0;
  std::uint64_t breaches_on_recovery = 0;
  std::uint64_t fire_retries = 0;
  std::uint64_t notifications = 0;   // written to the outbox
  std::uint64_t swept = 0;           // overdue deadlines found by the sweep and fired
  long long max_breach_late_ms = 0;  // live breaches only; recovery lateness is downtime
  // Live breaches by how late they were recorded (ms): counts at or under each bound, the last
  // bucket everything; with their sum, the Prometheus histogram.
  static constexpr std::array<long long, 12> lateness_bounds{1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};
  std::array<std::uint64_t, 13> lateness_buckets{};
  long long lateness_sum_ms = 0;
  std::uint64_t store_errors = 0;           // Redis away, timed out or refusing, on any path
  std::uint64_t overdue_at_last_sweep = 0;  // armed, due long ago, nobody fired: should stay 0
};

class engine {
 public:
  // The ladder's station and centre default to the directory's.
  engine(boost::asio::any_io_executor ex, work_order_store& store, clock& clk, const sla::classifier& cls,
         const sla::resolver& res, sla::limits lim, sla::ladder lad = {});

  // Loads every armed deadline from the store and arms it; what fell due while the engine was
  // down fires at once, marked as on recovery. Retries until the store answers.
  boost::asio::awaitable<void> recover();
  bool recovered() const { return recovered_; }

  // The safety net for deadlines another engine armed and then died with: every `every`, fire
  // what has been due for longer than `grace` and is still armed. Started by recover().
  void sweep_every(std::chrono::milliseconds every, std::chrono::milliseconds grace) {
    sweep_every_ = every;
    sweep_grace_ = grace;
  }

  // Finished jobs past the retention window are read from here once they left the store
  // (dispatcher/archiver.hpp): a lookup by id and the records of a report. Nothing: store only.
  void use_archive(order_archive* a) { archive_ = a; }

  // Reports newer than this that match an open job join it (sla::find_duplicate); zero: never.
  void link_window(sla::duration w) { link_window_ = w; }
  // Reports kept whole on one job; those after are counted (sla::link).
  void max_linked(std::size_t n) { max_linked_ = n; }

  boost::asio::awaitable<boost::system::result<ingest_outcome>> ingest(channels::request r);

  // An operator (the station, the centre, or the holder's manager) splits the report `key` off
  // the job `id` into its own job; `order` of the answer is the new job.
  boost::asio::awaitable<boost::system::result<act_outcome>> unlink(sla::member who, std::string id, std::string key);
  // A job with its history, from the store or else from the archive.
  boost::asio::awaitable<boost::system::result<stored_order>> get(std::string id);

  // The open jobs a member should see: a crew its organisation's unassigned jobs and its own,
  // a manager or the station all its organisation holds, the centre all. Urgent first, then
  // by the nearest deadline of a running response clock.
  boost::asio::awaitable<boost::system::result<std::vector<sla::work_order>>> jobs_for(sla::member who);

  // The jobs a member may see that pass a filter, newest first, a page at a time. A page reads at
  // most `scan_budget` jobs of the acceptance index; one that ends before `limit` were found says
  // where to go on (`next`), so a rare filter over a long span costs several short requests
  // rather than one long one. A 12345 ticket number is looked up, not scanned for.
  struct search_request {
    sla::search_filter filter;
    sla::instant from{};        // accepted at or after
    sla::index_position below;  // read after (sla::after): {to, ""} first, then the last read
    std::size_t limit = 20;
    std::size_t scan_budget = 5000;
  };
  struct search_page {
    std::vector<sla::work_order> orders;      // as stored: the caller shows each as its member may see it
    std::optional<sla::index_position> next;  // where the next page starts; nothing: no more
    std::size_t scanned = 0;
  };
  boost::asio::awaitable<boost::system::result<search_page>> search(sla::member who, search_request q);

  // One job with its history, if the member may see it (forbidden otherwise).
  boost::asio::awaitable<boost::system::result<act_outcome>> view(sla::member who, std::string id);

  // A crew or operator action, through the state machine, in one atomic write.
  boost::asio::awaitable<boost::system::result<act_outcome>> act(sla::member who, std::string id, sla::action a);

  // A reply by SMS that act() refused goes on the job's record (sla::record_refused_reply),
  // whoever sent it: a crew of another firm, who may not act on the job, is on record too.
  boost::asio::awaitable<boost::system::result<act_outcome>> record_refused_reply(sla::member who, std::string id,
                                                                                  sla::sms_reply r, std::string why,
                                                                                  std::string request_id);

  // A manager (or the station) gives a job its organisation holds to one of its crews.
  boost::asio::awaitable<boost::system::result<act_outcome>> assign(sla::member who, std::string id, sla::member to);

  // Corrects the urgent/general call or the category (the station, the centre, the holder's
  // manager); a crew of the holder only asks for it, which the station is told of.
  boost::asio::awaitable<boost::system::result<act_outcome>> reclassify(sla::member who, std::string id,
                                                                        sla::reclassification r);
  const sla::classifier& classifier() const { return classifier_; }

  // A call-back's answer (回访) through sla::rate: by the hotline (no member) or the centre. An
  // answer with no time of call is taken as called now.
  boost::asio::awaitable<boost::system::result<act_outcome>> rate(std::optional<sla::member> who, std::string id,
                                                                  sla::callback cb, bool called_at_given);
  // A reporter's own answer through their link (sla::rate_by_link); `reporter_key` is the
  // invite the link was made for.
  boost::asio::awaitable<boost::system::result<act_outcome>> rate_by_link(std::string id, std::string reporter_key,
                                                                          sla::callback cb);
  const sla::limits& limits() const { return limits_; }
  // The job a 12345 ticket made or was linked to, if any.
  boost::asio::awaitable<boost::system::result<std::optional<std::string>>> job_of_ticket(std::string ticket_no);

  // The station sends a job it triages to the firm of a community of the directory.
  boost::asio::awaitable<boost::system::result<act_outcome>> reroute(sla::member who, std::string id,
                                                                     std::string community);
  boost::asio::awaitable<boost::system::result<void>> ping();
  // The open job holding a short code (an SMS reply names it), if any.
  boost::asio::awaitable<boost::system::result<std::optional<std::string>>> job_by_code(std::string code);

  // Reading many at once (Open311 lists): the ids accepted in [from, to) and their records.
  boost::asio::awaitable<boost::system::result<std::vector<std::string>>> accepted_between(sla::instant from,
                                                                                           sla::instant to,
                                                                                           std::size_t limit);
  boost::asio::awaitable<boost::system::result<std::vector<sla::work_order>>> load_many(std::vector<std::string> ids);
  // Every work order accepted in [from, to) with its history: what a report reads.
  boost::asio::awaitable<boost::system::result<std::vector<sla::order_record>>> records_between(sla::instant from,
                                                                                                sla::instant to);

  // Called after a write that put notifications in the outbox (the sender looks at once).
  void on_notify(std::function<void()> fn) { on_notify_ = std::move(fn); }
  void poke_sender() { notified(1); }
  boost::asio::any_io_executor executor() const { return ex_; }

  const engine_stats& stats() const { return stats_; }
  // Counts this engine's writes: a live view redraws when it moves.
  std::uint64_t changes() const { return changes_; }
  sla::instant now() const { return clock_.now(); }
  std::size_t armed() const { return queue_.size(); }
  std::size_t armed(sla::clock_kind k) const { return queue_.size_of(k); }
  // Due and not yet written: waiting for a firing slot, or firing (a lasting backlog means
  // Redis is slow or away).
  std::size_t due_not_fired() const { return due_.size() + firing_; }
  const sla::resolver& resolver() const { return resolver_; }

 private:
  using decide_fn = transition_protocol::decide_fn;
  using access_fn = transition_protocol::access_fn;
  // `who` is checked against the job (by `check`, sla::may_act when none); nobody: the engine's
  // own decision (linking a report).
  boost::asio::awaitable<boost::system::result<act_outcome>> transition(std::optional<sla::member> who, std::string id,
                                                                        decide_fn decide, access_fn check = {});
  // The ingest protocol's actions that take more than one line to carry out on the store. `p`
  // and the views in `a` are the caller's, which awaits each at once.
  ingest_protocol::report report_of(channels::request r) const;
  boost::asio::awaitable<ingest_protocol::screened_out> screen_out(ingest_protocol::action a);
  boost::asio::awaitable<ingest_protocol::leased> lease_and_look(ingest_protocol::action a);
  boost::asio::awaitable<ingest_protocol::order_read> read_order(ingest_protocol::action a);
  boost::asio::awaitable<ingest_protocol::created> create(ingest_protocol& p, std::string key);
  // What a firing that was written changes here: counts, the outbox's sender, the next steps.
  void fired(const timer_entry& e, const sla::decision& d);
  void arm(const std::string& id, const sla::work_order& next, const std::vector<sla::deadline>& deadlines);
  void notified(std::size_t count);
  void schedule_wakeup();
  void on_wakeup();
  void pump();
  boost::asio::awaitable<void> fire(timer_entry e);
  boost::asio::awaitable<void> sweep();

  boost::asio::any_io_executor ex_;
  work_order_store& store_;
  order_archive* archive_ = nullptr;
  clock& clock_;
  const sla::classifier& classifier_;
  const sla::resolver& resolver_;
  sla::limits limits_;
  sla::ladder ladder_;
  deadline_queue queue_;
  std::deque<timer_entry> due_;
  std::optional<sla::instant> wakeup_at_;
  std::size_t firing_ = 0;
  bool recovered_ = false;
  std::function<void()> on_notify_;
  sla::duration link_window_ = sla::default_link_window;
  std::size_t max_linked_ = 50;
  std::chrono::milliseconds sweep_every_{2000};
  std::chrono::milliseconds sweep_grace_{2000};
  engine_stats stats_;
  std::uint64_t changes_ = 0;
  // The clock may outlive the engine (a test, a simulation): its wake-up holds only this.
  std::shared_ptr<engine*> alive_ = std::make_shared<engine*>(this);
};

}  // namespace halfhour
