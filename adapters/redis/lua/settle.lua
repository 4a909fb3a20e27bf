-- Records what the outbox's sender did with a notification in the work order's journal (in the
-- same slot as the outbox: the id names its shard). Runs after journal.lua.
local order_key = KEYS[1]   -- the work order's bucket: its record and journal (journal.lua)
local settlement = ARGV[1]  -- the notification's key, its outcome and when (protobuf)
local id = ARGV[2]          -- the work order's id

journal(order_key, id, settlement)
