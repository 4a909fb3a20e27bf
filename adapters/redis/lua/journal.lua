-- Helper: a work order's one value, its field in its bucket (<prefix>:{sNN}:wo:<bucket>, id ->
-- "<version>:<record length>|<record><journal>"): the record (WorkOrder, packed) rewritten by
-- each decision, then its journal, only ever extended. One field where a key of its own costs a
-- key's overhead (about 90 bytes in Redis), and two cost it twice.

-- Version (a number), record and journal of a work order's value.
local function split_order(value)
  local colon = string.find(value, ':', 1, true)
  local bar = string.find(value, '|', colon + 1, true)
  local size = tonumber(string.sub(value, colon + 1, bar - 1))
  return tonumber(string.sub(value, 1, colon - 1)), string.sub(value, bar + 1, bar + size),
    string.sub(value, bar + size + 1)
end

local function join_order(version, record, journal)
  return version .. ':' .. #record .. '|' .. record .. journal
end

-- Extends the journal of a work order that is there; one taken out (to the archive) gains nothing.
local function journal(bucket, id, more)
  local value = redis.call('HGET', bucket, id)
  if value then redis.call('HSET', bucket, id, value .. more) end
end
