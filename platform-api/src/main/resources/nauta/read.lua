-- One object's stored value and, if it is sealed, its resourceVersion, read together: the two live
-- in two hashes (see write.lua), and reading them with two commands could pair a value with the
-- version of a later write, which would let an update based on stale data pass its precondition.
--
-- KEYS[1] objects hash
-- KEYS[2] sealed values' resourceVersions
-- ARGV[1] hash field (<namespace>/<name>)
--
-- Returns {} when there is no such object, else {value, rv} where rv is "" for a value that
-- carries its own ("<rv> <json>").
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then
  return {}
end
if string.sub(value, 1, 8) ~= 'k8s:enc:' then
  return {value, ''}
end
return {value, redis.call('HGET', KEYS[2], ARGV[1]) or ''}
