"""When to try a failed delivery again, and when to give up and dead-letter it (pure: no clock, no sleeps)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.common.retry import retry_delay
from integrations.channels.errors import ChannelError

BASE_S = 30.0
CAP_S = 3600.0
JITTER = 0.2      # each wait is 80-100% of the doubling schedule's
MAX_ATTEMPTS = 8  # 8 tries, 30 s, 1, 2, 4, 8, 16 and 32 min apart: about an hour of trying in all


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
    # The jitter is drawn from the key (the notification ID) and the attempt: the schedule is reproducible.
    delay = retry_delay(attempt - 1, random.Random(f"{key}/{attempt}").random, error.retry_after,
                        base_s=BASE_S, cap_s=CAP_S, jitter=JITTER)
    retry_at = now + timedelta(seconds=delay)
    if expires_at is not None and retry_at >= expires_at:
        return RetryDecision(None, True, f"expired: {reason}")
    return RetryDecision(retry_at, False, reason)
