-- Creates a work order for an idempotency key not seen before, in one atomic step: the record,
-- the key, the indexes, the journal, the deadlines and the notifications owed. Runs after
-- journal.lua and owe.lua. Returns {1, id} when it wrote, {0, the key's id} when the key was known.
local idem = KEYS[1]         -- hash: idempotency key -> id
local order_key = KEYS[2]    -- the record, "<version>|<WorkOrder (protobuf)>"
local history = KEYS[3]      -- the work order's journal
local deadlines = KEYS[4]    -- the shard's sorted set of deadline members
local open = KEYS[5]         -- the holder's set of open work orders
local outbox = KEYS[6]       -- the shard's outbox stream
local near = KEYS[7]         -- the community's recent jobs (untouched without a community)
local accepted = KEYS[8]     -- the shard's work orders by acceptance
local key = ARGV[1]          -- the idempotency key
local id = ARGV[2]           -- the new work order's id
local order = ARGV[3]        -- the work order (protobuf), stored at version 1
local accepted_at = ARGV[4]  -- acceptance, ms since the epoch: the score of both indexes
local near_member = ARGV[5]  -- its entry in the community's recent jobs, '' without a community
local events = ARGV[6]       -- what the journal gains: the events and the notifications owed
-- ARGV[7...]: a count of deadlines to arm, then (score, member) for each; then what owe() reads.

local existing = redis.call('HGET', idem, key)
if existing then return {0, existing} end
if redis.call('EXISTS', order_key) == 1 then return redis.error_reply('ERR id already in use') end
redis.call('SET', order_key, '1|' .. order)
redis.call('HSET', idem, key, id)
redis.call('SADD', open, id)
redis.call('ZADD', accepted, accepted_at, id)
if near_member ~= '' then
  redis.call('ZADD', near, accepted_at, near_member)
  -- Two days back is as far as a new report looks for the job it may repeat.
  redis.call('ZREMRANGEBYSCORE', near, '-inf', tonumber(accepted_at) - 172800000)
end
journal(history, events)
local i = 7
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZADD', deadlines, ARGV[i], ARGV[i + 1]); i = i + 2 end
owe(outbox, id, i)
return {1, id}
