"""The Web Push channel: an aes128gcm-encrypted message (RFC 8291) with VAPID (RFC 8292), sent via pywebpush."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import aiohttp
from py_vapid import Vapid
from pywebpush import WebPusher, WebPushException

from domain.common.retry import parse_retry_after
from domain.notify.notification import Notification
from integrations.channels.base import DeliveryResult, fingerprint, fit_utf8, ttl_seconds
from integrations.channels.errors import (
    ChannelCredentialsRejected,
    ChannelError,
    DeviceTokenInvalid,
    PermanentError,
    RetryableError,
)

log = logging.getLogger(__name__)
NAME = "webpush"
VAPID_LIFETIME_S = 12 * 3600  # push services refuse VAPID tokens valid for more than 24 hours
BODY_LIMIT = 2500  # bytes of text; the encrypted record must stay under 4096
URGENCY = {"critical": "high", "major": "normal", "info": "low"}


@dataclass(frozen=True)
class WebPushConfig:
    vapid_private_key: str = field(repr=False)  # PEM, or base64url of the raw 32-byte key or of its DER
    subject: str  # "mailto:ops@roadwarrior.example" or an https URL the push service can contact
    timeout_s: float = 10.0


class WebPushChannel:
    """Sends each notification to the browser subscription ``target["subscription"]`` ({endpoint, keys})."""

    name = NAME

    def __init__(self, session: aiohttp.ClientSession, config: WebPushConfig, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.session = session
        self.config = config
        self.clock = clock
        key = config.vapid_private_key
        self.vapid = Vapid.from_pem(key.encode()) if "-----BEGIN" in key else Vapid.from_string(key)

    async def send(self, notification: Notification) -> DeliveryResult:
        subscription = notification.target.get("subscription")
        if not isinstance(subscription, dict) or not subscription.get("endpoint"):
            raise PermanentError("webpush: the notification has no subscription", channel=NAME, reason="no-target")
        endpoint = subscription["endpoint"]
        now = datetime.fromtimestamp(self.clock(), UTC)
        try:
            pusher = WebPusher(subscription, aiohttp_session=self.session)
            response = await pusher.send_async(
                json.dumps(message(notification), ensure_ascii=False), self._headers(notification, endpoint),
                ttl=ttl_seconds(notification, now), content_encoding="aes128gcm",
                timeout=aiohttp.ClientTimeout(total=self.config.timeout_s))
        except WebPushException:  # the subscription's keys are missing or malformed: it can never work
            raise DeviceTokenInvalid("webpush: unusable subscription keys", channel=NAME, reason="bad-keys") from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RetryableError(f"webpush: {type(exc).__name__}", channel=NAME, reason="connection") from None
        if response.status in (200, 201, 202):
            log.info("webpush: sent %s to %s", notification.notification_id, fingerprint(endpoint))
            return DeliveryResult(NAME, notification.notification_id, response.headers.get("Location"),
                                  response.status)
        error = _error(response.status, parse_retry_after(response.headers.get("Retry-After"), self.clock()))
        if isinstance(error, DeviceTokenInvalid):
            log.info("webpush: subscription %s is gone", fingerprint(endpoint))
        raise error

    def _headers(self, notification: Notification, endpoint: str) -> dict[str, str]:
        parts = urlsplit(endpoint)
        claims = {"sub": self.config.subject, "aud": f"{parts.scheme}://{parts.netloc}",
                  "exp": int(self.clock()) + VAPID_LIFETIME_S}
        return {
            **self.vapid.sign(claims),
            "Urgency": URGENCY.get(notification.severity, "normal"),
            "Topic": _topic(notification.reservation_id),  # replaces an undelivered message about the same trip
        }


def message(notification: Notification) -> dict:
    """What the service worker receives once decrypted: enough to show the notification and open the trip."""
    return {"title": notification.title, "body": fit_utf8(notification.summary, BODY_LIMIT),
            "tag": notification.reservation_id, "lang": notification.locale.replace("_", "-"),
            "data": notification.data()}


def _topic(reservation_id: str) -> str:
    # RFC 8030: at most 32 characters of the URL-safe base64 alphabet.
    digest = hashlib.sha256(reservation_id.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def _error(status: int, retry_after: float | None) -> ChannelError:
    text = f"webpush: push service answered {status}"
    if status in (404, 410):
        return DeviceTokenInvalid(text, channel=NAME, reason="gone", status=status)
    if status in (401, 403):
        return ChannelCredentialsRejected(text, channel=NAME, reason="vapid-rejected", status=status)
    if status == 429 or status >= 500:
        return RetryableError(text, channel=NAME, reason="unavailable", status=status, retry_after=retry_after)
    return PermanentError(text, channel=NAME, reason="rejected", status=status)
