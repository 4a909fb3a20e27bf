// The work-order store's records as plain values: what it hands back (a work order with its
// history, what an idempotency key stands for, an armed deadline) and a screened message it
// keeps. No I/O here, so the Redis layout decodes into them and the engine's sans-io protocols
// speak of them without a connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/notice.hpp"
#include "sla/machine.hpp"
#include "sla/retention.hpp"

namespace halfhour {

struct stored_order {
  sla::work_order wo;  // wo.version is the version the store holds
  std::vector<sla::event> history;
  std::vector<notice> notices;  // read with the history
};

struct created_order {
  stored_order order;
  bool created = false;  // false: the idempotency key was already known, nothing was written
};

// What an idempotency key stands for once known: the work order it created or joined, or a
// message screened out as no request (with why).
struct known_key {
  std::string id;
  bool screened = false;
  std::string reason;
};

// A chat message that asked for no repair: kept for operators, never dispatched.
struct screened_message {
  sla::channel source = sla::channel::wechat;
  std::string external_no;
  std::string community;
  std::string sender;
  std::string text;
  std::string reason;
  sla::instant at{};
};

// One job as the store holds it, for the archive: its bytes are copied, never re-encoded.
struct archived_order {
  std::string id;
  std::int64_t version = 0;
  std::string order;    // WorkOrder (protobuf)
  std::string journal;  // Journal (protobuf)

  sla::copy_stamp stamp() const { return {id, version, journal.size()}; }
};

struct armed_deadline {
  std::string id;
  sla::deadline due;
};

}  // namespace halfhour
