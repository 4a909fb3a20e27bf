-- Takes a lease for ARGV[1] (a token) for ARGV[2] ms unless another holder has it: SET NX PX, and
-- its reply (OK or nil). A brief one (ARGV[3] "brief") is kept in Redis's memory only, neither
-- written to the append-only file nor sent to replicas, so no fsync waits on it (store.hpp).
local lease = KEYS[1]
if ARGV[3] == 'brief' then redis.set_repl(redis.REPL_NONE) end
return redis.call('SET', lease, ARGV[1], 'NX', 'PX', ARGV[2])
