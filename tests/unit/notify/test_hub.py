"""The SSE hub: in-process fan-out, slow readers, and fan-out between workers through a real Redis."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from redis import asyncio as redis

from devtools.broker import free_port, wait_for_port
from integrations.channels.sse_hub import CLOSED, QUEUE_SIZE, RESYNC, LocalHub, RedisHub


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server on a free port (Debian's redis-server); in CI its absence is a failure."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed (make system-packages installs it)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    wait_for_port("127.0.0.1", port, timeout_s=10, process=process)
    yield f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()


async def test_streams_get_their_own_users_entries_and_a_closing_hub_ends_them():
    hub = LocalHub()
    ann, bob = await hub.subscribe("ann"), await hub.subscribe("bob")
    hub.publish("ann", {"seq": 1})
    assert await ann.get(1) == {"seq": 1} and await bob.get(0.01) is None
    hub.unsubscribe(bob)
    assert "bob" not in hub.streams
    await hub.close()
    assert await ann.get(1) is CLOSED


async def test_a_reader_that_falls_behind_is_told_to_catch_up_instead_of_holding_anyone():
    hub = LocalHub()
    slow = await hub.subscribe("ann")
    for seq in range(QUEUE_SIZE + 5):
        hub.publish("ann", {"seq": seq})
    assert await slow.get(1) is RESYNC  # the backlog was dropped: the stream reads it from the feed
    rest = [slow.queue.get_nowait()["seq"] for _ in range(slow.queue.qsize())]
    assert rest == list(range(QUEUE_SIZE + 1, QUEUE_SIZE + 5))


async def test_an_entry_published_on_one_worker_reaches_a_stream_on_another(redis_server):
    producer = RedisHub(redis.from_url(redis_server))
    consumer = RedisHub(redis.from_url(redis_server))
    try:
        stream = await consumer.subscribe("ann")
        other = await consumer.subscribe("bob")
        producer.publish("ann", {"seq": 7, "title": "Gate B2"})
        assert await stream.get(5) == {"seq": 7, "title": "Gate B2"}
        assert await other.get(0.2) is None
        consumer.unsubscribe(other)
        producer.publish("ann", {"seq": 8})
        assert (await stream.get(5))["seq"] == 8
    finally:
        await producer.close()
        await consumer.close()


async def test_a_lost_redis_connection_tells_streams_to_catch_up_and_resubscribes(redis_server):
    consumer = RedisHub(redis.from_url(redis_server))
    admin = redis.from_url(redis_server)
    try:
        stream = await consumer.subscribe("ann")
        await admin.execute_command("CLIENT", "KILL", "TYPE", "pubsub")
        assert await stream.get(5) is RESYNC  # told once it listens again: nothing after it is lost
        await admin.publish("roadwarrior:notifications:ann", b'{"seq": 9}')
        assert await stream.get(5) == {"seq": 9}
    finally:
        await consumer.close()
        await admin.aclose()
