"""How fast a provider may be asked: its quota, a token bucket with an optional daily cap; given `now`."""

from __future__ import annotations

import math

DAY_S = 86_400


class Quota:
    """A provider's quota: a token bucket (``rate_per_s``, up to ``burst`` at once) and an optional daily cap.

    The daily count restarts at midnight UTC.
    """

    def __init__(self, rate_per_s: float, *, burst: float | None = None, per_day: int | None = None,
                 now: float = 0.0) -> None:
        if rate_per_s <= 0:
            raise ValueError("rate_per_s must be positive")
        self.rate_per_s = rate_per_s
        self.burst = burst if burst is not None else max(1.0, rate_per_s)
        self.per_day = per_day
        self.tokens = self.burst
        self.updated = now
        self.day = int(now // DAY_S)
        self.used_today = 0

    def _refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate_per_s)
            self.updated = now  # a clock stepping back neither refills nor rewinds
        if int(now // DAY_S) > self.day:
            self.day, self.used_today = int(now // DAY_S), 0

    def wait_s(self, now: float, n: int = 1) -> float:
        """Seconds until ``n`` requests may go; 0 means now, ``math.inf`` means never (more than allowed)."""
        if n > self.burst or (self.per_day is not None and n > self.per_day):
            return math.inf
        self._refill(now)
        if self.per_day is not None and self.used_today + n > self.per_day:
            return (self.day + 1) * DAY_S - now
        return max(0.0, (n - self.tokens) / self.rate_per_s)

    def try_acquire(self, now: float, n: int = 1) -> bool:
        """Take ``n`` requests' worth if the quota allows them now."""
        if self.wait_s(now, n) > 0:
            return False
        self.tokens -= n
        self.used_today += n
        return True
