-- Takes an archived work order out of its shard in one atomic step, only while it is still the
-- copy the archive holds: the same version and the same journal. Runs after journal.lua and
-- buckets.lua. Returns 1 when it was taken out; 0 when it moved on since (it stays, and the next
-- pass archives the newer copy); -1 when it is not there (taken out already).
local order_key = KEYS[1]  -- the work order's bucket: its record and journal
local accepted = KEYS[2]   -- the shard's work orders by acceptance
local idem = KEYS[3]       -- the shard's idempotency keys, in buckets
local id = ARGV[1]
local version = ARGV[2]       -- the archived copy's
local journal_size = ARGV[3]  -- the archived journal's length in bytes
-- ARGV[4...]: idempotency keys of the shard that may name the job; each that does is dropped.

local value = redis.call('HGET', order_key, id)
if not value then return -1 end
local v, _, kept = split_order(value)
if v ~= tonumber(version) or #kept ~= tonumber(journal_size) then return 0 end
redis.call('HDEL', order_key, id)
redis.call('ZREM', accepted, id)
for i = 4, #ARGV do
  local bucket = idem_bucket(idem, ARGV[i])
  if redis.call('HGET', bucket, ARGV[i]) == id then redis.call('HDEL', bucket, ARGV[i]) end
end
return 1
