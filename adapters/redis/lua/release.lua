-- Releases a lease only while this caller holds it: one that expired and went to another engine
-- stays that engine's. Returns 1 when released, 0 otherwise.
local lease = KEYS[1]  -- the lease, set with NX PX by whoever holds it
local token = ARGV[1]  -- what this caller set it to

if redis.call('GET', lease) == token then return redis.call('DEL', lease) end
return 0
