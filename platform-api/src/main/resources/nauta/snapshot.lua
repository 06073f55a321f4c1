-- A consistent snapshot of one resource type: its resourceVersion counter, its epoch, the id of
-- its newest write and every object, read atomically so the watch cache can start from exactly
-- that resourceVersion.
-- KEYS[1] objects hash, KEYS[2] resourceVersion counter, KEYS[3] epoch, KEYS[4] newest write id,
-- KEYS[5] sealed values' resourceVersions (see write.lua: a sealed value holds no rv of its own)
-- ARGV[1] a fresh epoch, stored when the type has none yet (an empty or flushed Redis), so the
--         next write carries the epoch this snapshot was read at
local rv = redis.call('GET', KEYS[2]) or '0'
local epoch = redis.call('GET', KEYS[3])
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[3], epoch)
end
local last = redis.call('GET', KEYS[4]) or ''
-- Fields too: an encrypted value is bound to its object's key, and errors name it.
return {rv, epoch, last, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[5])}
