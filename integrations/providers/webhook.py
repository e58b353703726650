"""Provider push: HMAC-SHA256 signatures over "<timestamp>.<body>", a timestamp window and event-id dedupe."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import OrderedDict
from collections.abc import Mapping

from integrations.providers.shapes import check_snapshot, instant, text

TIMESTAMP_HEADER = "X-RW-Timestamp"
SIGNATURE_HEADER = "X-RW-Signature"
EVENT_ID_HEADER = "X-RW-Event-Id"
DEFAULT_WINDOW_S = 300
_PREFIX = "sha256="


class WebhookRejected(ValueError):
    """A push we must not act on; ``reason`` is a short slug for logs and the 401 body."""

    reason = "rejected"


class BadSignature(WebhookRejected):
    reason = "bad-signature"


class StaleTimestamp(WebhookRejected):
    reason = "stale-timestamp"


class ReplayedEvent(WebhookRejected):
    reason = "replayed-event"


def sign(secret: str | bytes, timestamp: str | int, body: bytes) -> str:
    """The X-RW-Signature value: ``sha256=`` and the hex HMAC of ``b"<timestamp>." + body``."""
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return _PREFIX + digest


def verify_signature(
    secret: str | bytes,
    timestamp: str,
    body: bytes,
    signature: str,
    now: float,
    window: float = DEFAULT_WINDOW_S,
) -> None:
    """Raise BadSignature or StaleTimestamp unless signed with ``secret`` within ``window`` s of ``now``.

    The signature is checked first, so an attacker learns nothing about the window from a forged push.
    """
    expected = sign(secret, timestamp, body)
    if not isinstance(signature, str) or not hmac.compare_digest(expected, signature.strip()):
        raise BadSignature("signature does not match")
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        raise StaleTimestamp("timestamp is not unix seconds") from None
    if abs(now - sent) > window:
        raise StaleTimestamp(f"timestamp is {now - sent:.0f}s away from now")


class ReplayGuard:
    """Remembers event ids for ``window`` seconds; older pushes are refused by the timestamp check anyway."""

    def __init__(self, window: float = DEFAULT_WINDOW_S, max_events: int = 100_000) -> None:
        self._window = window
        self._max_events = max_events
        self._seen: OrderedDict[str, float] = OrderedDict()

    def admit(self, event_id: str, now: float) -> None:
        """Record ``event_id``; ReplayedEvent if it was already admitted within the window."""
        self._forget_before(now - self._window)
        if event_id in self._seen:
            raise ReplayedEvent(f"event {event_id[:64]!r} was already received")
        self._seen[event_id] = now
        while len(self._seen) > self._max_events:
            self._seen.popitem(last=False)

    def _forget_before(self, horizon: float) -> None:
        while self._seen:
            event_id, seen_at = next(iter(self._seen.items()))
            if seen_at >= horizon:
                return
            del self._seen[event_id]


def verify_push(
    secret: str | bytes,
    headers: Mapping[str, str],
    body: bytes,
    now: float,
    guard: ReplayGuard,
    window: float = DEFAULT_WINDOW_S,
) -> dict:
    """All checks, then the event: {event_id, provider_id, subject, snapshot, changed_at}."""
    verify_signature(secret, headers.get(TIMESTAMP_HEADER, ""), body, headers.get(SIGNATURE_HEADER, ""),
                     now, window)
    event_id = headers.get(EVENT_ID_HEADER) or ""
    if not event_id:
        raise BadSignature("no event id")
    event = parse_push(body, event_id)  # the body is signed, so this binds the unsigned header to it
    guard.admit(event_id, now)
    return event


def parse_push(body: bytes, event_id: str) -> dict:
    """The pushed event, checked like a fetched snapshot; ValueError when it has the wrong shape."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("push body is not JSON") from None
    if not isinstance(payload, dict) or payload.get("event_id") != event_id:
        raise ValueError("push body does not carry the signed event id")
    snapshot = check_snapshot(payload.get("snapshot"), "snapshot")
    changed_at = instant(payload["changed_at"], "changed_at") if payload.get("changed_at") else None
    if snapshot["provider_changed_at"] is None:
        snapshot["provider_changed_at"] = changed_at
    return {
        "event_id": event_id, "provider_id": text(payload.get("provider_id"), "provider_id"),
        "subject": text(payload.get("subject"), "subject"), "snapshot": snapshot, "changed_at": changed_at,
    }
