// What the engine answers a crew's or operator's action, and a report that came in: the
// outcomes its protocols end in, apart from the engine so the sans-io protocols can name them.
#pragma once

#include <string>

#include "adapters/store_records.hpp"

namespace halfhour {

// What became of a crew or operator action.
struct act_outcome {
  enum class kind {
    applied,    // written; `order` is the work order after it
    shown,      // a read, nothing written; `order` is the work order as it stands
    duplicate,  // a retry of an action already applied; `order` is how it stands
    refused,    // no longer applies (someone else took it, already done); `reason` says why
    forbidden,  // not the member's organisation's job
    moved,      // was the organisation's job, held by someone else now
    not_found,
  };
  kind what = kind::not_found;
  stored_order order;
  std::string reason;
};

// What became of a report that came in through a channel.
struct ingest_outcome {
  enum class kind {
    created,        // a new job: `order`
    repeat,         // a retry of a report already taken: `order` is its job, as it stands
    linked,         // the same incident as the open job `order`: joined to it; `reason` says why
    not_a_request,  // a chat message asking for no repair: recorded, not dispatched; `reason`
  };
  kind what = kind::created;
  stored_order order;
  std::string reason;
};

}  // namespace halfhour
