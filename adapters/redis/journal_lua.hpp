// The one way a work order's journal (hh:{sNN}:wo:<id>:h) is extended, shared by the work-order
// scripts and the outbox's sender: written whole, because APPEND would leave the string with as
// much room again as it holds (Redis grows strings greedily).
#pragma once

namespace halfhour::redis {

inline constexpr const char* journal_lua = R"lua(
local function journal(key, more)
  redis.call('SET', key, (redis.call('GET', key) or '') .. more)
end
)lua";

}  // namespace halfhour::redis
