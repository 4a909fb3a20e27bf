-- Helper: the one way a work order's armed steps are read and written. Runs after buckets.lua.
-- Its steps are one field of its bucket of the shard's steps (<prefix>:{sNN}:steps:<bucket>,
-- id -> "<step>@<ms, base 36>,..."), and its earliest step is its one member of the shard's
-- deadline set: one entry per job in each, rather than a sorted-set member (a skiplist node, a
-- dict entry, a string) per step.
local step_digits = '0123456789abcdefghijklmnopqrstuvwxyz'

-- The steps written as `v` added to `t` (step name -> ms since the epoch).
local function add_steps(t, v)
  for name, at in string.gmatch(v, '([^,@]+)@([0-9a-z]+)') do t[name] = tonumber(at, 36) end
  return t
end

-- Step name -> ms since the epoch; empty when none is armed.
local function read_steps(steps, id)
  local v = redis.call('HGET', id_bucket(steps, id), id)
  return v and add_steps({}, v) or {}
end

local function base36(n)
  local s = ''
  repeat
    local d = n % 36
    s = string.sub(step_digits, d + 1, d + 1) .. s
    n = (n - d) / 36
  until n == 0
  return s
end

-- Writes the steps back, and the earliest of them as the job's deadline; none left takes the job
-- out of both. Sorted, so the same steps are always the same bytes.
local function write_steps(steps, deadlines, id, t)
  local parts, first = {}, nil
  for name, at in pairs(t) do
    parts[#parts + 1] = name .. '@' .. base36(at)
    if not first or at < first then first = at end
  end
  if not first then
    redis.call('HDEL', id_bucket(steps, id), id)
    redis.call('ZREM', deadlines, id)
    return
  end
  table.sort(parts)
  redis.call('HSET', id_bucket(steps, id), id, table.concat(parts, ','))
  redis.call('ZADD', deadlines, string.format('%.0f', first), id)
end
