-- Helper: ends every session listed in a member's index, and the index.
local function end_sessions(index, session_prefix)
  for _, h in ipairs(redis.call('SMEMBERS', index)) do redis.call('DEL', session_prefix .. h) end
  redis.call('DEL', index)
end
