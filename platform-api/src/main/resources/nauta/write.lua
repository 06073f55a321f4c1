-- One write to one resource type, atomically: check the precondition, take the next
-- resourceVersion, append the watch event to the type's stream with the explicit ID <rv>-0, then
-- store the object. Every key lives in the type's hash slot ({<group>/<resource>}).
--
-- KEYS[1] objects hash (field = <namespace>/<name>); see "Where the resourceVersion is" below
-- KEYS[2] resourceVersion counter
-- KEYS[3] event stream
-- KEYS[4] the type's epoch (made here when missing: Redis lost or never had this type's data)
-- KEYS[5] the write id of the newest event
-- KEYS[6] this write's outcome, kept for a while under its write id
-- KEYS[7] sealed values' resourceVersions (field = <namespace>/<name>, value = rv)
-- ARGV[1] operation: create | update | delete
-- ARGV[2] hash field
-- ARGV[3] the value: object JSON whose metadata.resourceVersion is the placeholder ARGV[4], or
--         the object's sealed bytes ("k8s:enc:...")
-- ARGV[4] placeholder text replaced by the new resourceVersion; empty for an encrypted value,
--         whose resourceVersion the reader adds (the script cannot see inside it)
-- ARGV[5] expected current resourceVersion for update/delete ("" = any)
-- ARGV[6] stream length to keep (exact trim)
-- ARGV[7] event timestamp in epoch millis (for time-based trimming)
-- ARGV[8] write id: unique per write, the same when the same write is sent again
-- ARGV[9] a fresh epoch, used only when KEYS[4] is missing
-- ARGV[10] how long the outcome stays under KEYS[6], in seconds
--
-- Returns {"ok", rv} or {"exists"} / {"notfound"} / {"conflict", currentRv}.
--
-- Where the resourceVersion is: a plaintext value is stored as "<rv> <json>". A sealed value (one
-- that starts with "k8s:enc:", as Kubernetes writes it to etcd) is stored as exactly those bytes,
-- so that redis-cli shows what Kubernetes would, and its resourceVersion is the same field of
-- KEYS[7], written by this same script (one slot, one atomic write): the two never disagree. A
-- plaintext JSON value starts with '{', so the value itself says which form it is in. Values sealed
-- before this layout ("<rv> k8s:enc:...") start with their rv and are read as plaintext ones are;
-- their next write stores them in the new form.

-- The same write sent again (a client that re-sends unanswered commands after a reconnect): it
-- already ran, so answer what it answered then instead of running it twice.
local done = redis.call('GET', KEYS[6])
if done then
  return {'ok', done}
end

local op = ARGV[1]
local field = ARGV[2]
local current = redis.call('HGET', KEYS[1], field)
local SEALED = 'k8s:enc:'

local function isSealed(value)
  return string.sub(value, 1, string.len(SEALED)) == SEALED
end

if op == 'create' then
  if current then
    return {'exists'}
  end
else
  if not current then
    return {'notfound'}
  end
  local currentRv
  if isSealed(current) then
    currentRv = redis.call('HGET', KEYS[7], field)
  else
    currentRv = string.match(current, '^(%d+) ')
  end
  if ARGV[5] ~= '' and ARGV[5] ~= currentRv then
    return {'conflict', currentRv or ''}
  end
end

local rv = tostring((tonumber(redis.call('GET', KEYS[2])) or 0) + 1)
local json = ARGV[3]
local at = nil
if ARGV[4] ~= '' then
  at = string.find(json, ARGV[4], 1, true)
end
if at then
  json = string.sub(json, 1, at - 1) .. rv .. string.sub(json, at + string.len(ARGV[4]))
end

local eventType = 'MODIFIED'
if op == 'create' then
  eventType = 'ADDED'
elseif op == 'delete' then
  eventType = 'DELETED'
end

local epoch = redis.call('GET', KEYS[4]) or ARGV[9]
local previous = redis.call('GET', KEYS[5]) or ''

-- The event goes first: Redis does not roll a script back, so the first command that changes
-- anything must be the one that can fail (a stream whose last ID is not below <rv>-0, or memory
-- full). If it fails, nothing has changed and the caller gets the error.
redis.call('XADD', KEYS[3], 'MAXLEN', '=', ARGV[6], rv .. '-0', 't', eventType, 'o', json,
  'ts', ARGV[7], 'e', epoch, 'w', ARGV[8], 'p', previous, 'k', field)

redis.call('SET', KEYS[2], rv)
redis.call('SET', KEYS[4], epoch)
redis.call('SET', KEYS[5], ARGV[8])
if op == 'delete' then
  redis.call('HDEL', KEYS[1], field)
  redis.call('HDEL', KEYS[7], field)
elseif isSealed(json) then
  redis.call('HSET', KEYS[1], field, json)
  redis.call('HSET', KEYS[7], field, rv)
else
  redis.call('HSET', KEYS[1], field, rv .. ' ' .. json)
  -- It may have been sealed before (encryption turned off, or an identity-first configuration).
  redis.call('HDEL', KEYS[7], field)
end
redis.call('SET', KEYS[6], rv, 'EX', ARGV[10])
return {'ok', rv}
