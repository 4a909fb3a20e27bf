// Retention: moves finished jobs older than the retention window out of the store into the
// monthly archive, one month at a time and one engine at a time (a lease). Per month: read what
// the store and the archive hold, plan (sla::plan_month), write one new part durably, and only
// then take each archived job out of the store — so a pass that dies at any point is finished
// by the next, and nothing is lost or found twice.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "adapters/archive.hpp"
#include "adapters/clock.hpp"
#include "adapters/retention_store.hpp"
#include "adapters/store.hpp"
#include "sla/retention.hpp"

namespace halfhour {

struct archive_pass {
  std::size_t months = 0;         // months looked at
  std::size_t written = 0;        // jobs written to new parts
  std::size_t retired = 0;        // jobs taken out of the store
  std::size_t kept = 0;           // not finished: stay in the store
  std::size_t moved_on = 0;       // changed while archived: stay, for the next pass
  bool leased_elsewhere = false;  // another engine was archiving: nothing done
  std::size_t trimmed = 0;        // log entries that are no job's, gone with the window
};

class archiver {
 public:
  // `hook` is called after each step of a month ("retired_one", "retired_all") as well as the
  // archive's own: a test stops the process there.
  archiver(work_order_store& store, retention_store& retention, order_archive& archive, int retention_months,
           step_hook hook = {});

  // Every month before the first kept at `now` that still has jobs in the store.
  boost::asio::awaitable<boost::system::result<archive_pass>> run(sla::instant now);
  boost::asio::awaitable<boost::system::result<void>> run_month(sla::month m, archive_pass& pass);

 private:
  // Every month before `first_kept`, oldest first, each under the lease.
  boost::asio::awaitable<boost::system::result<void>> run_months(sla::month first_kept, archive_pass& pass);
  void step(std::string_view s) const {
    if (hook_) hook_(s);
  }

  work_order_store& store_;
  retention_store& retention_;
  order_archive& archive_;
  int retention_months_;
  step_hook hook_;
};

// The next time a daily pass runs: 03:30 Shanghai, when the hotline is quietest.
sla::instant next_archive_time(sla::instant now);

// Runs a pass at 03:30 every day on its own wake-up (the engine's clock wakes for deadlines
// only), and again ten minutes after a pass that failed.
class archive_schedule {
 public:
  archive_schedule(boost::asio::any_io_executor ex, archiver& a, clock& clk) : ex_(std::move(ex)), a_(a), clock_(clk) {}
  void start() { schedule(next_archive_time(clock_.now())); }

 private:
  void schedule(sla::instant at);
  boost::asio::awaitable<void> due();

  boost::asio::any_io_executor ex_;
  archiver& a_;
  clock& clock_;
  std::shared_ptr<archive_schedule*> alive_ = std::make_shared<archive_schedule*>(this);
};

}  // namespace halfhour
