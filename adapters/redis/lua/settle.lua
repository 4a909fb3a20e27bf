-- Records what the outbox's sender did with a notification in the work order's journal (in the
-- same slot as the outbox: the id names its shard). Runs after journal.lua.
local order_key = KEYS[1]   -- the work order: its record and journal
local settlement = ARGV[1]  -- the notification's key, its outcome and when (protobuf)

journal(order_key, settlement)
