-- A consistent snapshot of one resource type: its resourceVersion counter and every object, read
-- atomically so the watch cache can start from exactly that resourceVersion.
-- KEYS[1] objects hash, KEYS[2] resourceVersion counter
local rv = redis.call('GET', KEYS[2]) or '0'
return {rv, redis.call('HVALS', KEYS[1])}
