-- The API servers' leases on the kubernetes Service's endpoints (kube-apiserver's master leases):
-- a sorted set of addresses scored by when their lease ends, in Redis's own clock, so the servers'
-- clocks need not agree.
-- KEYS[1] the sorted set; ARGV[1] "renew" or "remove", ARGV[2] the address, ARGV[3] the TTL in ms.
-- Returns the addresses whose lease has not ended, sorted.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[1] == 'renew' then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
else
  redis.call('ZREM', KEYS[1], ARGV[2])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)
