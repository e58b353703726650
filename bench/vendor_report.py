"""The vendor report for a month with 1,000,000 tracked reservations: aggregation events/s and request time.

    python -m bench.vendor_report [--reservations 1000000] [--vendors 400] [--changes-per 0.3] [--requests 50]
    python -m bench.vendor_report --agents [--marks 20000] [--changes 6000] [--batch 1000] [--vendors 400]

Feeds the aggregation's pure functions (domain/reports/vendor_month.py) as aggregate_vendor_months runs them,
with dict stand-ins for the vendor_months and vendor_facts tables (no Faust, no broker, no RocksDB: the
figure is the fold's own cost): every reservation's monthly mark, then its changes (delays, gates,
cancellations, diversions). Then it times the report request's work on one worker (the replicated rows of
every vendor joined with their providers' API months, sorted, as JSON and as CSV). Prints figures.

With --agents, measures the same work through the agents instead, the way bench/trends.py does: Faust's
test_context() on in-memory tables (memory:// store, sends kept, no broker). route_vendor_changes is fed
reservation-changes messages (their tracking records in the tracking table, for the scheduled departure);
aggregate_vendor_months the monthly marks, grouped by row key per batch of --batch reservations as
agents/tracking/detect_changes.py sends them, then the vendor-report-inputs changes the first agent sent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time

import orjson

from bench.agent_harness import keep_sends, timed
from domain.reports import histogram
from domain.reports.vendor_api import apply_summary, new_api
from domain.reports.vendor_changes import vendor_input
from domain.reports.vendor_keys import api_key, month_of, row_key
from domain.reports.vendor_marks import Marks
from domain.reports.vendor_month import apply_change, mark, new_fact, new_row
from domain.reports.vendor_report import month_rows, sort_rows, to_csv

MONTH = "2026-03"


def vendors(count: int) -> list[tuple[str, str, str]]:
    """(kind, vendor, subject prefix): airlines most, then hotels and car companies."""
    out = []
    for n in range(count):
        kind = "airline" if n % 4 < 2 else ("hotel" if n % 4 == 2 else "car")
        name = f"V{n:03d}" if kind == "airline" else f"{kind}-co-{n}"
        out.append((kind, name, {"airline": "flight", "hotel": "hotel", "car": "car"}[kind]))
    return out


def change(rid: str, uid: str, subject: str, n: int, rand: random.Random, month: str = MONTH) -> dict:
    roll = rand.random()
    if roll < 0.05:
        items = [{"path": "status", "old": "scheduled", "new": "cancelled", "severity": "critical"}]
    elif roll < 0.07:
        items = [{"path": "arrival.airport", "old": "JFK", "new": "EWR", "severity": "critical"}]
    elif roll < 0.6:
        minutes = rand.choice([15, 20, 30, 45, 60, 90, 180])
        utc = f"{month}-10T{8 + minutes // 60:02d}:{minutes % 60:02d}:00Z"
        items = [{"path": "departure.estimated", "old": None, "new": {"local": utc[:19], "zone": "UTC", "utc": utc},
                  "severity": "major"}]
    else:
        items = [{"path": "departure.gate", "old": "A1", "new": f"B{n % 40}", "severity": "info"}]
    return {"change_id": f"{rid}-{n}", "reservation_id": rid, "user_id": uid, "subject": subject,
            "provider": "sim", "severity": items[0]["severity"], "changes": items,
            "detected_at": f"{month}-10T{n % 24:02d}:00:00.000Z", "provider_changed_at": f"{month}-10T00:00:00Z"}


def aggregate(args: argparse.Namespace) -> tuple[dict, float, int]:
    rand, rows, facts, events = random.Random(7), {}, {}, 0
    kinds = vendors(args.vendors)
    started = time.perf_counter()
    routed = []
    for n in range(args.reservations):
        kind, name, prefix = kinds[min(int(rand.paretovariate(1.2)) - 1, len(kinds) - 1)]
        key, rid, uid = row_key(kind, name, MONTH), f"r{n}", f"u{n // 3}"
        row = rows.get(key) or rows.setdefault(key, new_row(key))
        fact = facts.setdefault(f"{key}|r|{rid}", new_fact())
        known = f"{key}|u|{uid}" in facts
        facts[f"{key}|u|{uid}"] = True
        mark(row, fact, known, "sim")
        events += 1
        if rand.random() < args.changes_per:
            routed.append(vendor_input(change(rid, uid, f"{prefix}/{name}/x", n, rand), f"{MONTH}-10T08:00:00Z"))
    for key, message in routed:
        apply_change(rows[key], facts[f"{key}|r|{message['reservation_id']}"], message)
        events += 1
    return rows, time.perf_counter() - started, events


def entries(rows: dict) -> list[tuple[str, dict]]:
    api = new_api(api_key("sim", MONTH))
    apply_summary(api, {"summary_id": "s", "calls": 800_000, "errors": {"timeout": 1200},
                        "latency_ms": histogram.of(random.Random(3).lognormvariate(4.5, 0.6) for _ in range(20_000))})
    return [*((key, orjson.loads(orjson.dumps(row))) for key, row in rows.items()), (api["key"], api)]


def agent_inputs(args: argparse.Namespace, month: str) -> tuple[list, list, dict]:
    """(marks groups as detect_changes sends them, reservation-changes messages, tracking records by ID)."""
    rand, kinds, groups, changes, records = random.Random(7), vendors(args.vendors), [], [], {}
    marked = []
    for start in range(0, args.marks, args.batch):
        marks = Marks()
        for n in range(start, min(start + args.batch, args.marks)):
            kind, name, prefix = kinds[min(int(rand.paretovariate(1.2)) - 1, len(kinds) - 1)]
            rid, uid = f"{n:032x}", f"u{n // 3:031x}"
            marks.add(row_key(kind, name, month), rid, uid, "sim")
            marked.append((rid, uid, f"{prefix}/{name}/x"))
        groups.extend((key, orjson.dumps(group)) for key, group in marks.by_key.items())
    for n in range(args.changes):
        rid, uid, subject = marked[rand.randrange(len(marked))]
        changes.append((rid, orjson.dumps(change(rid, uid, subject, n, rand, month))))
        records[rid] = {"subject": subject, "user_id": uid,
                        "snapshot": {"departure": {"scheduled": {"local": f"{month}-10T08:00:00", "zone": "UTC",
                                                                 "utc": f"{month}-10T08:00:00Z"}}}}
    return groups, changes, records


async def through_agents(args: argparse.Namespace) -> None:
    os.environ["ROADWARRIOR_STORE"] = "memory://"   # before the app is first imported
    from agents.reports.aggregate_vendor_months import aggregate_vendor_months
    from agents.reports.route_vendor_changes import route_vendor_changes
    from streams import topics
    from tables.tracking import tracking
    from tables.vendor_reports import vendor_months

    sent = keep_sends()
    month = month_of(time.time())   # a closed month's inputs are dropped: the current one, as in production
    groups, changes, records = agent_inputs(args, month)
    for rid, record in records.items():
        tracking.data[rid] = record   # the store directly: what detect_changes wrote before (no changelog here)
    route_s = await timed(route_vendor_changes, "route_vendor_changes", changes)
    routed = sent[topics.vendor_report_inputs.get_topic_name()]
    inputs = [*groups, *routed]
    fold_s = await timed(aggregate_vendor_months, "aggregate_vendor_months", inputs)
    dead = len(sent.get(topics.dead_letters.get_topic_name(), ()))
    rows = list(vendor_months.data.values())
    published = len(sent[topics.vendor_month_stats.get_topic_name()])
    events = args.marks + len(routed)
    delays = sum(orjson.loads(value)["delay_minutes"] is not None for _, value in routed)
    print(f"route_vendor_changes: {len(changes):,} changes in {route_s:.2f} s: {len(changes) / route_s:,.0f} events/s"
          f" ({route_s / len(changes) * 1e6:.0f} µs an event), {len(routed):,} sent on"
          f" ({delays:,} with a delay from the tracked schedule)")
    print(f"aggregate_vendor_months: {len(inputs):,} messages ({len(groups):,} marks groups of {args.marks:,}"
          f" reservations in batches of {args.batch:,}, {len(routed):,} changes) in {fold_s:.2f} s:"
          f" {events / fold_s:,.0f} events/s ({fold_s / events * 1e6:.0f} µs an event, a mark or a change;"
          f" {len(inputs) / fold_s:,.0f} messages/s), {published:,} rows published, {dead} dead letters")
    print(f"tables: {len(rows):,} vendor rows, {sum(row['reservations'] for row in rows):,} reservations,"
          f" {sum(row['changes']['total'] for row in rows):,} changes counted")
    total = route_s + fold_s
    print(f"both agents: {events / total:,.0f} events/s ({total / events * 1e6:.0f} µs an event, Faust's"
          " in-process delivery included, no broker)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reservations", type=int, default=1_000_000)
    parser.add_argument("--vendors", type=int, default=400)
    parser.add_argument("--changes-per", type=float, default=0.3)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--agents", action="store_true", help="through the agents under test_context() instead")
    parser.add_argument("--marks", type=int, default=20_000, help="with --agents: reservations marked")
    parser.add_argument("--changes", type=int, default=6_000, help="with --agents: reservation-changes messages")
    parser.add_argument("--batch", type=int, default=1_000, help="with --agents: reservations per detect batch")
    args = parser.parse_args()
    if args.agents:
        with tempfile.TemporaryDirectory(prefix="rw-bench-") as data_dir:
            os.environ.setdefault("ROADWARRIOR_DATA_DIR", data_dir)
            asyncio.run(through_agents(args))
        return
    rows, seconds, events = aggregate(args)
    reserved = sum(row["reservations"] for row in rows.values())
    print(f"aggregation: {events:,} events ({reserved:,} marks, {events - reserved:,} changes) in {seconds:.1f} s"
          f" = {events / seconds:,.0f} events/s (pure fold, dict tables)")
    table = entries(rows)
    timings = {"json": [], "csv": []}
    for _ in range(args.requests):
        start = time.perf_counter()
        orjson.dumps({"month": MONTH, "items": sort_rows(month_rows(MONTH, table), "changes_total", descending=True)})
        timings["json"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        to_csv(month_rows(MONTH, table))
        timings["csv"].append((time.perf_counter() - start) * 1000)
    for kind, values in timings.items():
        values.sort()
        print(f"report request ({kind}, {len(rows)} vendor rows): p50 {statistics.median(values):.1f} ms,"
              f" p99 {values[int(len(values) * 0.99) - 1]:.1f} ms")


if __name__ == "__main__":
    main()
