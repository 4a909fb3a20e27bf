#include "dispatcher/deadline_queue.hpp"

#include <algorithm>
#include <iterator>

namespace halfhour {

void deadline_queue::push(timer_entry e, sla::duration length) {
  ++size_;
  ++per_kind_[static_cast<std::size_t>(e.kind)];
  if (length.count() > 0) {
    for (auto& l : lanes_) {
      if (l.kind != e.kind || l.length != length) continue;
      if (l.entries.empty() || l.entries.back().at <= e.at) {
        l.entries.push_back(std::move(e));
        return;
      }
      push_heap(std::move(e));
      return;
    }
    lanes_.push_back({e.kind, length, {}});
    lanes_.back().entries.push_back(std::move(e));
    return;
  }
  push_heap(std::move(e));
}

void deadline_queue::push_heap(timer_entry e) {
  heap_.push_back(std::move(e));
  std::push_heap(heap_.begin(), heap_.end(), later{});
}

void deadline_queue::commit_staged() {
  size_ += staged_.size();
  for (const auto& e : staged_) ++per_kind_[static_cast<std::size_t>(e.kind)];
  if (heap_.empty()) {
    heap_.swap(staged_);  // at start-up: no copy, no second vector at the peak
  } else {
    heap_.insert(heap_.end(), std::make_move_iterator(staged_.begin()), std::make_move_iterator(staged_.end()));
  }
  drop_staged();
  std::make_heap(heap_.begin(), heap_.end(), later{});
}

std::optional<sla::instant> deadline_queue::next() const {
  std::optional<sla::instant> best;
  if (!heap_.empty()) best = heap_.front().at;
  for (const auto& l : lanes_) {
    if (!l.entries.empty() && (!best || l.entries.front().at < *best)) best = l.entries.front().at;
  }
  return best;
}

std::vector<timer_entry> deadline_queue::pop_due(sla::instant now, std::size_t max) {
  std::vector<timer_entry> out;
  while (out.size() < max) {
    lane* from = nullptr;
    sla::instant best = now + sla::duration{1};
    for (auto& l : lanes_) {
      if (!l.entries.empty() && l.entries.front().at < best) {
        best = l.entries.front().at;
        from = &l;
      }
    }
    if (!heap_.empty() && heap_.front().at < best) {
      std::pop_heap(heap_.begin(), heap_.end(), later{});
      out.push_back(std::move(heap_.back()));
      heap_.pop_back();
    } else if (from) {
      out.push_back(std::move(from->entries.front()));
      from->entries.pop_front();
    } else {
      break;
    }
    --size_;
    --per_kind_[static_cast<std::size_t>(out.back().kind)];
  }
  return out;
}

}  // namespace halfhour
