-- Creates or replaces a member with a new login code; every session it had ends, so a re-issued
-- code locks out whoever held the old one. Runs after end_sessions.lua. Returns 1.
local member = KEYS[1]          -- hash: the member's fields
local sessions = KEYS[2]        -- set: the member's session hashes
local session_prefix = ARGV[1]  -- a session's key without its hash
local name = ARGV[2]
local org = ARGV[3]             -- the member's organisation
local role = ARGV[4]            -- the role's code
local code = ARGV[5]            -- the hash of the login code
local code_expires = ARGV[6]    -- when the unused code stops working, ms since the epoch ('0': never)

redis.call('DEL', member)
redis.call('HSET', member, 'name', name, 'org', org, 'role', role, 'code', code, 'code_expires', code_expires)
end_sessions(sessions, session_prefix)
return 1
