"""What keeping travel trends up to date costs per reservation event: events/s through the aggregation.

    python -m bench.trends [--reservations 20000] [--routes 300]

Reservations are created on a few hundred routes over a year, then a fifth of them edited (moved to another
day or route), a tenth cancelled and a twentieth deleted: each one a reservation-events value. Measures
domain/reports/trends.py alone (both stages, as the agents call it, and the row built for every delta), then
the two agents under Faust's test_context() on in-memory tables (record_trend_facts, then
aggregate_travel_trends fed with the deltas the first one sent). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta

import orjson

from bench.agent_harness import keep_sends, timed
from domain.reports.trends import apply_delta, follow, row

AIRPORTS = ["FRA", "JFK", "CDG", "LHR", "NRT", "SFO", "BCN", "SIN", "ORD", "DXB", "MAD", "ARN", "YUL", "GRU",
            "SYD", "HND", "MUC", "ZRH", "AMS", "IST", "DEL", "BOS", "LAX", "MEX", "JNB"]


def events(count: int, routes: int, seed: int = 16) -> list[dict]:
    """Reservation events: ``count`` creates, then edits, cancellations and deletions of random ones."""
    pick, now = random.Random(seed), datetime(2026, 1, 1, tzinfo=UTC)
    pairs = [tuple(pick.sample(AIRPORTS, 2)) for _ in range(routes)]
    current, out = {}, []

    def emit(kind: str, rid: str, body: dict | None) -> None:
        version = (current[rid]["version"] + 1) if rid in current else 1
        body = body and {**body, "version": version}
        out.append({"schema_version": 1, "event_id": f"{rid}-{version}", "event_type": f"reservation.{kind}",
                    "reservation_id": rid, "user_id": "u" * 32, "version": version,
                    "occurred_at": "2026-01-01T00:00:00.000Z", "changed_fields": [], "reservation": body})
        current[rid] = body or {"version": version}

    def flight(rid: str) -> dict:
        origin, destination = pick.choice(pairs)
        start = now + timedelta(days=pick.randint(1, 365), minutes=pick.randint(0, 1439))
        return {"id": rid, "type": "flight", "status": "confirmed", "start": start.isoformat(),
                "created_at": "2026-01-01T00:00:00.000Z",
                "flight": {"airline": "LH", "number": "400", "from": origin, "to": destination}}

    for n in range(count):
        emit("created", f"{n:032x}", flight(f"{n:032x}"))
    ids = list(current)
    for rid in pick.sample(ids, count // 5):
        emit("updated", rid, flight(rid))
    for rid in pick.sample(ids, count // 10):
        emit("updated", rid, {**current[rid], "status": "cancelled"})
    for rid in pick.sample(ids, count // 20):
        emit("deleted", rid, None)
    return out


def pure(stream: list[dict]) -> None:
    facts, aggregates, deltas = {}, {}, 0
    start = time.perf_counter()
    for offset, event in enumerate(stream):
        step = follow(facts.get(event["reservation_id"]), event, (0, offset))
        if step.changed:
            facts[event["reservation_id"]] = step.fact
        for key, delta in step.deltas.items():
            aggregates[key] = apply_delta(aggregates.get(key), {**delta, "origin": [0, offset], "at": "x"})
            row(key, aggregates[key])
            deltas += 1
    seconds = time.perf_counter() - start
    rows = sum(1 for key, aggregate in aggregates.items() if row(key, aggregate))
    biggest = max(len(orjson.dumps(a)) for a in aggregates.values())
    print(f"domain only: {len(stream):,} events -> {deltas:,} deltas -> {rows:,} route-months in {seconds:.2f} s:"
          f" {len(stream) / seconds:,.0f} events/s ({seconds / len(stream) * 1e6:.1f} µs an event);"
          f" largest aggregate {biggest:,} bytes")


async def through_agents(stream: list[dict]) -> None:
    os.environ["ROADWARRIOR_STORE"] = "memory://"   # before the app is first imported
    from agents.reports.aggregate_travel_trends import aggregate_travel_trends
    from agents.reports.record_trend_facts import record_trend_facts
    from streams import topics

    sent = keep_sends()
    messages = [(e["reservation_id"], orjson.dumps(e)) for e in stream]
    facts_s = await timed(record_trend_facts, "record_trend_facts", messages)
    deltas = sent[topics.travel_trend_deltas.get_topic_name()]
    aggregate_s = await timed(aggregate_travel_trends, "aggregate_travel_trends", deltas)
    rows = len(sent[topics.travel_trends.get_topic_name()])
    print(f"record_trend_facts: {len(stream):,} events in {facts_s:.2f} s: {len(stream) / facts_s:,.0f} events/s")
    print(f"aggregate_travel_trends: {len(deltas):,} deltas in {aggregate_s:.2f} s:"
          f" {len(deltas) / aggregate_s:,.0f} deltas/s, {rows:,} rows published (once per key per batch)")
    total = facts_s + aggregate_s
    print(f"both agents: {len(stream) / total:,.0f} reservation events/s ({total / len(stream) * 1e6:.0f} µs an"
          " event, Faust's in-process delivery included, no broker)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reservations", type=int, default=20000)
    parser.add_argument("--routes", type=int, default=300)
    args = parser.parse_args()
    stream = events(args.reservations, args.routes)
    pure(stream)
    with tempfile.TemporaryDirectory(prefix="rw-bench-") as data_dir:
        os.environ.setdefault("ROADWARRIOR_DATA_DIR", data_dir)
        asyncio.run(through_agents(stream))


if __name__ == "__main__":
    main()
