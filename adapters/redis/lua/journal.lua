-- Helper: the one way a work order's journal (<prefix>:{sNN}:wo:<id>:h) is extended, shared by
-- the work-order scripts and the outbox's sender. Written whole, because APPEND would leave the
-- string with as much room again as it holds (Redis grows strings greedily).
local function journal(key, more)
  redis.call('SET', key, (redis.call('GET', key) or '') .. more)
end
