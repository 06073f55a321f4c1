-- One write to one resource type, atomically: check the precondition, bump the type's
-- resourceVersion counter, store the object and append the watch event to the type's stream with
-- the explicit ID <rv>-0. Every key lives in the type's hash slot ({<group>/<resource>}).
--
-- KEYS[1] objects hash (field = <namespace>/<name>, value = "<rv> <json>")
-- KEYS[2] resourceVersion counter
-- KEYS[3] event stream
-- ARGV[1] operation: create | update | delete
-- ARGV[2] hash field
-- ARGV[3] object JSON; its metadata.resourceVersion is the placeholder ARGV[4]
-- ARGV[4] placeholder text replaced by the new resourceVersion
-- ARGV[5] expected current resourceVersion for update/delete ("" = any)
-- ARGV[6] stream length to keep (exact trim)
-- ARGV[7] event timestamp in epoch millis (for time-based trimming)
--
-- Returns {"ok", rv} or {"exists"} / {"notfound"} / {"conflict", currentRv}.
local op = ARGV[1]
local field = ARGV[2]
local current = redis.call('HGET', KEYS[1], field)

if op == 'create' then
  if current then
    return {'exists'}
  end
else
  if not current then
    return {'notfound'}
  end
  local currentRv = string.match(current, '^(%d+) ')
  if ARGV[5] ~= '' and ARGV[5] ~= currentRv then
    return {'conflict', currentRv}
  end
end

local rv = tostring(redis.call('INCR', KEYS[2]))
local json = ARGV[3]
local at = string.find(json, ARGV[4], 1, true)
if at then
  json = string.sub(json, 1, at - 1) .. rv .. string.sub(json, at + string.len(ARGV[4]))
end

local eventType
if op == 'create' then
  eventType = 'ADDED'
  redis.call('HSET', KEYS[1], field, rv .. ' ' .. json)
elseif op == 'update' then
  eventType = 'MODIFIED'
  redis.call('HSET', KEYS[1], field, rv .. ' ' .. json)
else
  eventType = 'DELETED'
  redis.call('HDEL', KEYS[1], field)
end

redis.call('XADD', KEYS[3], 'MAXLEN', '=', ARGV[6], rv .. '-0', 't', eventType, 'o', json, 'ts', ARGV[7])
return {'ok', rv}
