-- Moves the journals of layouts 2 and 3 (a key of their own, <order key>:h) into their work
-- orders' strings (journal.lua), a page at a time. KEYS: (order key, journal key) for each work
-- order of the page. A work order already in one string is left as it is, so running a page twice
-- changes nothing. Runs after journal.lua. Returns how many were moved.
local moved = 0
for i = 1, #KEYS, 2 do
  local value = redis.call('GET', KEYS[i])
  -- "<version>|<record>" was the record of layouts 2 and 3: a "|" before any ":".
  local bar = value and string.find(value, '|', 1, true)
  local colon = value and string.find(value, ':', 1, true)
  if bar and (not colon or bar < colon) then
    local j = redis.call('GET', KEYS[i + 1]) or ''
    redis.call('SET', KEYS[i], join_order(string.sub(value, 1, bar - 1), string.sub(value, bar + 1), j))
    redis.call('DEL', KEYS[i + 1])
    moved = moved + 1
  end
end
return moved
