"""One HTTP exchange with a provider: status codes and transport failures mapped to ProviderError."""

from __future__ import annotations

import json
import time
from typing import Any

import aiohttp
from yarl import URL

from domain.common.retry import parse_retry_after
from integrations.providers.errors import (
    MalformedResponse,
    ProviderCredentialsRejected,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    UnknownSubject,
)


async def request_json(
    session: aiohttp.ClientSession,
    method: str,
    url: str | URL,
    *,
    provider: str,
    timeout_s: float,
    **kwargs: Any,
) -> Any:
    """Send one request and return the decoded JSON body; every failure is a ProviderError subclass.

    Messages carry the method and path only: query strings and headers may hold credentials.
    """
    label = f"{provider}: {method} {URL(url).path}"
    try:
        async with session.request(
            method, url, timeout=aiohttp.ClientTimeout(total=timeout_s), **kwargs
        ) as response:
            body = await response.read()
            _raise_for_status(response, label, provider)
    except TimeoutError:
        raise ProviderTimeout(f"{label} timed out after {timeout_s}s", provider=provider) from None
    except aiohttp.ClientPayloadError:
        raise MalformedResponse(f"{label} body was cut short", provider=provider) from None
    except aiohttp.ClientError as exc:
        # from None: aiohttp errors can carry request_info, whose headers hold the credentials.
        raise ProviderUnavailable(f"{label} failed: {type(exc).__name__}", provider=provider) from None
    return _decode(body, label, provider)


def _raise_for_status(response: aiohttp.ClientResponse, label: str, provider: str) -> None:
    status = response.status
    if status < 300:
        return
    message = f"{label} answered {status}"
    if status in (401, 403):
        raise ProviderCredentialsRejected(message, provider=provider, status=status)
    if status == 404:
        raise UnknownSubject(message, provider=provider, status=status)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), time.time())
        raise RateLimited(message, provider=provider, retry_after=retry_after)
    if status >= 500:
        raise ProviderUnavailable(message, provider=provider, status=status)
    raise ProviderError(message, provider=provider, status=status)


def _decode(body: bytes, label: str, provider: str) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise MalformedResponse(f"{label} body is not JSON", provider=provider) from None
