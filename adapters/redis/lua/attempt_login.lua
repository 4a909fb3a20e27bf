-- Counts a login attempt on the phone and on the source address (each window starts at its first
-- attempt) and reads the member, in one step: parallel attempts cannot all see a count under the
-- limit. Returns {phone attempts, address attempts, name, org, role, code, code_expires}.
local phone_attempts = KEYS[1]    -- counter: attempts on the phone
local address_attempts = KEYS[2]  -- counter: attempts from the source address
local member = KEYS[3]            -- hash: the member's fields
local window = ARGV[1]            -- how long a counter lives from its first attempt, in seconds

local function count(key)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, window) end
  return n
end
local p = count(phone_attempts)
local a = count(address_attempts)
local m = redis.call('HMGET', member, 'name', 'org', 'role', 'code', 'code_expires')
return {p, a, m[1], m[2], m[3], m[4], m[5]}
