-- Removes a member and ends its sessions. Runs after end_sessions.lua. Returns 1 when there was
-- such a member, 0 otherwise.
local member = KEYS[1]          -- hash: the member's fields
local sessions = KEYS[2]        -- set: the member's session hashes
local session_prefix = ARGV[1]  -- a session's key without its hash

local existed = redis.call('DEL', member)
end_sessions(sessions, session_prefix)
return existed
