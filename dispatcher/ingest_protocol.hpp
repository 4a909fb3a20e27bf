// A report that came in through a channel, from its key to the answer, as a sans-io state
// machine the engine drives. A known key is a retry, answered with what it made. A chat message
// that asks for no repair is recorded as such. A report that may repeat an open job of its
// community takes the community's lease, in the same round trip as the look at the community's
// recent jobs (and its key's lookup), so two reports of one incident arriving together never
// both open a job; it reads the likely ones, joins the one it repeats (a transition) or opens
// its own, and lets the lease go. No I/O, no clock: events carry the store's answers and the
// time they came, and the engine carries each action out.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "adapters/channels/request.hpp"
#include "adapters/store_records.hpp"
#include "dispatcher/outcomes.hpp"
#include "sla/duplicates.hpp"

namespace halfhour {

class ingest_protocol {
 public:
  // The lease is held for a round trip or two, about a millisecond: a report that cannot take it
  // within 200 tries 1 ms apart is only waiting out a stale one (its engine died), and goes ahead
  // without it. It expires by itself after `lease_ttl` if its holder dies.
  static constexpr int lease_tries = 200;
  static constexpr std::chrono::milliseconds lease_wait{1};
  static constexpr std::chrono::milliseconds lease_ttl{3000};

  // The report, and what the engine made of it before asking the store anything.
  struct report {
    channels::request request;
    sla::classification cls;
    sla::resolution where;
    sla::screening screening;     // the classifier's verdict, for a chat message (request.screen)
    sla::duration link_window{};  // reports newer than this join an open job they repeat; zero: never
    std::size_t max_linked = 50;  // reports kept whole on one job (sla::link)
    std::string lease_token;      // this report's own, so that only it releases its lease
  };

  // What to do next. Its texts are views into the protocol, valid while it lives: an action is
  // carried out at once, and passing views saves copying the key and ids at every step.
  struct action {
    enum class kind {
      lookup,           // what `key` stands for
      screen_out,       // record `*message` under `key` as no request, unless the key is known
      lease_and_look,   // one round trip: with `with_lookup` what `key` stands for, then the lease
                        // `lease` (`token`, `ttl`), then the jobs accepted for `community` since `since`
      wait,             // `delay`, then the lease is tried again
      look,             // the jobs accepted for `community` since `since`, without the lease
      read_candidates,  // the work orders `ids`, without history
      link,             // the report joins the job `id`: a transition deciding with link_decision()
      remember,         // point `key` at `id` unless it points somewhere already
      read_order,       // the job `id`, to answer with (its record: a repeat or a joined report is
                        // answered with the job's receipt, never its history); `joined`: the report
                        // joined it, `why` says why it is the same incident
      create,           // a new job under `key`, decided by accept() once the store names it
      release,          // the lease `lease` (`token`)
      answer,           // done: take_outcome()
      fail,             // done: `error`
    };
    kind what = kind::lookup;
    std::string_view key;
    std::string_view id;
    std::vector<std::string> ids;
    const screened_message* message = nullptr;
    std::string_view lease;
    std::string_view token;
    std::chrono::milliseconds ttl{0};
    std::string_view community;
    sla::instant since{};
    bool with_lookup = false;
    std::chrono::milliseconds delay{0};
    bool joined = false;
    std::string_view why;
    boost::system::error_code error;
  };

  // What came of the last action; `now`: when it came.
  struct start {
    sla::instant now{};
  };
  struct looked_up {
    boost::system::result<std::optional<known_key>> known;
    sla::instant now{};
  };
  struct screened_out {
    boost::system::result<known_key> known;
  };
  struct leased {
    std::optional<boost::system::result<std::optional<known_key>>> known;  // with_lookup only
    boost::system::result<bool> held;
    boost::system::result<std::vector<sla::recent_job>> recent;
    sla::instant now{};
  };
  struct waited {
    sla::instant now{};
  };
  struct looked {
    boost::system::result<std::vector<sla::recent_job>> recent;
    sla::instant now{};
  };
  struct candidates_read {
    boost::system::result<std::vector<sla::work_order>> open;
  };
  struct linked {
    boost::system::result<act_outcome> outcome;
  };
  struct remembered {
    boost::system::result<std::string> points_at;
  };
  struct order_read {
    boost::system::result<stored_order> order;
  };
  struct created {
    boost::system::result<created_order> made;
  };
  struct released {};
  using event = std::variant<start, looked_up, screened_out, leased, waited, looked, candidates_read, linked,
                             remembered, order_read, created, released>;

  // Whether a report resolved to `where` may repeat an open job, so needs the lease.
  static bool may_link(const sla::resolution& where, sla::duration window);

  // `lad` and `lim` are read when the new job is decided: they must outlive the protocol. It stays
  // where it was made: its actions point into it.
  ingest_protocol(report r, const sla::ladder& lad, const sla::limits& lim);
  ingest_protocol(const ingest_protocol&) = delete;
  ingest_protocol& operator=(const ingest_protocol&) = delete;

  // The next action, given what came of the last. An event it did not ask for throws
  // std::logic_error: the driver is broken.
  action resume(event&& e);

  // The answer, once resume() said so (action::kind::answer).
  ingest_outcome take_outcome() { return std::move(outcome_); }

  // The new job, once the store has named it: its clocks start at `now`.
  sla::decision accept(std::string id, sla::instant now) const;
  // The report joining the open job `wo` it repeats; refused if the job was finished meanwhile,
  // so the report opens its own.
  sla::decision link_decision(const sla::work_order& wo, sla::instant now) const;

 private:
  enum class state {
    idle,
    looking_up,
    screening_out,
    leasing,
    waiting,
    looking,
    reading_candidates,
    linking,
    remembering,
    reading_order,
    creating,
    releasing,
    done,
  };

  action on_start(start& e);
  action on_looked_up(looked_up& e);
  action on_screened_out(screened_out& e);
  action on_leased(leased& e);
  action on_waited(waited& e);
  action on_looked(looked& e);
  action on_candidates_read(candidates_read& e);
  action on_linked(linked& e);
  action on_remembered(remembered& e);
  action on_order_read(order_read& e);
  action on_created(created& e);
  action on_released();

  action take_lease(sla::instant now, bool with_lookup);
  action look_for_candidates(std::vector<sla::recent_job> recent, sla::instant now);
  action existing(known_key k);
  action create();
  action release();
  action go(state s, action a);
  action finish(action a);
  action answer(ingest_outcome::kind what, stored_order&& order = {}, std::string reason = {});
  action fail(boost::system::error_code ec);
  action next(action::kind what) const;

  report r_;
  const sla::ladder* ladder_;
  const sla::limits* limits_;
  bool may_link_ = false;
  std::string lease_;  // one per community: reports of different communities never wait for each other
  state state_ = state::idle;
  int lease_rounds_ = 0;
  bool with_lookup_ = false;  // the round trip under way looks the key up too
  bool held_ = false;         // the lease is held and must be let go before the answer
  sla::instant looked_at_{};  // when the community's recent jobs were read
  sla::duplicate_match match_;
  bool joined_ = false;  // the order being read is the job the report joined
  std::string reading_;  // the job a retry is answered with
  screened_message message_;
  ingest_outcome outcome_;
  state after_release_ = state::done;
  action after_release_action_;
};

}  // namespace halfhour
