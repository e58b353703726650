"""The APNs channel: Apple Push Notification service over HTTP/2 with token (ES256 JWT) authentication."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import jwt

from domain.common.retry import parse_retry_after
from domain.common.timestamps import to_utc
from domain.notify.notification import Notification
from integrations.channels.base import DeliveryResult, fingerprint, fit_utf8
from integrations.channels.errors import (
    ChannelCredentialsRejected,
    ChannelError,
    DeviceTokenInvalid,
    PermanentError,
    RetryableError,
)

log = logging.getLogger(__name__)
NAME = "apns"
PRODUCTION = "https://api.push.apple.com"
SANDBOX = "https://api.sandbox.push.apple.com"
# Apple refuses provider tokens older than an hour and throttles renewals more often than every 20 minutes.
TOKEN_LIFETIME_S = 50 * 60
PAYLOAD_LIMIT = 4096
GONE = {"BadDeviceToken", "DeviceTokenNotForTopic", "Unregistered", "ExpiredToken"}
LEVELS = {"critical": ("10", "time-sensitive"), "major": ("10", "active"), "info": ("5", "passive")}


@dataclass(frozen=True)
class ApnsConfig:
    team_id: str
    key_id: str
    private_key: str = field(repr=False)  # the .p8 signing key (PEM, P-256)
    topic: str  # the app's bundle ID
    base_url: str = PRODUCTION
    timeout_s: float = 10.0


class ProviderToken:
    """The ES256 JWT APNs wants as bearer token, signed once and reused for most of its hour."""

    def __init__(self, config: ApnsConfig, clock: Callable[[], float]) -> None:
        self.config = config
        self.clock = clock
        self._token: str | None = None
        self._issued_at = 0.0

    def get(self) -> str:
        if self._token is None or self.clock() - self._issued_at >= TOKEN_LIFETIME_S:
            self._issued_at = self.clock()
            self._token = jwt.encode({"iss": self.config.team_id, "iat": int(self._issued_at)},
                                     self.config.private_key, algorithm="ES256", headers={"kid": self.config.key_id})
        return self._token

    def renew(self) -> None:
        self._token = None


class ApnsChannel:
    """Sends each notification to the iOS device whose APNs token is ``target["token"]``.

    ``client`` must speak HTTP/2 (``httpx.AsyncClient(http2=True)``): APNs accepts nothing else.
    """

    name = NAME

    def __init__(self, client: httpx.AsyncClient, config: ApnsConfig, *, clock: Callable[[], float] = time.time):
        self.client = client
        self.config = config
        self.token = ProviderToken(config, clock)

    async def send(self, notification: Notification) -> DeliveryResult:
        device = notification.target.get("token")
        if not device:
            raise PermanentError("apns: the notification has no device token", channel=NAME, reason="no-target")
        body = json.dumps(payload(notification), ensure_ascii=False, separators=(",", ":")).encode()
        response = await self._post(device, notification, body)
        if response.status_code == 403 and _reason(response) == "ExpiredProviderToken":
            self.token.renew()
            response = await self._post(device, notification, body)
        if response.status_code == 200:
            log.info("apns: sent %s to %s", notification.notification_id, fingerprint(device))
            return DeliveryResult(NAME, notification.notification_id, response.headers.get("apns-id"), 200)
        error = _error(response)
        if isinstance(error, DeviceTokenInvalid):
            log.info("apns: token %s is no longer valid (%s)", fingerprint(device), error.reason)
        raise error

    async def _post(self, device: str, notification: Notification, body: bytes) -> httpx.Response:
        try:
            return await self.client.post(f"{self.config.base_url}/3/device/{device}", content=body,
                                          headers=self._headers(notification), timeout=self.config.timeout_s)
        except httpx.HTTPError as exc:  # timeouts, refused connections, broken streams
            raise RetryableError(f"apns: {type(exc).__name__}", channel=NAME, reason="connection") from None

    def _headers(self, notification: Notification) -> dict[str, str]:
        priority, _ = LEVELS.get(notification.severity, LEVELS["major"])
        expires = to_utc(notification.expires_at)
        return {
            "authorization": f"bearer {self.token.get()}",
            "apns-topic": self.config.topic,
            "apns-push-type": "alert",
            "apns-priority": priority,
            "apns-expiration": str(int(expires.timestamp())),
            "apns-collapse-id": _collapse_id(notification.reservation_id),
            "apns-id": notification.notification_id,  # a UUID, as APNs requires
        }


def payload(notification: Notification) -> dict:
    """The alert, grouped by trip, with the app's data; the body is cut so the whole stays under 4 KB."""
    _, level = LEVELS.get(notification.severity, LEVELS["major"])
    body = notification.summary
    while True:
        aps = {"alert": {"title": notification.title, "body": body}, "thread-id": notification.reservation_id,
               "interruption-level": level}
        if level != "passive":
            aps["sound"] = "default"
        data = {"aps": aps, **notification.data()}
        size = len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
        if size <= PAYLOAD_LIMIT or not body:
            return data
        body = fit_utf8(body, len(body.encode()) - (size - PAYLOAD_LIMIT) - 16)


def _collapse_id(reservation_id: str) -> str:
    # At most 64 bytes: a long ID is replaced by its digest, which still names one trip.
    if len(reservation_id.encode()) <= 64:
        return reservation_id
    return hashlib.sha256(reservation_id.encode()).hexdigest()


def _reason(response: httpx.Response) -> str:
    try:
        return str(response.json().get("reason", ""))
    except (ValueError, AttributeError):
        return ""


def _error(response: httpx.Response) -> ChannelError:
    status, reason = response.status_code, _reason(response)
    text = f"apns: {status} {reason}".strip()
    if reason in GONE or status == 410:
        return DeviceTokenInvalid(text, channel=NAME, reason=reason or "Unregistered", status=status)
    if status == 403:
        return ChannelCredentialsRejected(text, channel=NAME, reason=reason or "Forbidden", status=status)
    if status == 429 or status >= 500:
        return RetryableError(text, channel=NAME, reason=reason or "unavailable", status=status,
                              retry_after=parse_retry_after(response.headers.get("retry-after"), time.time()))
    return PermanentError(text, channel=NAME, reason=reason or "rejected", status=status)
