"""Google OAuth2 access tokens for a service account: an RS256-signed JWT exchanged at the token URI (RFC 7523)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp
import jwt

from integrations.channels.errors import ChannelCredentialsRejected, RetryableError

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
ASSERTION_LIFETIME_S = 3600  # Google's maximum
REFRESH_MARGIN_S = 300  # renew a little early so no request carries a token about to lapse


@dataclass(frozen=True)
class ServiceAccount:
    """The fields of a service-account key file that signing needs."""

    client_email: str
    private_key: str = field(repr=False)
    private_key_id: str | None = None
    token_uri: str = "https://oauth2.googleapis.com/token"

    @classmethod
    def from_info(cls, info: dict, token_uri: str | None = None) -> ServiceAccount:
        """From the parsed JSON key file; ``token_uri`` overrides the file's (tests, private endpoints)."""
        return cls(info["client_email"], info["private_key"], info.get("private_key_id"),
                   token_uri or info.get("token_uri") or cls.token_uri)


class AccessTokens:
    """Access tokens for one account and scope, fetched on first need and reused until shortly before expiry."""

    def __init__(self, session: aiohttp.ClientSession, account: ServiceAccount, scope: str = FCM_SCOPE, *,
                 channel: str = "fcm", timeout_s: float = 10.0, clock: Callable[[], float] = time.time) -> None:
        self.session = session
        self.account = account
        self.scope = scope
        self.channel = channel
        self.timeout_s = timeout_s
        self.clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> str:
        async with self._lock:  # one refresh at a time; the others wait and reuse its token
            if self._token is None or self.clock() >= self._expires_at - REFRESH_MARGIN_S:
                self._token, lifetime = await self._fetch()
                self._expires_at = self.clock() + lifetime
            return self._token

    def invalidate(self) -> None:
        """Forget the cached token (the API said it is no longer good)."""
        self._token = None

    def assertion(self) -> str:
        now = int(self.clock())
        claims = {"iss": self.account.client_email, "scope": self.scope, "aud": self.account.token_uri,
                  "iat": now, "exp": now + ASSERTION_LIFETIME_S}
        headers = {"kid": self.account.private_key_id} if self.account.private_key_id else None
        return jwt.encode(claims, self.account.private_key, algorithm="RS256", headers=headers)

    async def _fetch(self) -> tuple[str, float]:
        form = {"grant_type": GRANT_TYPE, "assertion": self.assertion()}
        try:
            async with self.session.post(self.account.token_uri, data=form,
                                         timeout=aiohttp.ClientTimeout(total=self.timeout_s)) as response:
                body = await response.json(content_type=None) if response.status < 500 else {}
                status = response.status
        except (aiohttp.ClientError, TimeoutError, ValueError):
            raise RetryableError(f"{self.channel}: token endpoint unreachable", channel=self.channel,
                                 reason="token-unavailable") from None
        if status >= 500 or status == 429:
            raise RetryableError(f"{self.channel}: token endpoint answered {status}", channel=self.channel,
                                 reason="token-unavailable", status=status)
        if status != 200 or not isinstance(body, dict) or not body.get("access_token"):
            # Only the error code: descriptions may quote what we sent.
            error = re.sub(r"[^A-Za-z0-9_.-]", "", str(body.get("error", "")))[:40] if isinstance(body, dict) else ""
            raise ChannelCredentialsRejected(f"{self.channel}: token request refused ({status} {error})".strip(),
                               channel=self.channel, reason=str(error or "token-refused"), status=status)
        return body["access_token"], float(body.get("expires_in", ASSERTION_LIFETIME_S))
