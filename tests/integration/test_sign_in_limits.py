"""A password-guessing run against real workers counting in Redis: stopped with 429 + Retry-After, while the
traveller still gets in from elsewhere at once, and from the guesser's own address after a short wait."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.conftest import Api, eventually
from tests.unit.notify.test_hub import redis_server  # noqa: F401 (a fixture for the tests here)

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery"
GUESSER, TRAVELLER, SIGNUPS = "203.0.113.9", "198.51.100.7", "192.0.2.50"


def limits_env(redis_url: str) -> dict:
    # Short limits so the test waits seconds, not minutes, yet long enough that a slow machine cannot see a
    # refill between the guesses; one trusted proxy lets each request say its address.
    return {"ROADWARRIOR_REDIS_URL": redis_url, "ROADWARRIOR_TRUSTED_PROXY_HOPS": "1",
            "ROADWARRIOR_LIMIT_LOGIN_ACCOUNT_CLIENT": "3/10", "ROADWARRIOR_LIMIT_LOGIN_ACCOUNT": "10/10",
            "ROADWARRIOR_LIMIT_LOGIN_CLIENT": "6/600", "ROADWARRIOR_LIMIT_SIGNUP_CLIENT": "2/600"}


def started(cluster, http, redis_url: str, names: tuple[str, ...]) -> list[Api]:
    cluster.extra_env.update(limits_env(redis_url))
    workers = [cluster.worker(name).start() for name in names]
    for worker in workers:
        worker.wait_ready()
    return [Api(http, worker.url) for worker in workers]


@pytest.fixture
async def one_worker(cluster, http, redis_server):  # noqa: F811
    # One account's attempts all reach the worker owning it: a second worker would only forward them.
    return started(cluster, http, redis_server, ("w1",))[0]


@pytest.fixture
async def two_workers(cluster, http, redis_server):  # noqa: F811
    return started(cluster, http, redis_server, ("w1", "w2"))


async def login(api: Api, email: str, password: str, address: str):
    return await api.call("POST", "/api/v1/auth/login", {"email": email, "password": password},
                          headers={"X-Forwarded-For": address})


async def sign_up(api: Api, address: str) -> tuple[int, dict, dict]:
    email = f"ann-{uuid.uuid4().hex[:8]}@example.com"
    status, body, headers = await api.call("POST", "/api/v1/auth/signup", {"email": email, "password": PASSWORD,
                                           "name": "Ann"}, headers={"X-Forwarded-For": address})
    return status, {**(body or {}), "email": email}, headers


async def test_a_guessing_run_is_stopped_but_cannot_lock_the_traveller_out(one_worker):
    one = one_worker
    status, ann, _ = await sign_up(one, "192.0.2.1")
    assert status == 201, ann
    answers = [(await login(one, ann["email"], f"guess {n}", GUESSER))[0] for n in range(4)]
    assert answers == [401, 401, 401, 429]
    status, problem, headers = await login(one, ann["email"], PASSWORD, GUESSER)
    assert status == 429 and problem["type"].endswith("/too-many-attempts")   # even the right one: nothing learnt
    assert 1 <= int(headers["Retry-After"]) <= 10
    status, tokens, _ = await login(one, ann["email"], PASSWORD, TRAVELLER)    # the traveller, elsewhere: in
    assert status == 200 and tokens["user_id"] == ann["id"]

    async def back_in_from_the_guessers_address():
        return (await login(one, ann["email"], PASSWORD, GUESSER))[0] == 200

    await eventually(back_in_from_the_guessers_address, timeout_s=30, interval_s=1)   # the lock decays


async def test_one_address_guessing_over_many_accounts_is_counted_by_every_worker_alike(two_workers):
    one, two = two_workers
    owned = await accounts_owned_by_each(one, two, 4)
    # A login is answered by the worker owning the account, so the run is spread over both: 3 guesses on
    # each worker's accounts. Counted apart, neither worker would reach the address's 6; Redis sums them.
    guesses = [email for pair in zip(owned[one.base], owned[two.base], strict=True) for email in pair]
    answers = [(await login([one, two][n % 2], email, "wrong", GUESSER))[0] for n, email in enumerate(guesses)]
    assert answers == [401] * 6 + [429, 429]


async def accounts_owned_by_each(one: Api, two: Api, count: int) -> dict[str, list[str]]:
    """At least ``count`` new accounts whose logins each of the two workers owns (Faust's router says which)."""
    owned: dict[str, list[str]] = {one.base: [], two.base: []}
    for n in range(40):
        if min(len(emails) for emails in owned.values()) >= count:
            break
        status, account, _ = await sign_up(one, f"192.0.2.{10 + n}")
        assert status == 201, account
        email = account["email"]
        owner = await eventually(lambda email=email: owner_of(one, email))
        assert owner in owned, owner
        owned[owner].append(email)
    return {base: emails[:count] for base, emails in owned.items()}


async def owner_of(api: Api, email: str) -> str | None:
    """The base URL of the worker owning the e-mail's login; None while the group is settling (503)."""
    async with api.http.get(f"{api.base}/router/logins/{email}/") as response:
        return (await response.json()).rstrip("/") if response.status == 200 else None


async def test_sign_ups_from_one_address_are_limited(one_worker):
    one = one_worker
    assert [(await sign_up(api, SIGNUPS))[0] for api in (one, one)] == [201, 201]
    status, problem, headers = await sign_up(one, SIGNUPS)
    assert status == 429 and int(headers["Retry-After"]) > 0 and problem["status"] == 429
    assert (await sign_up(one, "192.0.2.51"))[0] == 201
