// The work-order store's records as plain values: what it hands back (a work order with its
// history, what an idempotency key stands for, an armed deadline) and a screened message it
// keeps. No I/O here, so the Redis layout decodes into them and the engine's sans-io protocols
// speak of them without a connection.
#pragma once

#include <string>
#include <vector>

#include "adapters/notice.hpp"
#include "sla/machine.hpp"

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

struct armed_deadline {
  std::string id;
  sla::deadline due;
};

}  // namespace halfhour
