-- Ends one session (a logout) and takes it out of its member's index; an unknown session is no
-- error. Returns 1.
local session = KEYS[1]          -- hash: the session, its key ending in the token's hash
local sessions_prefix = KEYS[2]  -- a member's session index without the member's id

local id = redis.call('HGET', session, 'id')
redis.call('DEL', session)
if id then redis.call('SREM', sessions_prefix .. id, session:match('[^:]+$')) end
return 1
