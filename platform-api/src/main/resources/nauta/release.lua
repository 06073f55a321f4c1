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
local released = 0
local service = redis.call('HGET', KEYS[2], ARGV[1])
for i = 3, #ARGV do
  local member = ARGV[i]
  local holder = redis.call('HGET', KEYS[1], member)
  if holder and string.match(holder, '^(%S+)') == ARGV[1] then
    local inUse = false
    if service then
      if ARGV[2] == 'ip' then
        inUse = string.find(service, '"' .. member .. '"', 1, true) ~= nil
      else
        inUse = string.find(service, '"nodePort":' .. member, 1, true) ~= nil
      end
    end
    if not inUse then
      redis.call('HDEL', KEYS[1], member)
      released = released + 1
    end
  end
end
return {released}
