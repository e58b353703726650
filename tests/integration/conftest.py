"""Integration fixtures: a real Apache Kafka broker and real worker processes, driven over real sockets.

One broker serves the whole session; each test's cluster has its own app id and topic prefix (so its own
consumer groups, changelogs and topics), and its topics are deleted when it ends. Tests that stop or restart
the broker take ``own_cluster``, which starts a broker of its own."""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import aiohttp
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from devtools.cluster import Cluster, start_broker
from tests.dates import next_on

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def kafka(tmp_path_factory):
    """One Apache Kafka broker for the session, on free ports, in a temporary data dir."""
    broker = start_broker(tmp_path_factory.mktemp("kafka"))
    yield broker
    broker.stop()


@pytest.fixture
def cluster(kafka, tmp_path):
    """This test's workers on the session's broker, isolated by app id and topic prefix."""
    tag = uuid.uuid4().hex[:10]
    local = Cluster(tmp_path / "cluster", broker=kafka, app_id=f"rw-{tag}", topic_prefix=f"t{tag}.")
    yield local
    local.stop()
    asyncio.run(_delete_topics(kafka.bootstrap, local))
    if os.environ.get("KEEP_CLUSTER_LOGS"):
        print(f"cluster logs kept in {tmp_path}")


@pytest.fixture(scope="module")
def module_worker(kafka, tmp_path_factory):
    """One worker for a whole module whose tests each make their own travellers and change no worker or
    broker: a worker's start is most of an integration test's time. The API's command wait is longer than
    the default: pages chain several API calls, and CI's machine is shared."""
    tag = uuid.uuid4().hex[:10]
    local = Cluster(tmp_path_factory.mktemp("cluster"), broker=kafka, app_id=f"rw-{tag}", topic_prefix=f"t{tag}.")
    one = local.worker("w1", ROADWARRIOR_REQUEST_TIMEOUT_S="20").start()
    one.wait_ready()
    yield one
    local.stop()
    asyncio.run(_delete_topics(kafka.bootstrap, local))


@pytest.fixture
def own_cluster(tmp_path):
    """Workers on a broker of their own, for tests that stop and restart the broker."""
    local = Cluster(tmp_path / "cluster")
    local.start_broker()
    yield local
    local.stop()


async def _delete_topics(bootstrap: str, cluster: Cluster) -> None:
    """Drop what the test made: its topics, changelogs, and Faust's leader and reply topics."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        ours = [name for name in await admin.list_topics()
                if name.startswith((cluster.topic_prefix, cluster.app_id + "-", "f-"))]
        if ours:
            await admin.delete_topics(ours)
    finally:
        await admin.close()


@pytest.fixture
def worker(cluster):
    one = cluster.worker("w1").start()
    one.wait_ready()
    return one


@pytest.fixture
async def http():
    # No keep-alive: tests restart workers on the same port, and a pooled connection to the old
    # process would fail as "server disconnected" instead of reaching the new one.
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30), connector=connector) as session:
        yield session


class Api:
    """A traveller's view of the HTTP API: signs up, logs in and keeps the bearer token."""

    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http, self.base, self.token = http, base, None

    async def call(self, method: str, path: str, body=None, headers=None, base: str | None = None):
        all_headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        all_headers.update(headers or {})
        async with self.http.request(method, (base or self.base) + path, json=body, headers=all_headers) as r:
            payload = await r.json(content_type=None) if r.status != 204 else None
            return r.status, payload, r.headers

    async def sign_up_and_log_in(self, name: str = "Ann") -> dict:
        email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
        status, user, _ = await self.call("POST", "/api/v1/auth/signup", {
            "email": email, "password": "correct horse battery", "name": name, "time_zone": "Europe/Berlin"})
        assert status == 201, user
        status, tokens, _ = await self.call("POST", "/api/v1/auth/login",
                                            {"email": email, "password": "correct horse battery"})
        assert status == 200, tokens
        self.token = tokens["access_token"]
        return {**user, **tokens, "email": email}


TRIP_DAY = next_on(12, 1).isoformat()   # a winter trip still ahead: tracked, Frankfurt on +01:00 (MEZ)


def as_booked(read: dict) -> dict:
    """A reservation as GET shows it, without what tracking says of it now (``tracking``: when it was last
    checked changes by itself), to compare with the answer to the write that made it."""
    return {k: v for k, v in read.items() if k != "tracking"}


def flight(**overrides) -> dict:
    body = {"type": "flight", "confirmation": "ABC123", "travellers": ["Ann Traveller"],
            "start": f"{TRIP_DAY}T08:30", "end": f"{TRIP_DAY}T11:05",
            "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}}
    body.update(overrides)
    return body


async def eventually(check, timeout_s: float = 30, interval_s: float = 0.1):
    """Poll an async check until it returns a truthy value or the deadline passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s}s (last: {result!r})")
        await asyncio.sleep(interval_s)
