"""A server's Retry-After header in seconds, pure (the caller gives ``now``), for every HTTP client we run."""

from __future__ import annotations

from datetime import UTC
from email.utils import parsedate_to_datetime

from domain.common.numbers import whole_number


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
