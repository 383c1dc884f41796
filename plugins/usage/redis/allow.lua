-- allow takes one token from the token bucket KEYS[1] and returns 1, or
-- returns 0 when the bucket holds less than one.
--
-- ARGV[1] rate: tokens added per second, fractional allowed, >= 0
-- ARGV[2] burst: the bucket's capacity, >= 1
-- ARGV[3] now: the caller's clock, Unix microseconds
-- ARGV[4] min_ttl, ARGV[5] max_ttl: bounds on the key's expiry, milliseconds
--
-- The bucket is a hash {tokens, at}: what it held when last written, and
-- when. A missing bucket is full. It holds min(burst, tokens + (now-at)*rate)
-- at now; refusals write nothing, so rounding errors of many small refills
-- cannot pile up, and at never moves back, so a caller whose clock is behind
-- gets no refill instead of refill counted twice.
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])

local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at and rate > 0 then
  tokens = tokens + (now - at) / 1e6 * rate
end
if tokens > burst then
  tokens = burst
end
if tokens < 1 then
  return 0
end

tokens = tokens - 1
if now > at then
  at = now
end
-- %.17g writes a double so that tonumber reads back the same double.
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', at))

-- Once full again the bucket is what a missing one is: let Redis forget it
-- then (but not sooner than min_ttl; see minBucketTTL in redis.go). A bucket
-- that never refills is kept.
local ttl = -1
if rate > 0 then
  ttl = math.ceil((burst - tokens) / rate * 1000)
  if ttl < tonumber(ARGV[4]) then
    ttl = tonumber(ARGV[4])
  end
  if ttl > tonumber(ARGV[5]) then
    ttl = -1
  end
end
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], string.format('%d', ttl))
else
  redis.call('PERSIST', KEYS[1])
end
return 1
