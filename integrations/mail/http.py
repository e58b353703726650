"""One authorized call to a mail API: bearer token (refreshed once on 401), size cap, statuses mapped to MailError."""

from __future__ import annotations

import json
import time
from typing import Any

import aiohttp
from yarl import URL

from domain.common.retry import parse_retry_after
from integrations.mail.errors import (
    MailCredentialsRejected,
    MailGone,
    MailProtocolError,
    MailUnavailable,
    MessageTooLarge,
)
from integrations.mail.oauth import TokenSource

MAX_JSON_BYTES = 4 * 1024 * 1024  # a listing page; raw messages get their own limit
CHUNK = 64 * 1024
RATE_LIMIT_REASONS = ("ratelimitexceeded", "userratelimitexceeded", "quotaexceeded", "dailylimitexceeded")


async def call(session: aiohttp.ClientSession, tokens: TokenSource, url: str | URL, *, provider: str,
               timeout_s: float, params: Any = None, headers: dict | None = None,
               max_bytes: int = MAX_JSON_BYTES, as_json: bool = True) -> Any:
    """GET ``url``; the decoded JSON (or the bytes). Messages carry the path only: queries name senders."""
    label = f"{provider}: GET {URL(url).path}"
    token = await tokens.get()
    for attempt in (1, 2):
        try:
            status, body, retry_after = await _get(session, url, token, params, headers, timeout_s, max_bytes)
        except MessageTooLarge as exc:
            raise MessageTooLarge(f"{label} body over {max_bytes} bytes", provider=provider, size=exc.size) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            # from None: aiohttp errors carry request_info, whose headers hold the bearer token.
            raise MailUnavailable(f"{label} failed: {type(exc).__name__}", provider=provider) from None
        if status == 401 and attempt == 1:
            token = await tokens.refused(token)
            continue
        _raise_for_status(status, body, retry_after, label, provider)
        break
    if not as_json:
        return body
    try:
        return json.loads(body)
    except ValueError:
        raise MailProtocolError(f"{label} answered no JSON", provider=provider) from None


async def _get(session: aiohttp.ClientSession, url: str | URL, token: str, params: Any, headers: dict | None,
               timeout_s: float, max_bytes: int) -> tuple[int, bytes, float | None]:
    request_headers = {**(headers or {}), "Authorization": f"Bearer {token}"}
    # No redirects: the bearer token must not follow one to wherever it points.
    async with session.get(url, params=params, headers=request_headers, allow_redirects=False,
                           timeout=aiohttp.ClientTimeout(total=timeout_s)) as response:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), time.time())
        if response.status >= 300:
            return response.status, await response.content.read(CHUNK), retry_after
        if response.content_length is not None and response.content_length > max_bytes:
            raise MessageTooLarge("declared too large", provider="", size=response.content_length)
        body = bytearray()
        async for chunk in response.content.iter_chunked(CHUNK):
            body += chunk
            if len(body) > max_bytes:  # stop reading: the rest may be gigabytes
                raise MessageTooLarge("too large", provider="")
        return response.status, bytes(body), retry_after


def _raise_for_status(status: int, body: bytes, retry_after: float | None, label: str, provider: str) -> None:
    if status < 300:
        return
    message = f"{label} answered {status}"
    if status == 429 or status >= 500 or (status == 403 and _rate_limited(body)):
        raise MailUnavailable(message, provider=provider, retry_after=retry_after)
    if status in (401, 403):
        raise MailCredentialsRejected(message, provider=provider)
    if status in (404, 410):
        raise MailGone(message, provider=provider)
    raise MailProtocolError(message, provider=provider)


def _rate_limited(body: bytes) -> bool:
    # Gmail answers some rate limits with 403 and the reason in the body.
    text = body.decode("utf-8", "replace").lower()
    return any(reason in text for reason in RATE_LIMIT_REASONS)


def same_origin(link: str, base_url: str) -> bool:
    """Whether a link the API returned stays under our base URL (the bearer token goes nowhere else)."""
    target, base = URL(link), URL(base_url)
    if not target.is_absolute() or target.origin() != base.origin():
        return False
    prefix = base.path.rstrip("/")
    return target.path == prefix or target.path.startswith(prefix + "/")
