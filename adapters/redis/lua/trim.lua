-- Lets one shard's logs go back no further than the retention window: a batch of the oldest
-- screened chat messages before it, each with its idempotency key while the key still stands for
-- that screening (not for a job made of the message since), then the undelivered notices before
-- it. Runs after buckets.lua. Returns how many entries went; fewer than the batch means nothing
-- older is left.
local idem = KEYS[1]      -- hash: idempotency key -> id or "screened|<reason>", in buckets
local screened = KEYS[2]  -- stream of chat messages screened out as no request
local dead = KEYS[3]      -- stream of notices that could not be delivered
local before = tonumber(ARGV[1])  -- ms since the epoch: entries with an older id go
local batch = tonumber(ARGV[2])

local last = tostring(before - 1)  -- an end id of only ms takes every entry of that ms
local old = redis.call('XRANGE', screened, '-', last, 'COUNT', batch)
for _, entry in ipairs(old) do
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'key' then
      local bucket = idem_bucket(idem, fields[i + 1])
      local v = redis.call('HGET', bucket, fields[i + 1])
      if v and string.sub(v, 1, 9) == 'screened|' then redis.call('HDEL', bucket, fields[i + 1]) end
    end
  end
  redis.call('XDEL', screened, entry[1])
end
local gone = #old
if gone < batch then gone = gone + redis.call('XTRIM', dead, 'MINID', before) end
return gone
