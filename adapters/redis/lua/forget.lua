-- Drops idempotency keys of one shard that still name a work order taken out to the archive
-- (a key of a linked report can live in another shard than its job). Returns how many.
local idem = KEYS[1]
local id = ARGV[1]
local n = 0
for i = 2, #ARGV do
  if redis.call('HGET', idem, ARGV[i]) == id then
    redis.call('HDEL', idem, ARGV[i])
    n = n + 1
  end
end
return n
