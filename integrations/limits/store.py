"""Attempt counters: GCRA times per key, in Redis (shared by every worker) or in this worker's memory.

Both stores take a list of counters at once and admit an attempt only when every counter admits it, so the
attempt is counted everywhere or nowhere. Redis runs the check and the update as one Lua script: two workers
checking the same account at the same moment cannot both take its last attempt.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from redis import asyncio as redis

from domain.accounts.limits import Counter, gcra

PREFIX = "roadwarrior:attempts:"
MAX_KEYS = 100_000   # bounds what an address-rotating client can make one worker keep
# The clock is Redis's own (TIME), so workers whose clocks disagree still share one timeline.
_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local consume = ARGV[1] == '1'
local wait, next_tats = 0, {}
for i, key in ipairs(KEYS) do
  local burst, every = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local start = math.max(tonumber(redis.call('GET', key) or now), now)
  local allowed_at = start - (burst - 1) * every
  if now < allowed_at then wait = math.max(wait, allowed_at - now) end
  next_tats[i] = start + every
end
if consume and wait == 0 then
  for i, key in ipairs(KEYS) do
    redis.call('SET', key, string.format('%.6f', next_tats[i]), 'PX', math.ceil((next_tats[i] - now) * 1000))
  end
end
return string.format('%.6f', wait)
"""


class RedisAttempts:
    """Counters every worker shares; raises RedisError/OSError when Redis cannot answer (the caller decides)."""

    def __init__(self, client: redis.Redis, prefix: str = PREFIX) -> None:
        self.client, self.prefix = client, prefix
        self._script = client.register_script(_SCRIPT)

    async def take(self, counters: Sequence[Counter], *, consume: bool) -> float:
        """Seconds to wait before an attempt (0: allowed); ``consume`` counts an allowed attempt."""
        args = ["1" if consume else "0"]
        for counter in counters:
            args += [str(counter.rate.burst), repr(counter.rate.every_s)]
        return float(await self._script(keys=[self.prefix + c.key for c in counters], args=args))

    async def clear(self, keys: Sequence[str]) -> None:
        if keys:
            await self.client.delete(*(self.prefix + key for key in keys))

    async def close(self) -> None:
        await self.client.aclose()


class MemoryAttempts:
    """The same counters in this worker alone: a single worker without Redis (the dev stack, unit tests)."""

    def __init__(self, clock: Callable[[], float] = time.time, max_keys: int = MAX_KEYS) -> None:
        self.clock, self.max_keys = clock, max_keys
        self.tats: dict[str, float] = {}

    async def take(self, counters: Sequence[Counter], *, consume: bool) -> float:
        now = self.clock()
        outcomes = [gcra(self.tats.get(c.key), now, c.rate) for c in counters]
        wait = max((w for _, w in outcomes), default=0.0)
        if consume and wait == 0:
            for counter, (tat, _) in zip(counters, outcomes, strict=True):
                self.tats.pop(counter.key, None)   # re-inserted last: the oldest keys are the first to go
                self.tats[counter.key] = tat
            while len(self.tats) > self.max_keys:
                del self.tats[next(iter(self.tats))]
        return wait

    async def clear(self, keys: Sequence[str]) -> None:
        for key in keys:
            self.tats.pop(key, None)

    async def close(self) -> None:
        return None


def store_for(redis_url: str | None) -> RedisAttempts | MemoryAttempts:
    """Redis when a URL is configured, else this worker's memory."""
    if not redis_url:
        return MemoryAttempts()
    return RedisAttempts(redis.from_url(redis_url, socket_timeout=1.0, socket_connect_timeout=1.0))
