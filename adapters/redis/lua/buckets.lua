-- Helper: the small hashes whose names the scripts work out (layout.hpp; the work orders' buckets
-- come named by the caller). A shard's armed steps, short codes and idempotency keys are split
-- into hashes of at most ~bucket_size fields, which Redis keeps as listpacks (a few bytes a field)
-- where one hash of the whole shard takes a dict entry and two strings a field. Named "<the
-- shard's key>:<bucket>"; the bucket_size, code_first and idem_buckets here are those of
-- layout.hpp, which computes the same names.
local bucket_size = 128

-- A job's bucket ("W07-000123" -> "<base>:0"): by its number in its shard.
local function id_bucket(base, id)
  return base .. ':' .. math.floor(tonumber(string.sub(id, 5)) / bucket_size)
end

-- A short code's bucket: by its place k among its shard's codes (code_first + 16 k + shard).
local function code_bucket(base, code)
  return base .. ':' .. math.floor(math.floor((tonumber(code) - 1008) / 16) / bucket_size)
end

-- An idempotency key's bucket: by its FNV-1a hash, whose low four bits are its shard
-- (layout::shard_of) and the next ten its bucket. h * 16777619 mod 2^32 is taken as
-- (h mod 256) * 2^24 + h * 403, exact in a double.
local idem_buckets = 1024
local function idem_bucket(base, key)
  local h = 2166136261
  for i = 1, #key do
    h = bit.bxor(h, string.byte(key, i)) % 4294967296
    h = ((h % 256) * 16777216 + h * 403) % 4294967296
  end
  return base .. ':' .. (math.floor(h / 16) % idem_buckets)
end
