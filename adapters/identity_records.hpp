// The identity store's records as plain values: a member with its hashed login code, and one
// counted login attempt. No I/O here, so the Redis layout can decode into them.
#pragma once

#include <optional>
#include <string>

#include "sla/access.hpp"
#include "sla/time.hpp"

namespace halfhour {

struct stored_member {
  sla::member member;
  std::string code_hash;                     // empty once the code has logged in
  std::optional<sla::instant> code_expires;  // an unused code stops working then
};

// One login attempt, counted before the code is looked at.
struct login_attempt {
  long long phone_attempts = 0;    // on this phone within the window, this one included
  long long address_attempts = 0;  // from this source address within the window
  std::optional<stored_member> member;
};

}  // namespace halfhour
