-- Drops a type's watch events up to a resourceVersion the counter had at an earlier moment (the
-- time bound of watch history), without reading any event. Every key lives in the type's slot.
--
-- KEYS[1] resourceVersion counter
-- KEYS[2] event stream
-- ARGV[1] the counter's value when it was sampled; events up to it are dropped
--
-- Returns {n}: how many events were dropped.

-- A counter below the sample means Redis went back in time since then: the stream's events up to
-- the sample are not the old ones any more but new writes, so nothing is dropped.
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local upTo = tonumber(ARGV[1])
if current < upTo then
  return {0}
end
return {redis.call('XTRIM', KEYS[2], 'MINID', tostring(upTo + 1) .. '-0')}
