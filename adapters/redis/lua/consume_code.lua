-- Logs in with a code, if it is still the member's code: the code is used up, the phone's attempts
-- cleared, the address's attempt uncounted, and the session stored with its place in the member's
-- index, in one step. Returns 1 when it did, 0 when the code was used or replaced meanwhile.
local member = KEYS[1]            -- hash: the member's fields
local phone_attempts = KEYS[2]    -- counter: attempts on the phone
local address_attempts = KEYS[3]  -- counter: attempts from the source address
local session = KEYS[4]           -- hash: the new session, its key ending in the token's hash
local sessions = KEYS[5]          -- set: the member's session hashes
local code = ARGV[1]              -- the hash of the code given
local ttl = ARGV[2]               -- the session's life, in seconds
local id = ARGV[3]                -- the member's id (the phone)
local name = ARGV[4]
local org = ARGV[5]               -- the member's organisation
local role = ARGV[6]              -- the role's code

if redis.call('HGET', member, 'code') ~= code then return 0 end
redis.call('HDEL', member, 'code')
redis.call('DEL', phone_attempts)
if (tonumber(redis.call('GET', address_attempts) or '0')) > 0 then redis.call('DECR', address_attempts) end
redis.call('HSET', session, 'id', id, 'name', name, 'org', org, 'role', role)
redis.call('EXPIRE', session, ttl)
redis.call('SADD', sessions, session:match('[^:]+$'))
redis.call('EXPIRE', sessions, ttl)
return 1
