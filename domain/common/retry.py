"""When to try again, for provider calls, mailbox polls and deliveries: jittered backoff and Retry-After.

No retry library (tenacity, backoff): they run a loop that sleeps in the process, while a mailbox poll and
a delivery are retried later, at a due time the poller or the delivery ledger keeps, and need only "how
long"; the provider loop asks its breaker and quota before every attempt, so a library's loop would save
no code there either. Pure: the caller gives ``now`` and the randomness.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from email.utils import parsedate_to_datetime

from domain.common.numbers import whole_number


def backoff(retry: int, rand: Callable[[], float], *, base_s: float = 1.0, cap_s: float = 300.0,
            jitter: float = 1.0) -> float:
    """Seconds to wait before retry number ``retry`` (0 is the first): ``base_s * 2**retry`` up to ``cap_s``,
    the top ``jitter`` share of it random, so failures that happened together do not retry together.

    ``jitter=1`` is AWS's "full jitter", uniform in [0, ceiling): it spreads a crowd of retries best;
    ``jitter=0.2`` keeps them within 20% below the doubling schedule. ``rand`` returns a float in
    [0, 1), e.g. ``random.Random(seed).random``.
    """
    ceiling = min(cap_s, base_s * 2.0 ** min(max(retry, 0), 64))
    return ceiling * (1 - jitter + jitter * rand())


def retry_delay(retry: int, rand: Callable[[], float], retry_after_s: float | None = None, *,
                base_s: float = 1.0, cap_s: float = 300.0, jitter: float = 1.0) -> float:
    """The wait before retrying: the backoff, or the server's Retry-After when that asks for longer."""
    delay = backoff(retry, rand, base_s=base_s, cap_s=cap_s, jitter=jitter)
    return max(delay, retry_after_s) if retry_after_s is not None else delay


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP-date (RFC 9110 10.2.3), ``now``
    being seconds since the epoch. None for a missing or malformed header; a date in the past means 0.
    """
    if value is None:
        return None
    text = value.strip()
    seconds = whole_number(text)
    if seconds is not None:
        return float(seconds)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # asctime dates carry no zone; HTTP dates are GMT
    return max(0.0, moment.timestamp() - now)
