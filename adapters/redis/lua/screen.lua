-- Records a chat message screened out as no request under its idempotency key, once: a known key
-- keeps what it stands for. Runs after buckets.lua. Returns what the key stands for
-- ("screened|<reason>" or an id).
local idem = KEYS[1]      -- hash: idempotency key -> id or "screened|<reason>", in buckets
local screened = KEYS[2]  -- the shard's stream of screened messages, kept for operators
local key = ARGV[1]       -- the idempotency key
local channel = ARGV[2]   -- the channel, as its number
local no = ARGV[3]        -- the channel's own number for the message
local community = ARGV[4]
local sender = ARGV[5]
local text = ARGV[6]
local reason = ARGV[7]    -- why it asks for no repair
local at = ARGV[8]        -- when it came, ms since the epoch

local idem_key = idem_bucket(idem, key)
local existing = redis.call('HGET', idem_key, key)
if existing then return existing end
redis.call('XADD', screened, 'MAXLEN', '~', 100000, '*', 'key', key, 'channel', channel, 'no', no,
           'community', community, 'sender', sender, 'text', text, 'reason', reason, 'at', at)
redis.call('HSET', idem_key, key, 'screened|' .. reason)
return 'screened|' .. reason
