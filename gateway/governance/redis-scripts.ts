// Lua scripts of redis-counters.ts. Redis runs a script atomically, so check-all-then-add-all
// happens in one step even with many gateway replicas, in one round trip.
//
// Argument layout is shared with redis-counters.ts; keep the two in step.

/**
 * KEYS[1]              reservation marker ("open" until settled or released)
 * KEYS[2i], KEYS[2i+1] item i: current counter, previous bucket (= current when none)
 * ARGV[1] now ms · ARGV[2] reservation id · ARGV[3] marker TTL ms · ARGV[4] item count
 * ARGV[4 + 5(i-1) + 1..5] item i: kind ("n" number | "c" concurrency), amount, limit,
 *                          TTL ms, previous-bucket weight in millionths
 * Returns {1} when reserved, {0, i, current, previous, effective} for the first failing item.
 */
export const RESERVE_SCRIPT = `
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[4])
for i = 1, n do
  local b = 4 + (i - 1) * 5
  local kind = ARGV[b + 1]
  local amount = tonumber(ARGV[b + 2])
  local limit = tonumber(ARGV[b + 3])
  local cur = 0
  local prev = 0
  local effective = 0
  if kind == "c" then
    redis.call("ZREMRANGEBYSCORE", KEYS[2 * i], "-inf", now)
    cur = redis.call("ZCARD", KEYS[2 * i])
    effective = cur
  else
    cur = tonumber(redis.call("GET", KEYS[2 * i]) or "0")
    local weight = tonumber(ARGV[b + 5])
    if weight > 0 then
      prev = tonumber(redis.call("GET", KEYS[2 * i + 1]) or "0")
    end
    effective = cur + math.floor(prev * weight / 1000000)
  end
  if effective + amount > limit then
    return {0, i, cur, prev, effective}
  end
end
for i = 1, n do
  local b = 4 + (i - 1) * 5
  local key = KEYS[2 * i]
  local ttl = tonumber(ARGV[b + 4])
  if ARGV[b + 1] == "c" then
    redis.call("ZADD", key, now + ttl, ARGV[2])
    redis.call("PEXPIRE", key, ttl)
  else
    redis.call("INCRBY", key, ARGV[b + 2])
    if redis.call("PTTL", key) < 0 then
      redis.call("PEXPIRE", key, ttl)
    end
  end
end
redis.call("SET", KEYS[1], "1", "PX", ARGV[3])
return {1}
`;

/**
 * KEYS[1]    reservation marker · KEYS[1 + i] item i's counter
 * ARGV[1] mode: "r" reserved (marker must exist; deleting it makes settle idempotent) or
 *         "d" degraded (nothing was reserved; the marker is created so a retry does nothing)
 * ARGV[2] reservation id · ARGV[3] marker TTL ms · ARGV[4] item count
 * ARGV[4 + 3(i-1) + 1..3] item i: kind ("n" | "c"), delta, TTL ms
 * Returns {1, v1, …, vn} when applied — vi is item i's counter value after settling (-1 for
 * concurrency), read in the same step so alerts need no second round trip — and {0} when
 * the reservation was already settled or released.
 */
export const SETTLE_SCRIPT = `
if ARGV[1] == "r" then
  if redis.call("DEL", KEYS[1]) == 0 then return {0} end
elseif not redis.call("SET", KEYS[1], "1", "NX", "PX", ARGV[3]) then
  return {0}
end
local n = tonumber(ARGV[4])
local after = {1}
for i = 1, n do
  local b = 4 + (i - 1) * 3
  local key = KEYS[1 + i]
  if ARGV[b + 1] == "c" then
    redis.call("ZREM", key, ARGV[2])
    after[i + 1] = -1
  else
    local delta = tonumber(ARGV[b + 2])
    if delta > 0 or (delta < 0 and redis.call("EXISTS", key) == 1) then
      local value = redis.call("INCRBY", key, delta)
      -- A release after a manual reset must not leave a negative balance.
      if value < 0 then redis.call("INCRBY", key, -value) end
      if redis.call("PTTL", key) < 0 then redis.call("PEXPIRE", key, ARGV[b + 3]) end
    end
    after[i + 1] = tonumber(redis.call("GET", key) or "0")
  end
end
return after
`;
