"""The attempt counters in a real Redis (shared by two "workers") and in memory: the same rule, atomically."""

from __future__ import annotations

import asyncio

import pytest
from redis import asyncio as redis
from redis.exceptions import RedisError

from devtools.broker import free_port
from domain.accounts.limits import Counter, Rate
from integrations.limits.store import MemoryAttempts, RedisAttempts
from tests.unit.notify.test_hub import redis_server  # noqa: F401 (a fixture for the tests here)

ACCOUNT, ADDRESS = Counter("login:account:ann@example.com", Rate(3, 60)), Counter("login:client:a", Rate(5, 60))


@pytest.fixture
async def stores(redis_server):  # noqa: F811
    """Two Redis-backed stores, as two workers would have them."""
    pair = [RedisAttempts(redis.from_url(redis_server)) for _ in range(2)]
    yield pair
    for store in pair:
        await store.close()


async def test_every_worker_sees_the_same_counts_and_a_refusal_says_how_long(stores):
    one, two = stores
    assert [await store.take([ACCOUNT], consume=True) for store in (one, two, one)] == [0, 0, 0]
    wait = await two.take([ACCOUNT], consume=True)
    assert 59 < wait <= 60
    assert 0 < await one.take([ACCOUNT], consume=False) <= 60


async def test_an_attempt_is_counted_on_every_counter_or_on_none(stores):
    one, _ = stores
    for _ in range(3):
        assert await one.take([ACCOUNT, ADDRESS], consume=True) == 0
    assert await one.take([ACCOUNT, ADDRESS], consume=True) > 0     # the account is spent: nothing counted
    other_account = Counter("login:account:bob@example.com", Rate(3, 60))
    for _ in range(2):                                               # so the address still has two left
        assert await one.take([other_account, ADDRESS], consume=True) == 0
    assert await one.take([other_account, ADDRESS], consume=True) > 0


async def test_a_peek_counts_nothing_and_clearing_forgives(stores):
    one, two = stores
    for _ in range(10):
        assert await one.take([ACCOUNT], consume=False) == 0
    for _ in range(3):
        await one.take([ACCOUNT], consume=True)
    assert await two.take([ACCOUNT], consume=False) > 0
    await two.clear([ACCOUNT.key])
    assert await one.take([ACCOUNT], consume=False) == 0


async def test_concurrent_attempts_from_two_workers_never_take_more_than_the_burst(stores):
    counter = Counter("login:account:race@example.com", Rate(5, 60))
    waits = await asyncio.gather(*(stores[n % 2].take([counter], consume=True) for n in range(40)))
    assert sum(wait == 0 for wait in waits) == 5


async def test_a_spent_counter_refills_at_its_rate_and_its_key_expires(stores, redis_server):  # noqa: F811
    one, _ = stores
    quick = Counter("login:account:quick@example.com", Rate(1, 0.2))
    assert await one.take([quick], consume=True) == 0
    assert await one.take([quick], consume=True) > 0
    async with asyncio.timeout(5):
        while await one.take([quick], consume=True) > 0:
            await asyncio.sleep(0.05)
    client = redis.from_url(redis_server)
    assert 0 < await client.pttl(one.prefix + quick.key) <= 200    # nothing stays once it would be full again
    await client.aclose()


async def test_memory_keeps_the_same_rule_for_a_single_worker():
    now = [1000.0]
    store = MemoryAttempts(clock=lambda: now[0], max_keys=2)
    assert [await store.take([ACCOUNT], consume=True) for _ in range(4)] == [0, 0, 0, 60]
    now[0] += 60
    assert await store.take([ACCOUNT], consume=True) == 0
    await store.take([Counter("b", Rate(1, 1))], consume=True)
    await store.take([Counter("c", Rate(1, 1))], consume=True)
    assert set(store.tats) == {"b", "c"}        # the oldest key went first


async def test_an_unreachable_redis_raises_for_the_caller_to_decide():
    store = RedisAttempts(redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1))
    with pytest.raises((RedisError, OSError)):
        await store.take([ACCOUNT], consume=True)
    await store.close()
