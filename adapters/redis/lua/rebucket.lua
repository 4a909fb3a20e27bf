-- Moves fields of a shard's hash of layout 4 (its armed steps, id -> steps; its short codes,
-- code -> id; its idempotency keys, key -> id) into the buckets of layout 5 (buckets.lua), a page
-- at a time. Runs after buckets.lua and steps.lua. ARGV[1]: 'steps', 'codes' or 'idem'; then
-- (field, value) for each field, as HSCAN read it. A field gone meanwhile is skipped, so a page
-- run twice changes nothing. A job's steps are added to any its bucket holds already. Returns how
-- many moved.
local whole = KEYS[1]      -- the shard's hash of layout 4; its buckets are named after it
local held = KEYS[2]       -- the shard's count of codes held (codes only)
local deadlines = KEYS[3]  -- the shard's deadline set (steps only)
local moved = 0
for i = 2, #ARGV, 2 do
  local field, value = ARGV[i], ARGV[i + 1]
  if redis.call('HDEL', whole, field) == 1 then
    if ARGV[1] == 'codes' then
      redis.call('HSET', code_bucket(whole, field), field, value)
      redis.call('INCR', held)
    elseif ARGV[1] == 'idem' then
      redis.call('HSET', idem_bucket(whole, field), field, value)
    else
      write_steps(whole, deadlines, field, add_steps(read_steps(whole, field), value))
    end
    moved = moved + 1
  end
end
return moved
