// A work order's notification as the operators see it: to whom, what, and whether it arrived.
#pragma once

#include <optional>
#include <string>

#include "sla/time.hpp"

namespace halfhour {

// One notification of a work order, as the outbox and its sender left it.
struct notice {
  std::string key;
  std::string recipient;
  std::string organisation;
  std::string kind;
  std::string status = "pending";  // "delivered" or "dead: <why>" once settled
  std::optional<sla::instant> settled_at;
};

}  // namespace halfhour
