-- Claims one member of an allocation range (a service cluster IP or node port) atomically, so two
-- API servers on one Redis never hand out the same value. The allocation hash lives in the
-- services' hash slot ({core/services}).
--
-- KEYS[1] allocation hash (field = member, value = "<namespace>/<name> <claimed epoch millis>")
-- ARGV[1] owner: "<namespace>/<name>"
-- ARGV[2] claim time in epoch millis
-- ARGV[3] "member" to claim ARGV[4] exactly, or "any" to claim the first free member from a
--         random start offset
-- ARGV[4] the member (for "member"), or the range kind "ipv4" | "port" (for "any")
-- ARGV[5] range base as a number (for "any")
-- ARGV[6] range size (for "any")
-- ARGV[7] start offset (for "any")
--
-- Returns {"ok", member} or {"taken"} / {"full"}.
local value = ARGV[1] .. ' ' .. ARGV[2]
if ARGV[3] == 'member' then
  if redis.call('HSETNX', KEYS[1], ARGV[4], value) == 1 then
    return {'ok', ARGV[4]}
  end
  local holder = redis.call('HGET', KEYS[1], ARGV[4])
  if holder and string.match(holder, '^(%S+)') == ARGV[1] then
    -- Already ours (a retried write): keep it.
    return {'ok', ARGV[4]}
  end
  return {'taken'}
end

local kind = ARGV[4]
local base = tonumber(ARGV[5])
local size = tonumber(ARGV[6])
local start = tonumber(ARGV[7])
for i = 0, size - 1 do
  local v = base + ((start + i) % size)
  local member
  if kind == 'ipv4' then
    member = string.format('%d.%d.%d.%d', math.floor(v / 16777216) % 256,
      math.floor(v / 65536) % 256, math.floor(v / 256) % 256, v % 256)
  else
    member = string.format('%d', v)
  end
  if redis.call('HSETNX', KEYS[1], member, value) == 1 then
    return {'ok', member}
  end
end
return {'full'}
