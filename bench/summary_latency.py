"""A traveller's year: GET /api/v1/me/summary/{year} latency for a traveller with 2,000 reservations, and what
keeping their facts costs per event in the report agents.

    python -m bench.summary_latency [--reservations 2000] [--requests 500] [--agent-only]

1. Through the real stack: a Kafka broker and a worker on this machine (RocksDB tables), one traveller (home
   Frankfurt, a trip a week: out, a hotel, a car or second hotel, back, so 2,000 reservations span ~10 years
   and end a few weeks from now) made through the API, then the summary of this year read by one client in a
   closed loop (each request sent when the last answer came).
2. In process: the same reservations put to record_reservation_facts under Faust's test_context() (in-memory
   tables; sends go nowhere), then schedule changes and departures heard by record_departures: events/s, each
   including the traveller-year-stats figures of the years it touched; then the summary's own computation.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import orjson

from bench.api_latency import timed, token
from bench.trips_regroup import HOME, _nowhere, bookings, changed, figures, itinerary
from devtools.cluster import Cluster


def first_day(count: int):
    """The first trip's day: a trip a week (4 reservations), the last few weeks ahead."""
    return datetime.now(UTC).date() - timedelta(days=7 * (count // 4) - 28)


async def fill(http: aiohttp.ClientSession, base: str, count: int) -> dict:
    headers = {"Authorization": f"Bearer {await token(http, base)}"}
    assert (await timed(http, "PATCH", base + "/api/v1/me", headers, {"home": HOME}))[1] == 200
    gate = asyncio.Semaphore(8)   # filling up is not the subject

    async def make(fields: dict) -> None:
        once, status, body = {**headers, "Idempotency-Key": uuid.uuid4().hex}, 503, None
        async with gate:
            while status == 503:   # accepted but not confirmed in time: the same key makes it once
                _, status, body = await timed(http, "POST", base + "/api/v1/reservations", once, fields)
        assert status == 201, body

    started = time.perf_counter()
    await asyncio.gather(*(make(fields) for fields in bookings(count, first_day(count))))
    print(f"{count} reservations made through the API in {time.perf_counter() - started:.0f} s")
    return headers


async def read_summaries(base: str, count: int, requests: int) -> None:
    async with aiohttp.ClientSession() as http:
        headers = await fill(http, base, count)
        url = f"{base}/api/v1/me/summary/{datetime.now(UTC).year}"
        status, body = 503, None
        while status == 503:   # the report agents catching up with the reservations just made
            _, status, body = await timed(http, "GET", url, headers)
        assert status == 200, body
        print(f"this year: {body['flights']} flights, {body['trips']} trips, {body['hotel_nights']} hotel nights;"
              f" {len(orjson.dumps(body)):,} bytes of JSON")
        spent = []
        for _ in range(requests):
            ms, status, body = await timed(http, "GET", url, headers)
            assert status == 200, body
            spent.append(ms / 1000)
        print(figures("GET /api/v1/me/summary/{year}, one client, real worker (RocksDB)", spent))


def real_stack(count: int, requests: int) -> None:
    with tempfile.TemporaryDirectory(prefix="rw-bench-") as tmp:
        cluster = Cluster(Path(tmp))
        cluster.start_broker()
        try:
            worker = cluster.worker("w1").start()
            print(f"worker Ready in {worker.wait_ready():.1f} s")
            asyncio.run(read_summaries(worker.url, count, requests))
        finally:
            cluster.stop()


async def agents(count: int, data_dir: str) -> None:
    """Events put to the report agents one after another: events/s and the cost of one."""
    os.environ["ROADWARRIOR_STORE"] = "memory://"   # read when the app is first imported
    os.environ.setdefault("ROADWARRIOR_DATA_DIR", data_dir)
    from agents.reports.record_departures import record_departures
    from agents.reports.record_reservation_facts import record_reservation_facts
    from faust_app import app
    from streams import topics
    from tables.users import users

    app.loop = asyncio.get_running_loop()
    app.finalize()
    app.flow_control.resume()   # otherwise put() never arrives
    for name in dir(topics):
        if hasattr(topic := getattr(topics, name), "get_topic_name"):
            topic.send = _nowhere
    user_id = "u" * 32
    users.data[user_id] = {"id": user_id, "time_zone": "Europe/Berlin", "home": [HOME]}
    stored = itinerary(count, first_day(count))
    await _timed_puts(record_reservation_facts, "reservation.created", user_id,
                      [_event(r, user_id, "reservation.created") for r in stored])
    updates = [_event(changed(r, n), user_id, "reservation.updated") for n, r in enumerate(stored)]
    await _timed_puts(record_reservation_facts, "reservation.updated (times 30 min later)", user_id, updates)
    flights = [r for r in stored if r["type"] == "flight"]
    await _timed_puts(record_departures, "departure heard (user-changes)", user_id,
                      [_departure(r, user_id, n) for n, r in enumerate(flights)])
    summaries(user_id)


def summaries(user_id: str, rounds: int = 200) -> None:
    """What a summary request spends on the figures themselves: the two years' facts, then year_summary."""
    from domain.reports.summary import year_summary
    from tables.reports import facts_of

    year, spent = datetime.now(UTC).year, []
    for _ in range(rounds):
        start = time.perf_counter()
        facts = facts_of(user_id, [year - 1, year])
        year_summary(facts, year, zone="Europe/Berlin", home="DE", now=datetime.now(UTC))
        spent.append(time.perf_counter() - start)
    print(figures(f"year_summary of this year and last ({len(facts)} facts), in process", spent))


async def _timed_puts(agent, label: str, user_id: str, messages: list[dict]) -> None:
    spent = []
    async with agent.test_context() as running:
        for message in messages:
            start = time.perf_counter()
            await running.put(key=user_id, value=orjson.dumps(message))
            spent.append(time.perf_counter() - start)
    print(f"{agent.name.rsplit('.', 1)[-1]}: {len(spent) / sum(spent):,.0f} events/s")
    print(figures(f"  {label}, one traveller's {len(messages)}", spent))


def _event(reservation: dict, user_id: str, kind: str) -> dict:
    return {"schema_version": 1, "event_id": uuid.uuid4().hex, "event_type": kind, "reservation_id": reservation["id"],
            "user_id": user_id, "version": reservation["version"], "occurred_at": "2026-01-01T00:00:00.000Z",
            "changed_fields": [], "reservation": reservation}


def _departure(flight: dict, user_id: str, n: int) -> dict:
    late = datetime.fromisoformat(flight["start"]) + timedelta(minutes=20 + n % 60)
    utc = late.astimezone(UTC).isoformat().replace("+00:00", "Z")
    change = {"change_id": uuid.uuid4().hex, "reservation_id": flight["id"], "user_id": user_id,
              "detected_at": f"2026-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}.000Z", "severity": "major",
              "changes": [{"path": "departure.estimated", "old": None, "new": {"utc": utc}, "severity": "major"}]}
    return {"kind": "change", "user_id": user_id, "change": change}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reservations", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--agent-only", action="store_true", help="skip the real stack")
    args = parser.parse_args()
    if not args.agent_only:
        real_stack(args.reservations, args.requests)
    with tempfile.TemporaryDirectory(prefix="rw-bench-") as data_dir:
        asyncio.run(agents(args.reservations, data_dir))


if __name__ == "__main__":
    main()
