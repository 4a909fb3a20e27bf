// One deadline coming due, as a sans-io state machine: read the work order, let the domain
// decide (sla::on_deadline), write the decision fenced by the step, so it lands only while the
// step is still armed for that very moment. Fired elsewhere (stale): done. A lost race reads and
// decides again; the store away, or a record that keeps moving, waits and puts the entry back
// in the queue. The deadline stays in the store all along, so nothing is lost either way.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <variant>

#include "adapters/store_records.hpp"
#include "dispatcher/deadline_queue.hpp"
#include "sla/machine.hpp"

namespace halfhour {

class fire_protocol {
 public:
  // Reads before a record that keeps moving is left for a later try.
  static constexpr int max_reads = 8;
  static constexpr std::chrono::milliseconds retry_delay{500};

  // What to do next; what it writes stays in the protocol (decision(), take_before()), so
  // stepping moves no work order around.
  struct action {
    enum class kind {
      load,     // read the work order, without its history
      write,    // store decision(), made on take_before(), fenced by `firing`
      wait,     // `delay` before trying again; `store_error`: the store failed (else it kept moving)
      requeue,  // done for now: the entry goes back to the queue of due deadlines
      done,     // finished: `end` says how
    };
    enum class ending {
      fired,          // written: decision(), with its new version
      nothing,        // the decision changes nothing and moves no step (early, unknown clock)
      stale,          // no longer armed for that moment: fired already, here or elsewhere
      unknown_order,  // a deadline of a work order the store does not have
    };
    kind what = kind::load;
    sla::deadline firing;
    std::chrono::milliseconds delay{0};
    bool store_error = false;
    ending end = ending::fired;
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
  struct waited {};
  using event = std::variant<start, loaded, written, waited>;

  // `lad` is read on every decision: it must outlive the protocol.
  fire_protocol(timer_entry e, const sla::ladder& lad);

  // The next action, given what came of the last. An event it did not ask for throws
  // std::logic_error: the driver is broken.
  action resume(event&& e);

  // The decision being written, or written once done with `fired`.
  const sla::decision& decision() const { return decided_; }
  // The work order as read, for the write to check its version: once per write.
  sla::work_order take_before() { return std::move(before_); }

 private:
  enum class state { idle, loading, writing, waiting, done };

  action load();
  action on_loaded(loaded& e);
  action on_written(written& e);
  action retry(bool store_error);
  action finish(action::ending how);

  state state_ = state::idle;
  int reads_ = 0;
  timer_entry entry_;
  const sla::ladder* ladder_;
  sla::decision decided_;  // being written
  sla::work_order before_;
};

}  // namespace halfhour
