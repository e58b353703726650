"""OAuth 2.0 authorization code with PKCE (RFC 7636) for Gmail and Outlook: consent URL, code exchange, refresh."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

import aiohttp
from yarl import URL

from domain.common.retry import parse_retry_after
from integrations.mail.errors import MailCredentialsRejected, MailProtocolError, MailUnavailable

REFRESH_MARGIN_S = 120  # renew early so no request carries a token about to lapse


@dataclass(frozen=True)
class OAuthProvider:
    name: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    extra: tuple[tuple[str, str], ...] = ()  # extra authorization-URL parameters
    scope_on_refresh: bool = False  # Microsoft wants the scopes again when refreshing


GOOGLE = OAuthProvider(
    "gmail", "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
    ("https://www.googleapis.com/auth/gmail.readonly",),
    # offline + consent: Google only hands out a refresh token when both are asked for.
    (("access_type", "offline"), ("prompt", "consent")),
)
MICROSOFT = OAuthProvider(
    "graph", "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    ("offline_access", "https://graph.microsoft.com/Mail.Read"),
    (("response_mode", "query"),), scope_on_refresh=True,
)


def with_base(provider: OAuthProvider, base_url: str) -> OAuthProvider:
    """The same provider with its endpoints under ``base_url`` (tests, sovereign clouds)."""
    base = URL(base_url)
    return replace(provider, authorize_url=str(base.with_path(URL(provider.authorize_url).path)),
                   token_url=str(base.with_path(URL(provider.token_url).path)))


@dataclass(frozen=True)
class OAuthApp:
    """Our registration with the provider."""

    provider: OAuthProvider
    client_id: str
    redirect_uri: str
    client_secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class AuthorizationRequest:
    """Send the traveller to ``url``; keep ``state`` and ``code_verifier`` until the callback."""

    url: str
    state: str
    code_verifier: str = field(repr=False)


@dataclass(frozen=True)
class Tokens:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: float
    scope: str = ""

    def to_dict(self) -> dict:
        """For storage (seal it with domain.mail.secrets_box first)."""
        return {"access_token": self.access_token, "refresh_token": self.refresh_token,
                "expires_at": self.expires_at, "scope": self.scope}

    @classmethod
    def from_dict(cls, data: dict) -> Tokens:
        return cls(data["access_token"], data.get("refresh_token"), float(data["expires_at"]), data.get("scope", ""))


def code_verifier() -> str:
    return secrets.token_urlsafe(64)  # 86 characters of [A-Za-z0-9_-]: within RFC 7636's 43..128


def code_challenge(verifier: str) -> str:
    """S256: base64url(SHA-256(verifier)) without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def authorization_request(app: OAuthApp, *, login_hint: str | None = None) -> AuthorizationRequest:
    state, verifier = secrets.token_urlsafe(32), code_verifier()
    params = {"client_id": app.client_id, "redirect_uri": app.redirect_uri, "response_type": "code",
              "scope": " ".join(app.provider.scopes), "state": state,
              "code_challenge": code_challenge(verifier), "code_challenge_method": "S256", **dict(app.provider.extra)}
    if login_hint:
        params["login_hint"] = login_hint
    return AuthorizationRequest(str(URL(app.provider.authorize_url).update_query(params)), state, verifier)


async def exchange_code(session: aiohttp.ClientSession, app: OAuthApp, code: str, verifier: str, *,
                        timeout_s: float = 10.0, clock: Callable[[], float] = time.time) -> Tokens:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": app.redirect_uri,
            "client_id": app.client_id, "code_verifier": verifier}
    return await _token_request(session, app, form, None, timeout_s, clock)


async def refresh_tokens(session: aiohttp.ClientSession, app: OAuthApp, tokens: Tokens, *,
                         timeout_s: float = 10.0, clock: Callable[[], float] = time.time) -> Tokens:
    if not tokens.refresh_token:
        raise MailCredentialsRejected(f"{app.provider.name}: no refresh token", provider=app.provider.name)
    form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": app.client_id}
    if app.provider.scope_on_refresh:
        form["scope"] = " ".join(app.provider.scopes)
    return await _token_request(session, app, form, tokens.refresh_token, timeout_s, clock)


async def _token_request(session: aiohttp.ClientSession, app: OAuthApp, form: dict, old_refresh: str | None,
                         timeout_s: float, clock: Callable[[], float]) -> Tokens:
    name = app.provider.name
    if app.client_secret:
        form["client_secret"] = app.client_secret
    try:
        async with session.post(app.provider.token_url, data=form,
                                timeout=aiohttp.ClientTimeout(total=timeout_s)) as response:
            status, retry_after = response.status, parse_retry_after(response.headers.get("Retry-After"), clock())
            text = await response.read()
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise MailUnavailable(f"{name}: token endpoint failed: {type(exc).__name__}", provider=name) from None
    if status >= 500 or status == 429:
        raise MailUnavailable(f"{name}: token endpoint answered {status}", provider=name, retry_after=retry_after)
    body = _json_object(text)
    if status != 200 or not body.get("access_token"):
        # Only the error code: descriptions may quote what we sent.
        error = re.sub(r"[^A-Za-z0-9_.-]", "", str(body.get("error", "")))[:40]
        cls = MailCredentialsRejected if error == "invalid_grant" else MailProtocolError
        raise cls(f"{name}: token request refused ({status} {error})".strip(), provider=name)
    # Microsoft rotates refresh tokens; Google usually sends none on refresh, so the old one stays.
    return Tokens(body["access_token"], body.get("refresh_token") or old_refresh,
                  clock() + float(body.get("expires_in", 3600)), str(body.get("scope", "")))


def _json_object(text: bytes) -> dict:
    try:
        body = json.loads(text)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class TokenSource:
    """One mailbox's access token: refreshed shortly before expiry, or when the API refused it.

    ``on_refresh`` receives every new Tokens so the caller can seal and store them (the refresh token may rotate).
    """

    def __init__(self, session: aiohttp.ClientSession, app: OAuthApp, tokens: Tokens, *,
                 on_refresh: Callable[[Tokens], Awaitable[None]] | None = None, timeout_s: float = 10.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.session = session
        self.app = app
        self.tokens = tokens
        self.on_refresh = on_refresh
        self.timeout_s = timeout_s
        self.clock = clock
        self._lock = asyncio.Lock()

    async def get(self) -> str:
        async with self._lock:
            if self.clock() >= self.tokens.expires_at - REFRESH_MARGIN_S:
                await self._refresh()
            return self.tokens.access_token

    async def refused(self, access_token: str) -> str:
        """A fresh token after the API refused ``access_token`` (unless another caller already replaced it)."""
        async with self._lock:
            if self.tokens.access_token == access_token:
                await self._refresh()
            return self.tokens.access_token

    async def _refresh(self) -> None:
        self.tokens = await refresh_tokens(self.session, self.app, self.tokens, timeout_s=self.timeout_s,
                                           clock=self.clock)
        if self.on_refresh is not None:
            await self.on_refresh(self.tokens)
