"""Notification figures: change event -> SSE client latency with many streams open, and renders per CPU-second.

Runs a real Kafka broker and real workers on this machine (and a real redis-server with --redis). Each of
--clients travellers keeps one SSE stream open; --changes provider change events are put on
reservation-changes at --rate per second, round-robin over the travellers; the latency is from the
produce call to the stream's event. Prints figures; asserts nothing.
    python bench/sse_latency.py [--clients 1000] [--changes 2000] [--rate 200] [--workers 1] [--redis]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import jwt
import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from devtools.broker import free_port, wait_for_port  # noqa: E402
from devtools.cluster import Cluster  # noqa: E402
from domain.common.timestamps import now_iso  # noqa: E402

SECRET = "bench-secret-" + "x" * 40
LOCALES = ("en", "de", "es", "fr", "ja")
RESERVATION = {"id": "r", "type": "flight", "start": "2026-12-01T08:30:00+01:00", "end": "2026-12-01T11:05:00-05:00",
               "start_time_zone": "Europe/Berlin", "end_time_zone": "America/New_York", "confirmation": "ABC123",
               "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def token(user_id: str) -> str:
    # The workers' own access-token claims (web/auth.py), signed with the secret the bench gives them.
    now = int(time.time())
    return jwt.encode({"iss": "roadwarrior", "sub": user_id, "role": "traveller", "sid": "bench", "typ": "access",
                       "iat": now, "exp": now + 3600}, SECRET, algorithm="HS256")


def change(user_id: str, n: int) -> dict:
    return {"schema_version": 1, "change_id": str(uuid.uuid4()), "reservation_id": f"{n:032x}", "user_id": user_id,
            "source": "push", "provider": "bench", "severity": "major", "provider_changed_at": None,
            "changes": [{"path": "departure.gate", "old": "A1", "new": f"B{n % 90 + 10}", "severity": "major"}],
            "detected_at": now_iso()}


async def create_profiles(producer: AIOKafkaProducer, users: list[str]) -> None:
    """Profiles straight onto user-commands: sign-up's argon2 is not what this measures."""
    for i, user_id in enumerate(users):
        await producer.send("user-commands", key=orjson.dumps(user_id), value=orjson.dumps({
            "command_id": uuid.uuid4().hex, "kind": "create", "user_id": user_id, "issued_at": "2026-01-01T00:00:00Z",
            "data": {"name": "Bench", "locale": LOCALES[i % len(LOCALES)], "time_zone": "Europe/Berlin",
                     "role": "traveller"}}))
    await producer.flush()


async def stream(http: aiohttp.ClientSession, url: str, user_id: str, sent: dict, latencies: list,
                 ready: asyncio.Event, counter: list) -> None:
    async with http.get(url, headers={"Authorization": f"Bearer {token(user_id)}"}, timeout=None) as response:
        assert response.status == 200, await response.text()
        counter[0] += 1
        if counter[0] == counter[1]:
            ready.set()
        async for line in response.content:
            if line.startswith(b"data: "):
                for change_id in json.loads(line[6:])["change_ids"]:
                    if change_id in sent:
                        latencies.append((time.perf_counter() - sent.pop(change_id)) * 1000)


async def measure(bases: list[str], broker: str, clients: int, changes: int, rate: float) -> dict:
    users = [uuid.uuid4().hex for _ in range(clients)]
    producer = AIOKafkaProducer(bootstrap_servers=broker, linger_ms=0)
    await producer.start()
    await create_profiles(producer, users)
    sent: dict[str, float] = {}
    measured: set[str] = set()
    latencies: list[float] = []
    ready, counter = asyncio.Event(), [0, clients]
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector) as http:
        tasks = [asyncio.create_task(stream(http, bases[i % len(bases)] + "/api/v1/notifications/stream", user,
                                            sent, latencies, ready, counter)) for i, user in enumerate(users)]
        await asyncio.wait_for(ready.wait(), 120)
        for n in range(min(20, clients)):  # warm-up: topic metadata, the hub, the agents' first messages
            await producer.send_and_wait("reservation-changes", key=orjson.dumps(f"{n:032x}"),
                                         value=orjson.dumps(change(users[n], n)))
        await asyncio.sleep(3)
        latencies.clear()
        start = time.perf_counter()
        for n in range(changes):
            event = change(users[n % clients], n)
            sent[event["change_id"]] = time.perf_counter()
            measured.add(event["change_id"])
            await producer.send("reservation-changes", key=orjson.dumps(event["reservation_id"]),
                                value=orjson.dumps(event))
            await asyncio.sleep(max(0.0, start + (n + 1) / rate - time.perf_counter()))
        deadline = time.perf_counter() + 30
        while sent and time.perf_counter() < deadline:
            await asyncio.sleep(0.1)
        for task in tasks:
            task.cancel()
    await producer.stop()
    return {"latencies": latencies, "lost": len(sent), "feed": await feed_latencies(broker, measured)}


async def feed_latencies(broker: str, measured: set[str]) -> list[float]:
    """Change -> feed written, from the web records on notifications-sent (the agent's side of the trip)."""
    consumer = AIOKafkaConsumer("notifications-sent", bootstrap_servers=broker, auto_offset_reset="earliest",
                                enable_auto_commit=False)
    await consumer.start()
    found: list[float] = []
    try:
        while True:
            batches = await consumer.getmany(timeout_ms=2000, max_records=5000)
            if not batches:
                break
            found += [r["latency_ms"] for m in (m for ms in batches.values() for m in ms)
                      if (r := orjson.loads(m.value))["channel"] == "web" and r["change_ids"][0] in measured]
    finally:
        await consumer.stop()
    return found


def render_rate(seconds: float = 3.0) -> dict:
    """Notifications composed (rendered once, one per channel) per CPU-second, in one process."""
    from domain.notify.notification import compose_for
    from domain.notify.render import render
    from runtime.i18n import lang

    now = datetime.now(UTC)
    item = {"change_id": "c", "reservation_id": "r", "user_id": "u", "severity": "major", "reservation": RESERVATION,
            "changes": [{"path": "departure.estimated", "old": "2026-12-01T08:30:00+01:00",
                         "new": "2026-12-01T09:45:00+01:00", "severity": "major"}]}
    renders = 0
    begin = time.process_time()
    while time.process_time() - begin < seconds:
        render({**item, "change_id": str(renders)}, lang(LOCALES[renders % len(LOCALES)]))
        renders += 1
    per_cpu_s = renders / (time.process_time() - begin)
    begin, composed = time.process_time(), 0
    targets = {"email": [{"email": "a@b.c"}], "fcm": [{"token": "t", "device": "d"}]}
    while time.process_time() - begin < seconds:
        composed += len(compose_for(item, ["web", "email", "push"], targets, lang(LOCALES[composed % 5]), now))
    return {"renders_per_cpu_s": per_cpu_s, "notifications_per_cpu_s": composed / (time.process_time() - begin)}


def start_redis(base: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(port), "--save", "",
                                "--appendonly", "no", "--dir", str(base)], stdout=subprocess.DEVNULL)
    wait_for_port("127.0.0.1", port, timeout_s=10, process=process)
    return process, f"redis://127.0.0.1:{port}/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--redis", action="store_true", help="fan out through a real redis-server")
    args = parser.parse_args()
    print("rendering ...", flush=True)
    rates = render_rate()
    base = Path(tempfile.mkdtemp(prefix="roadwarrior-bench-sse-"))
    cluster = Cluster(base, extra_env={"ROADWARRIOR_JWT_SECRET": SECRET})
    redis = None
    try:
        if args.redis or args.workers > 1:
            redis, url = start_redis(base)
            cluster.extra_env["ROADWARRIOR_REDIS_URL"] = url
        cluster.start_broker()
        workers = [cluster.worker(f"w{i + 1}").start() for i in range(args.workers)]
        for worker in workers:
            worker.wait_ready(120)
        time.sleep(8 if args.workers > 1 else 0)  # let a second worker's rebalance settle
        result = asyncio.run(measure([w.url for w in workers], f"127.0.0.1:{cluster.broker_port}", args.clients,
                                     args.changes, args.rate))
    finally:
        cluster.stop()
        if redis is not None:
            redis.kill()
    lat, feed = result["latencies"], result["feed"]
    print(f"\nchange event -> SSE client ({args.clients} streams open, {args.workers} worker(s), "
          f"{'Redis' if redis else 'in-process'} fan-out, {args.changes} changes at {args.rate:.0f}/s):")
    if lat:
        print(f"  p50 {percentile(lat, 50):.1f} ms   p90 {percentile(lat, 90):.1f} ms   "
              f"p99 {percentile(lat, 99):.1f} ms   max {max(lat):.1f} ms   received {len(lat)}, lost {result['lost']}")
    if feed:
        print(f"  of which change -> feed written (the agent's side): p50 {percentile(feed, 50):.0f} ms   "
              f"p99 {percentile(feed, 99):.0f} ms (notifications-sent, millisecond clock)")
    print(f"rendering, one process: {rates['renders_per_cpu_s']:,.0f} renders per CPU-second; "
          f"{rates['notifications_per_cpu_s']:,.0f} notifications composed per CPU-second "
          "(web + e-mail + push, rendered once per change)")


if __name__ == "__main__":
    main()
