// Atomic steps, each one script so that several relay instances never interleave.

/**
 * Saves a call, its first event, its open-legs and due entries, and notes when it last
 * changed (the catch-up reads only the calls that did).
 */
export const CREATE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local id = redis.call('XADD', KEYS[2], '*', 'event', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[4])
redis.call('ZADD', KEYS[6], ARGV[7], ARGV[4])
redis.call('PUBLISH', KEYS[5], ARGV[4])
return id`;

/**
 * Applies a change decided by the relay, only if the stored record is still at the
 * version it was decided on: the record, its event, its due entry (none once it ended,
 * and then it leaves the open-legs index too), and the claim it gives up if it holds it.
 * A call whose record is gone (expired) leaves its entries.
 */
export const UPDATE = `
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('ZREM', KEYS[3], ARGV[5])
  redis.call('ZREM', KEYS[4], ARGV[5])
  return false
end
if cjson.decode(current).version ~= tonumber(ARGV[2]) then return false end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[6])
if ARGV[4] == '' then
  redis.call('ZREM', KEYS[3], ARGV[5])
  redis.call('ZREM', KEYS[4], ARGV[5])
else
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[5])
end
if ARGV[7] == '1' then
  local claim = redis.call('GET', KEYS[5])
  if claim and string.match(claim, '^([^|]+)') == ARGV[5] then redis.call('DEL', KEYS[5]) end
end
if ARGV[3] == '' then return 1 end
local id = redis.call('XADD', KEYS[2], '*', 'event', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('ZADD', KEYS[7], ARGV[8], ARGV[5])
redis.call('PUBLISH', KEYS[6], ARGV[5])
return id`;

/**
 * Claims a number for a call until a time, unless another call holds it: answers the
 * holder. Values are `callId|until`.
 */
export const CLAIM = `
local held = redis.call('GET', KEYS[1])
if held then
  local holder, untilMs = string.match(held, '^([^|]+)|(%d+)$')
  if holder ~= ARGV[1] and tonumber(untilMs) > tonumber(ARGV[3]) then return holder end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[4])
return false`;

/** Gives a claim up if this call holds it. */
export const RELEASE = `
local held = redis.call('GET', KEYS[1])
if held and string.match(held, '^([^|]+)') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return false`;

/** Claims a key until a time unless it is claimed and not yet past its time. */
export const ONCE = `
local untilMs = redis.call('GET', KEYS[1])
if untilMs and tonumber(untilMs) > tonumber(ARGV[2]) then return false end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1`;

/**
 * Starts an idempotency key: answers 'new' after claiming it, or the stored entry (JSON
 * with \`until\`) when one is still valid.
 */
export const BEGIN = `
local json = redis.call('GET', KEYS[1])
if json and tonumber(cjson.decode(json)['until']) > tonumber(ARGV[3]) then return json end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'new'`;

/**
 * Sliding-window limits over sorted sets of hits, all or none: answers the 1-based index
 * of the rule at its limit and the milliseconds until it lifts, or nothing when every
 * rule had room and each counted the hit.
 */
export const LIMITS = `
local now = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[i * 3 - 1])
  local window = tonumber(ARGV[i * 3])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    return {i, tonumber(oldest[2]) + window - now}
  end
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[i * 3 + 1])
  redis.call('PEXPIRE', key, ARGV[i * 3])
end
return false`;

/** Takes back one hit at a time from each sorted set of hits. */
export const REFUND = `
for _, key in ipairs(KEYS) do
  local hit = redis.call('ZRANGEBYSCORE', key, ARGV[1], ARGV[1], 'LIMIT', 0, 1)
  if hit[1] then redis.call('ZREM', key, hit[1]) end
end
return false`;

/**
 * Saves a new verification (a hash of its record, attempts and used mark) until it
 * expires, and, when ARGV[3] is '1', makes it its number's current one.
 */
export const SAVE_VERIFICATION = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'record', ARGV[1], 'attempts', 0, 'used', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if ARGV[3] == '1' then redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[2]) end
return false`;

/** Counts one code tried on a verification that exists: answers the count, or 0. */
export const COUNT_ATTEMPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HINCRBY', KEYS[1], 'attempts', 1)`;

/** Marks a verification used if it exists and was not: answers 1 then, else 0. */
export const MARK_USED = `
if redis.call('HGET', KEYS[1], 'used') ~= '0' then return 0 end
redis.call('HSET', KEYS[1], 'used', 1)
return 1`;

/**
 * Takes a place in a slot (a sorted set of call ids scored by when their place lapses)
 * unless it is full: lapsed places are dropped first, a call holding a place keeps it.
 * Answers 1 when the call holds a place. The set lives as long as its longest place.
 */
export const RESERVE = `
local now = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
local ttl = math.max(tonumber(ARGV[4]) - now, 1000)
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`;

/** Counts each slot's places that have not lapsed. */
export const COUNT_SLOTS = `
local counts = {}
for i, key in ipairs(KEYS) do counts[i] = redis.call('ZCOUNT', key, '(' .. ARGV[1], '+inf') end
return counts`;
