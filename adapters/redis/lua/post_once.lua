-- Posts a notification that belongs to no work order's step (the monthly report) once under its
-- marker: the marker and the entry in one script, in the entry's slot, written together or not at
-- all. Returns 1 when it posted, 0 when the marker was already there.
local outbox = KEYS[1]  -- the shard's outbox stream
local marker = KEYS[2]  -- set once, by the first post
local mark = ARGV[1]    -- the marker's value
local key = ARGV[2]     -- the idempotency key sent to the receiver
local to = ARGV[3]      -- recipient kind
local org = ARGV[4]     -- the recipient organisation
local kind = ARGV[5]    -- what kind of notification
local wo = ARGV[6]      -- the work order ('' for none)
local text = ARGV[7]
local ref = ARGV[8]     -- 12345 ticket number, for the hotline; the phone of an SMS to one person
local code = ARGV[9]    -- the job's short code ('' for none)

if not redis.call('SET', marker, mark, 'NX') then return 0 end
redis.call('XADD', outbox, '*', 'key', key, 'to', to, 'org', org, 'kind', kind, 'wo', wo, 'text', text, 'ref', ref, 'code', code)
return 1
