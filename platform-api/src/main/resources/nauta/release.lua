-- Releases allocation members (service cluster IPs or node ports), each only if still held by the
-- given owner and that owner's service (if it exists) no longer refers to it, so a release racing
-- with a write of the same service, or the repair loop, never frees a value in use.
--
-- KEYS[1] allocation hash (field = member, value = "<namespace>/<name> <claimed epoch millis>")
-- KEYS[2] the services' objects hash (field = <namespace>/<name>, value = "<rv> <json>")
-- ARGV[1] owner "<namespace>/<name>"
-- ARGV[2] "ip" or "port": how the member appears in the service's JSON
-- ARGV[3..] members
--
-- Returns {number of members released}.
--
-- The service is decoded and its fields compared exactly: a substring search would take node port
-- 3000 for in use when the service holds 30001, or an IP for in use when an annotation mentions it.
local released = 0
local stored = redis.call('HGET', KEYS[2], ARGV[1])
local spec = nil
local unreadable = false
if stored then
  local ok, service = pcall(cjson.decode, string.match(stored, '^%S+ (.*)$') or '')
  if ok and type(service) == 'table' and type(service.spec) == 'table' then
    spec = service.spec
  else
    -- Cannot tell what it refers to: keep everything; the repair loop decides later.
    unreadable = true
  end
end

local function refers(member)
  if unreadable then
    return true
  end
  if not spec then
    return false
  end
  if ARGV[2] == 'ip' then
    if spec.clusterIP == member then
      return true
    end
    if type(spec.clusterIPs) == 'table' then
      for _, ip in ipairs(spec.clusterIPs) do
        if ip == member then
          return true
        end
      end
    end
    return false
  end
  if type(spec.ports) == 'table' then
    for _, port in ipairs(spec.ports) do
      if type(port) == 'table' and type(port.nodePort) == 'number'
          and string.format('%d', port.nodePort) == member then
        return true
      end
    end
  end
  return false
end

for i = 3, #ARGV do
  local member = ARGV[i]
  local holder = redis.call('HGET', KEYS[1], member)
  if holder and string.match(holder, '^(%S+)') == ARGV[1] then
    if not refers(member) then
      redis.call('HDEL', KEYS[1], member)
      released = released + 1
    end
  end
end
return {released}
