"""The guessing limiter: misses per client IP run out, come back with time, and only /t/ and /calendar/ count."""

from __future__ import annotations

import pytest
from aiohttp import web

from domain.common.errors import NotFound
from web import guessing
from web.guessing import GuessLimiter, guessing_middleware
from web.problems import problem_middleware


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_out_of_misses_waits_for_the_bucket_to_refill():
    clock = Clock()
    limiter = GuessLimiter(capacity=3, per_s=6.0, clock=clock)   # one miss back every 2 seconds
    for _ in range(3):
        assert limiter.retry_after("1.2.3.4") is None
        limiter.miss("1.2.3.4")
    assert limiter.retry_after("1.2.3.4") == 2
    assert limiter.retry_after("5.6.7.8") is None   # each client has its own bucket
    clock.now += 1.5
    assert limiter.retry_after("1.2.3.4") == 1
    clock.now += 0.5
    assert limiter.retry_after("1.2.3.4") is None
    clock.now += 3600
    for _ in range(3):   # refilled to its capacity, no further
        limiter.miss("1.2.3.4")
    assert limiter.retry_after("1.2.3.4") == 2


def test_the_oldest_clients_are_forgotten_beyond_the_bound():
    limiter = GuessLimiter(capacity=1, clock=Clock(), max_clients=2)
    for client in ("a", "b", "c"):
        limiter.miss(client)
    assert set(limiter.buckets) == {"b", "c"} and limiter.retry_after("a") is None


@pytest.fixture
async def client(aiohttp_client, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(guessing, "limiter", GuessLimiter(capacity=2, per_s=60.0, clock=clock))

    async def lookup(request: web.Request) -> web.Response:
        if request.match_info["token"] != "good":
            raise NotFound("No trip behind this link")
        return web.Response(text="trip")

    app = web.Application(middlewares=[guessing_middleware, problem_middleware])
    app.router.add_get("/t/{token}", lookup)
    app.router.add_get("/calendar/{token}.ics", lookup)
    app.router.add_get("/api/v1/{token}", lookup)
    test_client = await aiohttp_client(app)
    test_client.clock = clock
    return test_client


async def test_misses_on_links_and_feeds_share_a_bucket_and_then_answer_429(client):
    assert (await client.get("/t/bad")).status == 404
    assert (await client.get("/calendar/bad.ics")).status == 404
    blocked = await client.get("/t/good")   # out of misses: not looked up, even with a good token
    assert blocked.status == 429 and blocked.headers["Retry-After"] == "30"
    body = await blocked.json(content_type="application/problem+json")
    assert body["type"].endswith("/too-many-misses") and body["status"] == 429
    client.clock.now += 30
    assert (await client.get("/t/good")).status == 200


async def test_hits_and_other_routes_take_nothing_from_the_bucket(client):
    for _ in range(5):
        assert (await client.get("/t/good")).status == 200
        assert (await client.get("/api/v1/bad")).status == 404
    assert (await client.get("/t/bad")).status == 404
    assert (await client.get("/t/good")).status == 200
