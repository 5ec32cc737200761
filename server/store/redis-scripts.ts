/**
 * The Lua scripts behind the Redis store. Each runs atomically in Redis, which is what makes
 * a rule hold across instances: a compare-and-set of a session's state (one agent wins a
 * race), a de-duplicated, capped append, socket counts that forget dead instances, and a
 * token bucket every instance draws from.
 */

/** KEYS: session, live set. ARGV: expected version, state JSON, live (1/0), id, ttl ms. */
export const PUT_STATE = `
local v = redis.call('HGET', KEYS[1], 'version')
if not v or tonumber(v) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'version', tonumber(ARGV[1]) + 1)
if ARGV[3] == '1' then redis.call('SADD', KEYS[2], ARGV[4]) else redis.call('SREM', KEYS[2], ARGV[4]) end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

/**
 * KEYS: session, messages, keys, recent, idle, order counter.
 * ARGV: id, message JSON, dedup key, max messages, now, last message, ttl ms.
 * Returns {-1} for a missing session, {0, original} for a known key, {seq} when stored.
 * The message JSON is spliced in as it came: cjson would turn an empty array into {}.
 */
export const APPEND = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local known = redis.call('HGET', KEYS[3], ARGV[3])
if known then return {0, known} end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('RPUSH', KEYS[2], '{"seq":' .. seq .. ',"key":' .. cjson.encode(ARGV[3]) .. ',"message":' .. ARGV[2] .. '}')
redis.call('HSET', KEYS[3], ARGV[3], ARGV[2])
local over = redis.call('LLEN', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  local dropped = redis.call('LRANGE', KEYS[2], 0, over - 1)
  redis.call('LTRIM', KEYS[2], over, -1)
  for _, entry in ipairs(dropped) do redis.call('HDEL', KEYS[3], cjson.decode(entry).key) end
end
local order = redis.call('INCR', KEYS[6])
redis.call('HSET', KEYS[1], 'lastActivity', ARGV[5], 'activityOrder', order, 'lastMessage', ARGV[6])
redis.call('ZADD', KEYS[4], order, ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[7]) end
return {seq}`;

/** KEYS: session, messages, keys, recent, idle, order counter. ARGV: id, now, ttl ms. */
export const TOUCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local order = redis.call('INCR', KEYS[6])
redis.call('HSET', KEYS[1], 'lastActivity', ARGV[2], 'activityOrder', order)
redis.call('ZADD', KEYS[4], order, ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[2], ARGV[1])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
return 1`;

/**
 * KEYS: the session's socket counts. ARGV: instance id, delta all, delta visitor, key
 * prefix, ttl ms. Fields are "<instance>:a" (all sockets) and "<instance>:v" (visitors);
 * an instance whose heartbeat key is gone no longer counts, and its fields are dropped.
 */
export const SOCKETS = `
if ARGV[2] ~= '0' then redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':a', ARGV[2]) end
if ARGV[3] ~= '0' then redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':v', ARGV[3]) end
local all, visitor = 0, 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local instance, kind = string.match(fields[i], '^(.*):(%a)$')
  local n = tonumber(fields[i + 1])
  if n <= 0 or (instance ~= ARGV[1] and redis.call('EXISTS', ARGV[4] .. 'instance:' .. instance) == 0) then
    redis.call('HDEL', KEYS[1], fields[i])
  elseif kind == 'a' then all = all + n
  else visitor = visitor + n end
end
if all > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
return {all, visitor}`;

/**
 * A token bucket, refilled continuously (the same rule as rate-limit.ts).
 * KEYS: the bucket. ARGV: limit, window ms, now. Returns {1, 0} or {0, retry after ms}.
 */
export const TAKE = `
local limit, window, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local perMs = limit / window
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or limit
local at = tonumber(bucket[2]) or now
tokens = math.min(limit, tokens + math.max(0, now - at) * perMs)
local ok = tokens >= 1
if ok then tokens = tokens - 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], window)
if ok then return {1, 0} end
return {0, math.ceil((1 - tokens) / perMs)}`;
