-- Writes one decision about a work order in one atomic step, only while the work order is still at
-- the version it was decided on: the record and its journal, the open-jobs indexes, the step
-- moves and the notifications owed. Runs after journal.lua, owe.lua, buckets.lua and steps.lua.
-- Returns {1, new version}; {0, version found} when it moved on; {-1, 0} when there is no such
-- work order; {-2, 0} when the step it fires is no longer armed for that moment.
local order_key = KEYS[1]    -- the work order's bucket: its record and journal (journal.lua)
local deadlines = KEYS[2]    -- the shard's deadline set: each job's earliest armed step
local open_before = KEYS[3]  -- the open-jobs set of the holder it had
local open_after = KEYS[4]   -- the open-jobs set of the holder it has now
local outbox = KEYS[5]       -- the shard's outbox stream
local codes = KEYS[6]        -- the shard's short codes held by open jobs, in buckets
local steps = KEYS[7]        -- the shard's armed steps of each job, in buckets
local held = KEYS[8]         -- the shard's count of codes held
local version = ARGV[1]      -- the version the decision was made on
local order = ARGV[2]        -- the new work order (protobuf)
local leave = ARGV[3]        -- '1': out of open_before (it left that holder, or closed)
local join = ARGV[4]         -- '1': into open_after (it arrived there still open)
local id = ARGV[5]           -- the work order's id
local firing = ARGV[6]       -- the step this decision fires, '' for none
local firing_at = ARGV[7]    -- the moment that step was armed for (ms)
local events = ARGV[8]       -- what the journal gains: the events and the notifications owed
local code = ARGV[9]         -- the job's short code ('' for none)
local free = ARGV[10]        -- '1': the job is done, its code free for another
-- ARGV[11...]: a count of steps to cancel, then each; a count of steps to arm, then (ms, step)
-- for each; then what owe() reads.

local value = redis.call('HGET', order_key, id)
if not value then return {-1, 0} end
local v, _, kept = split_order(value)
if v ~= tonumber(version) then return {0, v} end
local cancels = tonumber(ARGV[11])
local arms = tonumber(ARGV[12 + cancels])
-- The job's steps are read only by a decision that fires or moves one.
local armed = (firing ~= '' or cancels + arms > 0) and read_steps(steps, id) or {}
-- A step fires only while it is still armed for the moment it was armed for: a second firing
-- of it (a sweep, a recovery, another engine) finds it gone or moved and writes nothing.
if firing ~= '' and armed[firing] ~= tonumber(firing_at) then return {-2, 0} end
local nv = v + 1
redis.call('HSET', order_key, id, join_order(nv, order, kept .. events))
if leave == '1' then redis.call('SREM', open_before, id) end
if join == '1' then redis.call('SADD', open_after, id) end
if free == '1' and code ~= '' then
  local bucket = code_bucket(codes, code)
  if redis.call('HGET', bucket, code) == id then
    redis.call('HDEL', bucket, code)
    redis.call('DECR', held)
  end
end
local i = 12
for _ = 1, cancels do armed[ARGV[i]] = nil; i = i + 1 end
i = i + 1  -- the count of arms, read above
for _ = 1, arms do armed[ARGV[i + 1]] = tonumber(ARGV[i]); i = i + 2 end
if cancels + arms > 0 then write_steps(steps, deadlines, id, armed) end
owe(outbox, id, code, i)
return {1, nv}
