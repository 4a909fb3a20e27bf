-- Drops idempotency keys of one shard that still name a work order taken out to the archive
-- (a key of a linked report can live in another shard than its job). Runs after buckets.lua.
-- Returns how many.
local idem = KEYS[1]  -- the shard's idempotency keys, in buckets
local id = ARGV[1]
local n = 0
for i = 2, #ARGV do
  local bucket = idem_bucket(idem, ARGV[i])
  if redis.call('HGET', bucket, ARGV[i]) == id then
    redis.call('HDEL', bucket, ARGV[i])
    n = n + 1
  end
end
return n
