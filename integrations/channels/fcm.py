"""The FCM channel: Firebase Cloud Messaging HTTP v1, authorised by a service account's OAuth2 token."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp

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
from integrations.channels.google_auth import FCM_SCOPE, AccessTokens, ServiceAccount

log = logging.getLogger(__name__)
NAME = "fcm"
FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
# FCM codes meaning this token will never reach a device again (SENDER_ID_MISMATCH: it belongs to another app).
GONE = {"UNREGISTERED", "SENDER_ID_MISMATCH"}
BODY_LIMIT = 2000  # bytes; the whole message must stay under FCM's 4 KB


@dataclass(frozen=True)
class FcmConfig:
    project_id: str
    account: ServiceAccount
    api_base: str = "https://fcm.googleapis.com"
    timeout_s: float = 10.0


class FcmChannel:
    """Sends each notification to the Android (or any FCM) device whose registration token is ``target["token"]``."""

    name = NAME

    def __init__(self, session: aiohttp.ClientSession, config: FcmConfig, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.session = session
        self.config = config
        self.clock = clock
        self.tokens = AccessTokens(session, config.account, FCM_SCOPE, channel=NAME, timeout_s=config.timeout_s,
                                   clock=clock)

    async def send(self, notification: Notification) -> DeliveryResult:
        device = notification.target.get("token")
        if not device:
            raise PermanentError("fcm: the notification has no device token", channel=NAME, reason="no-target")
        body = message(notification, device, datetime.fromtimestamp(self.clock(), UTC))
        status, answer, retry_after = await self._post(body)
        if status == 401:  # the access token lapsed early or was revoked: one more go with a fresh one
            self.tokens.invalidate()
            status, answer, retry_after = await self._post(body)
        if status == 200:
            log.info("fcm: sent %s to %s", notification.notification_id, fingerprint(device))
            return DeliveryResult(NAME, notification.notification_id, answer.get("name"), status)
        error = _error(status, answer, retry_after)
        if isinstance(error, DeviceTokenInvalid):
            log.info("fcm: token %s is no longer valid", fingerprint(device))
        raise error

    async def _post(self, body: dict) -> tuple[int, dict, float | None]:
        url = f"{self.config.api_base}/v1/projects/{self.config.project_id}/messages:send"
        headers = {"Authorization": f"Bearer {await self.tokens.get()}"}
        try:
            async with self.session.post(url, json=body, headers=headers,
                                         timeout=aiohttp.ClientTimeout(total=self.config.timeout_s)) as response:
                raw = await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RetryableError(f"fcm: {type(exc).__name__}", channel=NAME, reason="connection") from None
        return response.status, _json(raw), parse_retry_after(response.headers.get("Retry-After"), self.clock())


def message(notification: Notification, device: str, now: datetime) -> dict:
    """The HTTP v1 request body: the visible notification, the app's data, and Android delivery options."""
    urgent = notification.severity in ("critical", "major")
    return {"message": {
        "token": device,
        "notification": {"title": notification.title, "body": fit_utf8(notification.summary, BODY_LIMIT)},
        "data": notification.data(),
        "android": {
            "priority": "HIGH" if urgent else "NORMAL",
            "ttl": f"{ttl_seconds(notification, now)}s",
            "collapse_key": notification.reservation_id,  # a newer message about a trip replaces an undelivered one
            "notification": {"tag": notification.reservation_id},
        },
    }}


def _json(raw: bytes) -> dict:
    try:
        answer = json.loads(raw)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _error(status: int, answer: dict, retry_after: float | None) -> ChannelError:
    error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
    details = [d for d in error.get("details", []) if isinstance(d, dict)]
    code = next((d.get("errorCode") for d in details if d.get("@type") == FCM_ERROR), None) or error.get("status", "")
    on_token = any(v.get("field") == "message.token" for d in details if d.get("@type") == BAD_REQUEST
                   for v in d.get("fieldViolations", []) if isinstance(v, dict))
    text = f"fcm: {status} {code}".strip()
    if code in GONE or (code == "INVALID_ARGUMENT" and on_token):
        return DeviceTokenInvalid(text, channel=NAME, reason=code, status=status)
    if status in (401, 403) or code == "THIRD_PARTY_AUTH_ERROR":
        return ChannelCredentialsRejected(text, channel=NAME, reason=code or "auth", status=status)
    if status == 429 or status >= 500:
        return RetryableError(text, channel=NAME, reason=code or "unavailable", status=status,
                              retry_after=retry_after)
    return PermanentError(text, channel=NAME, reason=code or "rejected", status=status)
