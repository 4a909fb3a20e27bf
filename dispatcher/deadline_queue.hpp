// Every deadline the engine has armed, in due order, behind one wake-up. Clocks of one kind
// and one length are created in time order, so their deadlines arrive in order too: each
// (kind, length) lane is a FIFO, O(1) to push and pop. Deadlines that arrive out of order
// (recovered from Redis, moved by a re-classification) go to a heap.
#pragma once

#include <array>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "sla/work_order.hpp"

namespace halfhour {

struct timer_entry {
  sla::instant at{};
  std::string id;
  sla::clock_kind kind = sla::clock_kind::acknowledge;
  bool on_recovery = false;
  sla::step step = sla::step::due;
  int index = 0;
};

class deadline_queue {
 public:
  // `length` is the clock's limit: entries of one (kind, length) share a lane. Zero: the heap.
  void push(timer_entry e, sla::duration length);
  // Recovery's deadlines, millions read in no useful order: each is staged as it is read, and
  // commit_staged() makes the heap of them all at once, in linear time, where pushing each would
  // sift it up through a heap of millions spread over hundreds of megabytes. Staged entries are
  // not armed until then: next(), pop_due() and the sizes leave them out.
  void stage(timer_entry e) { staged_.push_back(std::move(e)); }
  void commit_staged();
  void drop_staged() { std::vector<timer_entry>().swap(staged_); }

  std::optional<sla::instant> next() const;

  // Removes and returns up to `max` entries due at `now`, earliest first.
  std::vector<timer_entry> pop_due(sla::instant now, std::size_t max);

  std::size_t size() const { return size_; }
  // Armed steps per clock kind (indexed by sla::clock_kind), for the metrics.
  std::size_t size_of(sla::clock_kind k) const { return per_kind_[static_cast<std::size_t>(k)]; }

 private:
  struct lane {
    sla::clock_kind kind;
    sla::duration length;
    std::deque<timer_entry> entries;
  };
  struct later {
    bool operator()(const timer_entry& a, const timer_entry& b) const { return a.at > b.at; }
  };
  void push_heap(timer_entry e);

  std::vector<lane> lanes_;
  std::vector<timer_entry> heap_;  // a heap by `later` (std::push_heap), its earliest at the front
  std::vector<timer_entry> staged_;
  std::size_t size_ = 0;
  std::array<std::size_t, sla::clock_kind_count> per_kind_{};
};

}  // namespace halfhour
