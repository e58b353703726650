"""When to try a failed delivery again, and when to give up and dead-letter it (pure: no clock, no sleeps)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from integrations.channels.errors import ChannelError

BASE_S = 30.0
FACTOR = 2.0
CAP_S = 3600.0
JITTER = 0.2
MAX_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 32, 60 min: about two hours of trying in all


def backoff(attempt: int, key: str = "", *, base: float = BASE_S, factor: float = FACTOR, cap: float = CAP_S,
            jitter: float = JITTER) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1 = the first try failed).

    Exponential up to ``cap``, spread by ±``jitter`` so retries of many notifications don't land
    together. The spread comes from ``key`` (say, the notification ID), so the schedule is reproducible.
    """
    delay = min(cap, base * factor ** (max(attempt, 1) - 1))
    digest = hashlib.sha256(f"{key}/{attempt}".encode()).digest()
    spread = (int.from_bytes(digest[:4], "big") / 0xFFFFFFFF) * 2 - 1  # in [-1, 1]
    return min(cap, delay * (1 + jitter * spread))


@dataclass(frozen=True)
class RetryDecision:
    """Either retry at ``retry_at``, or dead-letter with ``reason``."""

    retry_at: datetime | None
    dead_letter: bool
    reason: str


def next_step(error: ChannelError, attempt: int, now: datetime, key: str = "", *,
              expires_at: datetime | None = None, max_attempts: int = MAX_ATTEMPTS) -> RetryDecision:
    """What to do after ``attempt`` failed with ``error``: a permanent error or the last attempt dead-letters.

    A provider's Retry-After wins when it asks for longer than our schedule; a retry that would land
    after the notification expires is pointless, so that dead-letters too.
    """
    reason = error.reason or type(error).__name__
    if not error.retryable:
        return RetryDecision(None, True, reason)
    if attempt >= max_attempts:
        return RetryDecision(None, True, f"gave up after {attempt} attempts: {reason}")
    delay = max(backoff(attempt, key), error.retry_after or 0.0)
    retry_at = now + timedelta(seconds=delay)
    if expires_at is not None and retry_at >= expires_at:
        return RetryDecision(None, True, f"expired: {reason}")
    return RetryDecision(retry_at, False, reason)
