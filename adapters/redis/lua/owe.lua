-- Helper: the notifications a step owes, each to the shard's outbox stream with its text, for the
-- sender, written in the same script as the event that caused them. They close ARGV from `i`: a
-- count, then six values each (key, to, org, kind, text, ref); a list, so read by a cursor. `code`
-- is the job's short code, which an SMS to a crew or a firm carries with the reply grammar.
local function owe(outbox, wo, code, i)
  local n = tonumber(ARGV[i]); i = i + 1
  for _ = 1, n do
    redis.call('XADD', outbox, '*', 'key', ARGV[i], 'to', ARGV[i + 1], 'org', ARGV[i + 2], 'kind', ARGV[i + 3],
               'wo', wo, 'text', ARGV[i + 4], 'ref', ARGV[i + 5], 'code', code)
    i = i + 6
  end
end
