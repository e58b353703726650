"""What every channel shares: the delivery result, the channel protocol, and log-safe names for targets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.common.timestamps import to_utc
from domain.notify.notification import Notification


@dataclass(frozen=True)
class DeliveryResult:
    """A notification the provider accepted, with the provider's own ID for it where it gives one."""

    channel: str
    notification_id: str
    provider_id: str | None = None
    status: int | None = None


class Channel(Protocol):
    name: str

    async def send(self, notification: Notification) -> DeliveryResult: ...


def fingerprint(value: str) -> str:
    """A short stable stand-in for a token or address, for log lines that must not carry the real one."""
    return hashlib.sha256(value.encode()).hexdigest()[:12]


def ttl_seconds(notification: Notification, now: datetime) -> int:
    """Seconds until the notification stops mattering (0 when it already has)."""
    return max(0, int((to_utc(notification.expires_at) - now).total_seconds()))


def fit_utf8(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes on a character boundary, with an ellipsis when cut."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: max(0, limit - 3)].decode(errors="ignore") + "…"
