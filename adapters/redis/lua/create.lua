-- Creates a work order for an idempotency key not seen before, in one atomic step: the record and
-- its journal, the key, the indexes, the deadlines and the notifications owed. Runs after
-- journal.lua, owe.lua, buckets.lua and steps.lua. Returns {1, id, short code} when it wrote (''
-- for the code when every code of the shard is held), {0, the key's id} when the key was known.
local idem = KEYS[1]         -- hash: idempotency key -> id, in buckets
local order_key = KEYS[2]    -- the work order's bucket: its record and journal (journal.lua)
local deadlines = KEYS[3]    -- the shard's deadline set: each job's earliest armed step
local open = KEYS[4]         -- the holder's set of open work orders
local outbox = KEYS[5]       -- the shard's outbox stream
local near = KEYS[6]         -- the community's recent jobs (untouched without a community)
local accepted = KEYS[7]     -- the shard's work orders by acceptance
local codes = KEYS[8]        -- the shard's short codes held by open jobs: code -> id, in buckets
local code_seq = KEYS[9]     -- the shard's counter of codes tried
local steps = KEYS[10]       -- the shard's armed steps of each job, in buckets
local held = KEYS[11]        -- the shard's count of codes held
local key = ARGV[1]          -- the idempotency key
local id = ARGV[2]           -- the new work order's id
local order = ARGV[3]        -- the work order (protobuf), stored at version 1
local accepted_at = ARGV[4]  -- acceptance, ms since the epoch: the score of both indexes
local near_member = ARGV[5]  -- its entry in the community's recent jobs, '' without a community
local events = ARGV[6]       -- what the journal gains: the events and the notifications owed
local shard = tonumber(ARGV[7])  -- the shard's number: every code of it is shard modulo 16
local code_first = tonumber(ARGV[8])
local code_span = tonumber(ARGV[9])
-- Held codes met in a row before giving up: the job then has no code (its crew uses the phone
-- page), and the script holds Redis for a fraction of a millisecond at most.
local code_tries = math.min(code_span, 256)
-- ARGV[10...]: a count of steps to arm, then (ms, step) for each; then what owe() reads.

-- The shard's next code no open job holds. Codes come round again only after code_span others,
-- and one still held is skipped, so no two open jobs ever share one.
local function take_code()
  -- Every code held (as many jobs open in the shard as it has codes): none, at once, rather than
  -- after trying code_tries of them for each new job.
  if tonumber(redis.call('GET', held) or '0') >= code_span then return '' end
  for _ = 1, code_tries do
    local n = redis.call('INCR', code_seq)
    local code = tostring(code_first + 16 * ((n - 1) % code_span) + shard)
    if redis.call('HSETNX', code_bucket(codes, code), code, id) == 1 then
      redis.call('INCR', held)
      return code
    end
  end
  return ''
end

local idem_key = idem_bucket(idem, key)
local existing = redis.call('HGET', idem_key, key)
if existing then return {0, existing} end
if redis.call('HEXISTS', order_key, id) == 1 then return redis.error_reply('ERR id already in use') end
local code = take_code()
-- Serialized protobuf messages concatenated parse as their merge: the code goes onto the record
-- as WorkOrder.short_code (field 25, length-delimited: tag bytes 0xCA 0x01), whatever the rest.
if code ~= '' then order = order .. '\202\001' .. string.char(#code) .. code end
redis.call('HSET', order_key, id, join_order(1, order, events))
redis.call('HSET', idem_key, key, id)
redis.call('SADD', open, id)
redis.call('ZADD', accepted, accepted_at, id)
if near_member ~= '' then
  redis.call('ZADD', near, accepted_at, near_member)
  -- Two days back is as far as a new report looks for the job it may repeat.
  redis.call('ZREMRANGEBYSCORE', near, '-inf', tonumber(accepted_at) - 172800000)
end
local i = 10
local n = tonumber(ARGV[i]); i = i + 1
local armed = {}
for _ = 1, n do armed[ARGV[i + 1]] = tonumber(ARGV[i]); i = i + 2 end
if n > 0 then write_steps(steps, deadlines, id, armed) end
owe(outbox, id, code, i)
return {1, id, code}
