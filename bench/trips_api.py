"""The trips dashboard under load: GET /api/v1/trips and GET /api/v1/trips/{id} at 50 concurrent clients.

Runs a real Kafka broker and a real worker on this machine, fills it with travellers whose reservations
grouped themselves into trips (home Frankfurt, a trip a week from two weeks ago: past, current and upcoming
trips), then reads in a closed loop (each client sends its next request when the answer comes), each request
as a random traveller. Prints figures; asserts nothing.
    python -m bench.trips_api [--travellers 200] [--reservations 20] [--requests 1000] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import aiohttp

from bench.api_latency import percentile, timed, token
from bench.trips_regroup import HOME, bookings
from devtools.cluster import Cluster


async def traveller(http: aiohttp.ClientSession, base: str, count: int, first: date) -> dict:
    """A new traveller with a home and ``count`` reservations made through the API: their headers."""
    headers = {"Authorization": f"Bearer {await token(http, base)}"}
    status = 503
    while status == 503:   # a loaded machine may not confirm in time; setting the same home again is harmless
        _, status, body = await timed(http, "PATCH", base + "/api/v1/me", headers, {"home": HOME})
    assert status == 200, body
    for fields in bookings(count, first):
        once = {**headers, "Idempotency-Key": uuid.uuid4().hex}
        status = 503
        while status == 503:   # accepted but not confirmed in time: the same key makes it once
            _, status, body = await timed(http, "POST", base + "/api/v1/reservations", once, fields)
        assert status == 201, body
    return headers


async def trip_ids(http: aiohttp.ClientSession, base: str, headers: dict) -> list[str]:
    """Every trip of the traveller, whatever its status."""
    ids = []
    for status in ("past", "current", "upcoming"):
        code = 503
        while code == 503:   # the grouping agent still catching up with the reservations just made
            _, code, page = await timed(http, "GET", f"{base}/api/v1/trips?status={status}&limit=100", headers)
        assert code == 200, page
        ids += [trip["id"] for trip in page["items"]]
    return ids


async def closed_loop(http: aiohttp.ClientSession, urls: list[tuple[str, dict]], concurrency: int) -> None:
    """``urls`` read by ``concurrency`` clients, each sending its next request when the answer comes."""
    queue, spent, failed = asyncio.Queue(), [], 0
    for item in urls:
        queue.put_nowait(item)

    async def client() -> None:
        nonlocal failed
        while not queue.empty():
            url, headers = queue.get_nowait()
            ms, status, _ = await timed(http, "GET", url, headers)
            spent.append(ms) if status == 200 else None
            failed += status != 200

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    print(f"  n={len(spent):5}  p50={percentile(spent, 50):7.1f} ms  p99={percentile(spent, 99):7.1f} ms"
          f"  max={max(spent):7.1f} ms  mean={statistics.mean(spent):6.1f} ms  {len(spent) / seconds:6.0f} req/s"
          f"  not 200: {failed}")


async def load(base: str, travellers: int, count: int, requests: int, concurrency: int) -> None:
    first = date.today() - timedelta(days=14)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
        started, gate = time.perf_counter(), asyncio.Semaphore(10)   # filling up is not the subject

        async def one() -> dict:
            async with gate:
                return await traveller(http, base, count, first)

        everyone = await asyncio.gather(*(one() for _ in range(travellers)))
        print(f"{travellers} travellers x {count} reservations made in {time.perf_counter() - started:.0f} s")
        trips = dict(enumerate(await asyncio.gather(*(trip_ids(http, base, headers) for headers in everyone))))
        print(f"{sum(map(len, trips.values())) / travellers:.1f} trips a traveller")
        pick = random.Random(14)
        chosen = [pick.randrange(travellers) for _ in range(requests)]
        print("GET /api/v1/trips (the dashboard: the current and upcoming trips, with their reservations):")
        await closed_loop(http, [(base + "/api/v1/trips", everyone[i]) for i in chosen], concurrency)
        print("GET /api/v1/trips/{id} (a random trip of the traveller):")
        await closed_loop(http, [(f"{base}/api/v1/trips/{pick.choice(trips[i])}", everyone[i]) for i in chosen],
                          concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--travellers", type=int, default=200)
    parser.add_argument("--reservations", type=int, default=20, help="per traveller")
    parser.add_argument("--requests", type=int, default=1000, help="of each kind")
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rw-bench-") as tmp:
        cluster = Cluster(Path(tmp))
        cluster.start_broker()
        try:
            worker = cluster.worker("w1").start()
            print(f"worker Ready in {worker.wait_ready():.1f} s")
            asyncio.run(load(worker.url, args.travellers, args.reservations, args.requests, args.concurrency))
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
