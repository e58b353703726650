"""What every mailbox client returns, and the limits and checks they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from domain.mail.filters import allowed

MAX_MESSAGE_BYTES = 10 * 1024 * 1024  # confirmations with PDF tickets stay well under this
LOOKBACK_DAYS = 30  # how far back a first poll, or one whose sync position expired, looks
MAX_MESSAGES = 100  # fetched per poll; the rest wait for the next poll


@dataclass(frozen=True)
class MailMessage:
    """One wanted message: ``raw`` RFC 822 bytes for the extractor, or None with ``skipped`` saying why."""

    ref: str  # the provider's ID for it ("<uidvalidity>:<uid>" for IMAP)
    size: int | None  # bytes; None when a download passed the limit before the server said how large
    raw: bytes | None = field(default=None, repr=False)
    skipped: str | None = None


class MailboxClient(Protocol):
    provider: str

    async def fetch_new(self, state: dict | None) -> tuple[list[MailMessage], dict]:
        """Messages from allowed senders that arrived since ``state``, and the state to pass next time."""
        ...


def wanted(from_header: str | None, filters: dict) -> bool:
    """Whether a message with this From header is ours to read (the server-side search is only a first cut)."""
    return bool(from_header) and allowed(from_header, filters)


def too_large(size: int, max_bytes: int) -> str | None:
    """The skip reason for a message over the limit, or None."""
    return f"too-large: {size} bytes > {max_bytes}" if size > max_bytes else None


def over_limit(max_bytes: int) -> str:
    """The skip reason for a message whose download passed the limit before its size was known."""
    return f"too-large: over {max_bytes} bytes"


def lookback_start(now: float, days: int = LOOKBACK_DAYS) -> datetime:
    return datetime.fromtimestamp(now, UTC) - timedelta(days=days)
