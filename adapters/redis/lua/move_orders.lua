-- Moves work orders of layouts 2 to 5, each a string of its own (<prefix>:{sNN}:wo:<id>), into
-- their buckets (journal.lua), a page at a time; the journal that layouts 2 and 3 kept under a key
-- of its own (<order key>:h) goes after its record, as journal.lua keeps it. KEYS: (order key,
-- journal key, bucket) for each work order of the page; ARGV: its id. A work order moved already
-- has no string left and is skipped, so running a page twice changes nothing. Runs after
-- journal.lua. Returns how many were moved.
local moved = 0
for i = 1, #ARGV do
  local key, journal_key, bucket = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local value = redis.call('GET', key)
  if value then
    -- "<version>|<record>" was the record of layouts 2 and 3: a "|" before any ":".
    local bar = string.find(value, '|', 1, true)
    local colon = string.find(value, ':', 1, true)
    if bar and (not colon or bar < colon) then
      local j = redis.call('GET', journal_key) or ''
      value = join_order(string.sub(value, 1, bar - 1), string.sub(value, bar + 1), j)
      redis.call('DEL', journal_key)
    end
    redis.call('HSET', bucket, ARGV[i], value)
    redis.call('DEL', key)
    moved = moved + 1
  end
end
return moved
