"""The views' attempt checks: who the client is, a guessing run refused with Retry-After, Redis down let through."""

from __future__ import annotations

import dataclasses

import pytest
from aiohttp.test_utils import make_mocked_request
from redis import asyncio as redis

from devtools.broker import free_port
from domain.accounts import metrics
from domain.accounts.limits import Rate
from domain.common.errors import TooManyAttempts
from faust_app import settings
from integrations.limits.store import MemoryAttempts, RedisAttempts
from web import routing
from web.accounts import attempts
from web.problems import from_domain


def request(peer: str = "192.0.2.7", **headers: str):
    return make_mocked_request("POST", "/api/v1/auth/login", headers=headers,
                               transport=_Transport(peer))


class _Transport:
    def __init__(self, peer: str) -> None:
        self.peer = peer

    def get_extra_info(self, name: str, default=None):
        return (self.peer, 4711) if name == "peername" else default


@pytest.fixture
def limits(monkeypatch):
    """Short limits and a fresh in-memory store; ``set(**fields)`` changes the limits settings."""
    def set_limits(**fields) -> None:
        changed = dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, **fields))
        monkeypatch.setattr(attempts, "settings", changed)
        monkeypatch.setattr(routing, "settings", changed)

    monkeypatch.setattr(attempts, "store", MemoryAttempts())
    set_limits(login_account_client=Rate(3, 60), login_account=Rate(10, 60))
    return set_limits


def test_the_client_is_the_peer_unless_proxies_are_trusted_or_a_worker_forwarded(limits):
    forged = {"X-Forwarded-For": "203.0.113.9, 198.51.100.1", routing.CLIENT: "203.0.113.66",
              routing.CLIENT_PROOF: "0" * 64}
    assert routing.client_address(request(**forged)) == "192.0.2.7"
    limits(trusted_proxy_hops=1)
    assert routing.client_address(request(**forged)) == "198.51.100.1"   # what our one proxy saw
    limits(trusted_proxy_hops=2)
    assert routing.client_address(request(**forged)) == "203.0.113.9"
    vouched = {routing.CLIENT: "203.0.113.66", **routing.client_proof("203.0.113.66")}
    assert routing.client_address(request(**vouched)) == "203.0.113.66"   # as the worker passing it on saw it


async def test_failed_logins_are_refused_with_retry_after_and_a_success_forgives_the_account(limits):
    attacker = request("203.0.113.9")
    for _ in range(3):
        await attempts.check_attempt(attacker, "login", "ann@example.com")
        await attempts.record_failure(attacker, "login", "ann@example.com")
    with pytest.raises(TooManyAttempts) as refused:
        await attempts.check_attempt(attacker, "login", "ann@example.com")
    response = from_domain(refused.value)
    assert response.status == 429 and response.headers["Retry-After"] == "60"
    traveller = request("192.0.2.7")                  # the same account from elsewhere is not locked out
    await attempts.check_attempt(traveller, "login", "ann@example.com")
    await attempts.record_success(traveller, "login", "ann@example.com")
    assert "login:account:ann@example.com" not in attempts.store.tats


async def test_every_sign_up_counts_even_a_successful_one(limits):
    limits(signup_client=Rate(2, 60))
    for _ in range(2):
        await attempts.check_attempt(request(), "signup", "new@example.com")
    with pytest.raises(TooManyAttempts):
        await attempts.check_attempt(request(), "signup", "other@example.com")


async def test_with_redis_unreachable_attempts_are_let_through_and_counted_as_such(limits, monkeypatch):
    down = RedisAttempts(redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1))
    monkeypatch.setattr(attempts, "store", down)
    before = metrics.STORE_UNAVAILABLE._value.get()
    for _ in range(5):
        await attempts.check_attempt(request(), "login", "ann@example.com")
        await attempts.record_failure(request(), "login", "ann@example.com")
    await attempts.record_success(request(), "login", "ann@example.com")
    assert metrics.STORE_UNAVAILABLE._value.get() == before + 11
    await down.close()
