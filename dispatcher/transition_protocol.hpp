// One decision on one work order as a sans-io state machine: read it, check who may act, decide,
// write with its version checked; a write that lost a race reads and decides again, so every
// decision is made on what is stored. A crew's or operator's action and the engine's own (a
// report joining a job) go through it; the engine carries its actions out on the store.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "dispatcher/outcomes.hpp"
#include "sla/access.hpp"
#include "sla/machine.hpp"

namespace halfhour {

class transition_protocol {
 public:
  using decide_fn = std::function<sla::decision(const sla::work_order&, sla::instant)>;
  using access_fn = std::function<sla::access(const sla::work_order&, const sla::member&)>;

  // Reads before giving up on a record that keeps moving (errc::conflict).
  static constexpr int max_reads = 8;

  // What to do next; what it writes or answers stays in the protocol (decision(), take_before(),
  // take_outcome()), so stepping moves no work order around.
  struct action {
    enum class kind {
      load,     // read the work order `id`, without its history
      write,    // store decision(), made on take_before() as read (its version checked)
      confirm,  // a retry of what is stored already: make sure it is as durable as a write is
                // (the replicas have it) before answering
      answer,   // done: take_outcome(); when applied, decision() is what was written
      fail,     // done: `error`
    };
    kind what = kind::load;
    std::string_view id;  // the protocol's own: valid while it lives
    boost::system::error_code error;
  };

  // What came of the last action.
  struct start {};
  struct loaded {
    boost::system::result<stored_order> order;
    sla::instant now{};  // when it was read: the decision is made at this moment
  };
  struct written {
    boost::system::result<std::int64_t> version;
  };
  struct confirmed {
    boost::system::result<void> durable;
  };
  using event = std::variant<start, loaded, written, confirmed>;

  // `who` is checked against the job by `check` (sla::may_act when none); nobody: the engine's
  // own decision, which needs no right.
  transition_protocol(std::string id, std::optional<sla::member> who, decide_fn decide, access_fn check = {});

  // The next action, given what came of the last. An event it did not ask for throws
  // std::logic_error: the driver is broken.
  action resume(event&& e);

  // The decision being written, or written once the answer is `applied` (what it armed and owes).
  const sla::decision& decision() const { return decided_; }
  // The work order as read, for the write to check its version: once per write.
  sla::work_order take_before() { return std::move(before_); }
  act_outcome take_outcome() { return std::move(outcome_); }

 private:
  enum class state { idle, loading, writing, confirming, done };

  action load();
  action on_loaded(loaded& e);
  action on_written(written& e);
  action on_confirmed(confirmed& e);
  action answer(act_outcome::kind what, stored_order order = {}, std::string reason = {});
  action fail(boost::system::error_code ec);

  state state_ = state::idle;
  int reads_ = 0;
  std::string id_;
  std::optional<sla::member> who_;
  decide_fn decide_;
  access_fn check_;
  sla::decision decided_;  // being written
  sla::work_order before_;
  act_outcome outcome_;
};

}  // namespace halfhour
