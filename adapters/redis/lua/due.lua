-- The jobs of one shard with a step due by ARGV[1] (ms), at most ARGV[2] of them, earliest
-- first, each with its armed steps: {id, steps, id, steps, ...}. The caller keeps the steps due.
-- Runs after buckets.lua.
local deadlines = KEYS[1]  -- the shard's deadline set: each job's earliest step
local steps = KEYS[2]      -- the shard's armed steps, in buckets
local ids = redis.call('ZRANGEBYSCORE', deadlines, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', id_bucket(steps, id), id) or ''
end
return out
