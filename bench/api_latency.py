"""Spine figures: worker Ready time (cold and warm), and create/read latency at 50 concurrent clients.

Runs a real Kafka broker and a real worker on this machine. Prints figures; asserts nothing.
    python bench/api_latency.py [--requests 1000] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from devtools.cluster import Cluster  # noqa: E402

DAY = date.today() + timedelta(days=30)   # trips still ahead whenever the bench runs, so they are tracked
FLIGHT = {"type": "flight", "confirmation": "BENCH1", "travellers": ["Bench Traveller"],
          "start": f"{DAY}T08:30", "end": f"{DAY}T11:05",
          "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}}


def flight(i: int, shared: bool) -> dict:
    """The i-th booking: by default a different flight instance each (travellers rarely share a flight),
    with ``shared`` all on one flight (the worst case for the subject index: one growing member list)."""
    if shared:
        return FLIGHT
    day = DAY + timedelta(days=1 + i % 28)
    return {**FLIGHT, "confirmation": f"B{i:05d}",
            "start": f"{day}T08:30", "end": f"{day}T11:05",
            "flight": {**FLIGHT["flight"], "number": str(100 + (i // 28) % 900)}}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def token(http: aiohttp.ClientSession, base: str) -> str:
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    account = {"email": email, "password": "benchmark password", "name": "Bench"}
    async with http.post(base + "/api/v1/auth/signup", json=account) as r:
        assert r.status == 201, await r.text()
    async with http.post(base + "/api/v1/auth/login", json=account) as r:
        body = await r.json()
        assert r.status == 200, body
        return body["access_token"]


async def timed(http, method: str, url: str, headers: dict, body=None) -> tuple[float, int, dict | None]:
    start = time.perf_counter()
    async with http.request(method, url, json=body, headers=headers) as r:
        payload = await r.json(content_type=None)
        return (time.perf_counter() - start) * 1000, r.status, payload


async def load(bases: list[str], requests: int, concurrency: int, rate: float = 0.0,
               shared: bool = False) -> None:
    """Closed loop by default (each client sends its next request at once: saturation, so latency is
    concurrency / throughput); with ``rate`` > 0 an open loop: the clients together start ``rate`` requests
    a second, on a fixed schedule, whatever the answers take (what a population of users does)."""
    base = bases[0]
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
        # One traveller per client, as in life: 50 concurrent clients are 50 people.
        tokens = [await token(http, bases[i % len(bases)]) for i in range(concurrency)]  # argon2: not the subject
        travellers = [{"Authorization": f"Bearer {t}"} for t in tokens]
        for headers in travellers:  # warm-up: topic metadata, connections
            await timed(http, "POST", base + "/api/v1/reservations", headers, flight(-1, shared))
        queue = asyncio.Queue()
        for i in range(requests):
            queue.put_nowait(i)
        creates, reads, ids, failures = [], [], [], 0
        started = time.perf_counter()

        async def client(kind: str, headers: dict, base: str):
            nonlocal failures
            while not queue.empty():
                i = queue.get_nowait()
                if rate:
                    await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
                if kind == "create":
                    ms, status, body = await timed(http, "POST", base + "/api/v1/reservations", headers,
                                                   flight(i, shared))
                    if status == 201:
                        creates.append(ms)
                        ids.append((body["id"], headers))
                    else:
                        failures += 1
                else:
                    rid, owner = ids[i % len(ids)]
                    ms, status, _ = await timed(http, "GET", f"{base}/api/v1/reservations/{rid}", owner)
                    reads.append(ms) if status == 200 else None
        started = time.perf_counter()
        await asyncio.gather(*(client("create", h, bases[i % len(bases)]) for i, h in enumerate(travellers)))
        create_s = time.perf_counter() - started
        for i in range(requests):
            queue.put_nowait(i)
        started = time.perf_counter()
        await asyncio.gather(*(client("read", h, bases[i % len(bases)]) for i, h in enumerate(travellers)))
        read_s = time.perf_counter() - started
    for name, values, seconds in (("create", creates, create_s), ("read", reads, read_s)):
        print(f"{name:6} n={len(values):5}  p50={percentile(values, 50):7.1f} ms"
              f"  p99={percentile(values, 99):7.1f} ms  max={max(values):7.1f} ms"
              f"  mean={statistics.mean(values):6.1f} ms  {len(values) / seconds:6.0f} req/s")
    print(f"failed creates: {failures}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="worker processes; clients spread over them")
    parser.add_argument("--rate", type=float, default=0.0, help="open loop: requests/s across all clients")
    parser.add_argument("--shared-flight", action="store_true",
                        help="every booking on one flight (worst case for the subject index)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rw-bench-") as tmp:
        # Every simulated traveller signs up from this one host: the per-address sign-up limit would stop them.
        cluster = Cluster(Path(tmp), extra_env={"ROADWARRIOR_LIMIT_SIGNUP_CLIENT": "1000000/0.001"})
        cluster.start_broker()
        try:
            worker = cluster.worker("w1").start()
            print(f"Ready, cold (empty broker, empty data dir): {worker.wait_ready():.1f} s")
            others = [cluster.worker(f"w{n}").start() for n in range(2, args.workers + 1)]
            for other in others:
                other.wait_ready()
            if others:
                time.sleep(15)  # let the group settle after the joins (health is per worker)
            asyncio.run(load([w.url for w in [worker, *others]], args.requests, args.concurrency, args.rate,
                             args.shared_flight))
            for other in others:
                other.stop()
            worker.stop()
            warm = cluster.worker("w1", web_port=worker.web_port).start()
            print(f"Ready, warm (restart on the same data dir): {warm.wait_ready():.1f} s")
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
