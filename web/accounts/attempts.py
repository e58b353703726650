"""Attempt limits for the sign-in, sign-up and password-reset views (API and pages alike).

``await check_attempt(request, kind, account)`` before the work, then for a login ``record_failure`` or
``record_success``: a login counts only its failures, sign-ups and reset requests count every attempt.
A refusal raises TooManyAttempts, which web/problems.py answers with 429 and Retry-After.
"""

from __future__ import annotations

import logging

from aiohttp import web
from redis.exceptions import RedisError

from domain.accounts import metrics
from domain.accounts.limits import Counter, client_key, counters, retry_after
from domain.common.errors import TooManyAttempts
from faust_app import settings
from integrations.limits.store import store_for
from web.routing import client_address

log = logging.getLogger(__name__)
store = store_for(settings.web.redis_url)
_TITLES = {"login": "Too many failed sign-ins; try again later.",
           "signup": "Too many sign-ups; try again later.",
           "reset": "Too many password-reset requests; try again later."}


async def check_attempt(request: web.Request, kind: str, account: str | None) -> None:
    """Raise TooManyAttempts when ``kind``'s counters for ``account`` (a normalised e-mail) and the client are
    spent; a sign-up or reset request is counted here, a login by record_failure."""
    wait = await _take(_counters(request, kind, account), consume=kind != "login")
    if wait > 0:
        metrics.REFUSED.labels(kind).inc()
        raise TooManyAttempts(_TITLES[kind], retry_after(wait))


async def record_failure(request: web.Request, kind: str, account: str | None) -> None:
    """Count one failed attempt (a wrong password)."""
    await _take(_counters(request, kind, account), consume=True)


async def record_success(request: web.Request, kind: str, account: str) -> None:
    """The right password: the account's failures are forgiven; the address's stay counted."""
    keys = [c.key for c in _counters(request, kind, account) if not c.key.startswith(f"{kind}:client:")]
    try:
        await store.clear(keys)
    except (RedisError, OSError) as exc:
        _unavailable(exc)


def _counters(request: web.Request, kind: str, account: str | None) -> list[Counter]:
    return counters(kind, account, client_key(client_address(request)), settings.limits.rates())


async def _take(checked: list[Counter], *, consume: bool) -> float:
    try:
        return await store.take(checked, consume=consume)
    except (RedisError, OSError) as exc:
        # Fail open: with Redis down, refusing every attempt would lock every traveller out, the very outage
        # these limits exist to prevent. Guessing stays slow meanwhile (an argon2 hash per attempt), and the
        # metric and the log tell the operator.
        _unavailable(exc)
        return 0.0


def _unavailable(exc: Exception) -> None:
    metrics.STORE_UNAVAILABLE.inc()
    log.warning("attempt limits not applied: the limit store did not answer (%s)", type(exc).__name__)
