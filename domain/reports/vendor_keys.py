"""Vendor-month keys: which vendor a tracking subject belongs to, and the UTC month of an instant."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import unquote

KINDS = {"flight": "airline", "hotel": "hotel", "car": "car"}


def vendor_of(subject: str) -> tuple[str, str] | None:
    """(kind, vendor): the flight's carrier, or the hotel's or car company's provider; None for anything else."""
    parts = subject.split("/") if isinstance(subject, str) else []
    if len(parts) < 3 or parts[0] not in KINDS or not parts[1]:
        return None
    return KINDS[parts[0]], unquote(parts[1])


def month_of(moment: float | str) -> str:
    """``YYYY-MM`` of an epoch second or an ISO instant, in UTC."""
    if isinstance(moment, str):
        when = datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC)
    else:
        when = datetime.fromtimestamp(moment, UTC)
    return f"{when.year:04d}-{when.month:02d}"


def row_key(kind: str, vendor: str, month: str) -> str:
    return f"{kind}/{vendor}/{month}"


def api_key(provider: str, month: str) -> str:
    return f"api/{provider}/{month}"


def split_key(key: str) -> tuple[str, str, str]:
    """(kind, vendor, month) of a row key or (\"api\", provider, month) of an API key; the vendor may hold "/"."""
    kind, rest = key.split("/", 1)
    vendor, month = rest.rsplit("/", 1)
    return kind, vendor, month


def month_end(month: str) -> float:
    """Epoch seconds when ``month`` ends (the first instant of the next one, UTC)."""
    year, number = int(month[:4]), int(month[5:7])
    year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return datetime(year, number, 1, tzinfo=UTC).timestamp()


def valid_month(text: object) -> bool:
    """Whether ``text`` is a ``YYYY-MM`` month between 1900 and 2200."""
    if not isinstance(text, str) or len(text) != 7 or text[4] != "-":
        return False
    try:
        return 1900 <= int(text[:4]) <= 2200 and 1 <= int(text[5:]) <= 12
    except ValueError:
        return False
