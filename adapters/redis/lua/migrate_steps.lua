-- Moves deadline members of layouts 2 and 3 ("<id>|<step>", one member per step, scored by its
-- moment) into the armed steps of layout 4 (steps.lua), a page at a time. ARGV: (member, id, step
-- name, ms) for each, as the engine read the member. A member gone meanwhile (fired, moved,
-- already moved over) is skipped, so running a page twice changes nothing. Returns how many moved.
local deadlines = KEYS[1]  -- the shard's deadline set
local steps = KEYS[2]      -- the shard's armed steps
local moved = 0
for i = 1, #ARGV, 4 do
  if redis.call('ZREM', deadlines, ARGV[i]) == 1 then
    local t = read_steps(steps, ARGV[i + 1])
    t[ARGV[i + 2]] = tonumber(ARGV[i + 3])
    write_steps(steps, deadlines, ARGV[i + 1], t)
    moved = moved + 1
  end
end
return moved
