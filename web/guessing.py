"""Slowing down token guessing on the routes a token alone opens (/t/ links, /calendar/ feeds): a token
bucket of misses per client IP, in this worker's memory.

Only failed lookups (a 404) take from the bucket, so a holder of a good link is never slowed down; a client
out of misses is answered 429 with Retry-After before its request is looked up at all. Per worker: behind a
load balancer each worker counts alone, which multiplies the allowance by the number of workers. That is
acceptable because the tokens carry 256 random bits: the limiter keeps logs and workers quiet, not the
tokens safe, which no guessing rate could threaten.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from aiohttp import web

from web.problems import problem
from web.routing import was_forwarded

GUARDED_PREFIXES = ("/t/", "/calendar/")
MISSES, PER_S = 30, 60.0   # 30 misses at once, then one more every 2 seconds
MAX_CLIENTS = 100_000      # bounds the memory an address-rotating client can take


class GuessLimiter:
    """A token bucket of misses for each client: ``capacity`` at most, refilled at ``capacity / per_s`` a second."""

    def __init__(self, capacity: int = MISSES, per_s: float = PER_S, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = MAX_CLIENTS) -> None:
        self.capacity, self.rate, self.clock, self.max_clients = capacity, capacity / per_s, clock, max_clients
        self.buckets: dict[str, tuple[float, float]] = {}   # client -> (misses left, when counted)

    def retry_after(self, client: str) -> int | None:
        """Seconds until ``client`` may try again, or None while it has a miss left."""
        left = self._left(client)
        return None if left >= 1 else math.ceil((1 - left) / self.rate)

    def miss(self, client: str) -> None:
        """One failed lookup by ``client``."""
        left = self._left(client) - 1
        self.buckets.pop(client, None)   # re-inserted last: the oldest entries are the first to go
        self.buckets[client] = (left, self.clock())
        while len(self.buckets) > self.max_clients:
            del self.buckets[next(iter(self.buckets))]

    def _left(self, client: str) -> float:
        left, at = self.buckets.get(client, (self.capacity, self.clock()))
        return min(self.capacity, left + (self.clock() - at) * self.rate)


limiter = GuessLimiter()


@web.middleware
async def guessing_middleware(request: web.Request, handler):
    """Counts the misses of the client that reached us; a request forwarded by another worker was counted there."""
    if not request.path.startswith(GUARDED_PREFIXES) or was_forwarded(request):
        return await handler(request)
    client = request.remote or "unknown"
    wait = limiter.retry_after(client)
    if wait is not None:
        return problem(429, "too-many-misses", "Too many unknown links from this address; try again later.",
                       headers={"Retry-After": str(wait)})
    response = await handler(request)
    if response.status == 404:
        limiter.miss(client)
    return response
