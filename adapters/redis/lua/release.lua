-- Releases a lease only while this caller holds it: one that expired and went to another engine
-- stays that engine's. A brief lease (ARGV[2] "brief") is let go as it was taken, in memory only
-- (lease.lua). Returns 1 when released, 0 otherwise.
local lease = KEYS[1]  -- the lease, taken by lease.lua
local token = ARGV[1]  -- what this caller set it to

if ARGV[2] == 'brief' then redis.set_repl(redis.REPL_NONE) end
if redis.call('GET', lease) == token then return redis.call('DEL', lease) end
return 0
