// The history's atomic steps in Redis, each one script so that instances never interleave.

/**
 * Writes a row merged by the relay, only if the stored row is still at the version it was
 * merged from (`''`: none yet): the row, its place in the time, expiry and filter indexes,
 * and the chart counts it moves from its old quarter-hour field to its new one.
 *
 * KEYS: row, time index, expiry index, then old and new target, state and source indexes,
 * old and new counts hash. ARGV: expected version, row JSON, id, requested at, keep until,
 * whether counts move ('1'), old counts field ('' for none), minus old reported and ms, new
 * counts field, new reported, new ms.
 */
export const HISTORY_WRITE = `
local stored = redis.call('HGET', KEYS[1], 'v')
if (stored or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tostring((tonumber(stored) or 0) + 1), 'row', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[3])
if stored then
  redis.call('ZREM', KEYS[4], ARGV[3])
  redis.call('ZREM', KEYS[6], ARGV[3])
  redis.call('ZREM', KEYS[8], ARGV[3])
end
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[3])
redis.call('ZADD', KEYS[7], ARGV[4], ARGV[3])
redis.call('ZADD', KEYS[9], ARGV[4], ARGV[3])
if ARGV[6] == '1' then
  if ARGV[7] ~= '' then
    redis.call('HINCRBY', KEYS[10], ARGV[7] .. '|n', -1)
    redis.call('HINCRBY', KEYS[10], ARGV[7] .. '|r', ARGV[8])
    redis.call('HINCRBY', KEYS[10], ARGV[7] .. '|ms', ARGV[9])
  end
  redis.call('HINCRBY', KEYS[11], ARGV[10] .. '|n', 1)
  redis.call('HINCRBY', KEYS[11], ARGV[10] .. '|r', ARGV[11])
  redis.call('HINCRBY', KEYS[11], ARGV[10] .. '|ms', ARGV[12])
  local ttl = redis.call('PEXPIRETIME', KEYS[11])
  if ttl < tonumber(ARGV[5]) then redis.call('PEXPIREAT', KEYS[11], ARGV[5]) end
end
return 1`;

/**
 * Forgets up to ARGV[3] rows whose time is up (ARGV[2], epoch ms), with their index
 * entries. KEYS: the expiry and time indexes. ARGV[1]: the key prefix.
 */
export const HISTORY_PRUNE = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(expired) do
  local json = redis.call('HGET', ARGV[1] .. 'history:' .. id, 'row')
  if json then
    local row = cjson.decode(json)
    redis.call('ZREM', ARGV[1] .. 'history-by:target:' .. (row.target or ''), id)
    redis.call('ZREM', ARGV[1] .. 'history-by:state:' .. row.state, id)
    redis.call('ZREM', ARGV[1] .. 'history-by:source:' .. row.source, id)
    redis.call('DEL', ARGV[1] .. 'history:' .. id)
  end
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
return #expired`;
