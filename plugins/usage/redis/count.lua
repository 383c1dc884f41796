-- count counts one request against the quota KEYS[1] and returns 1, or
-- returns 0 when the quota's limit is reached; a refused request is not
-- counted.
--
-- ARGV[1] limit: requests allowed, >= 1
-- ARGV[2] expires: when the count may be forgotten, Unix milliseconds on
--         Redis's clock
--
-- The expiry is set when the count is created: every later request of the
-- quota names the same period, hence the same expiry.
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
  return 0
end
if redis.call('INCR', KEYS[1]) == 1 then
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
end
return 1
