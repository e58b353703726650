"""The vendor report for a month with 1,000,000 tracked reservations: aggregation events/s and request time.

    python -m bench.vendor_report [--reservations 1000000] [--vendors 400] [--changes-per 0.3] [--requests 50]

Feeds the aggregation's pure functions (domain/reports/vendor_month.py) as aggregate_vendor_months runs them,
with dict stand-ins for the vendor_months and vendor_facts tables (no Faust, no broker, no RocksDB: the
figure is the fold's own cost): every reservation's monthly mark, then its changes (delays, gates,
cancellations, diversions). Then it times the report request's work on one worker (the replicated rows of
every vendor joined with their providers' API months, sorted, as JSON and as CSV). Prints figures.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import orjson

from domain.reports import histogram
from domain.reports.vendor_api import apply_summary, new_api
from domain.reports.vendor_changes import vendor_input
from domain.reports.vendor_keys import api_key, row_key
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


def change(rid: str, uid: str, subject: str, n: int, rand: random.Random) -> dict:
    roll = rand.random()
    if roll < 0.05:
        items = [{"path": "status", "old": "scheduled", "new": "cancelled", "severity": "critical"}]
    elif roll < 0.07:
        items = [{"path": "arrival.airport", "old": "JFK", "new": "EWR", "severity": "critical"}]
    elif roll < 0.6:
        minutes = rand.choice([15, 20, 30, 45, 60, 90, 180])
        utc = f"{MONTH}-10T{8 + minutes // 60:02d}:{minutes % 60:02d}:00Z"
        items = [{"path": "departure.estimated", "old": None, "new": {"local": utc[:19], "zone": "UTC", "utc": utc},
                  "severity": "major"}]
    else:
        items = [{"path": "departure.gate", "old": "A1", "new": f"B{n % 40}", "severity": "info"}]
    return {"change_id": f"{rid}-{n}", "reservation_id": rid, "user_id": uid, "subject": subject,
            "provider": "sim", "severity": items[0]["severity"], "changes": items,
            "detected_at": f"{MONTH}-10T{n % 24:02d}:00:00.000Z", "provider_changed_at": f"{MONTH}-10T00:00:00Z"}


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reservations", type=int, default=1_000_000)
    parser.add_argument("--vendors", type=int, default=400)
    parser.add_argument("--changes-per", type=float, default=0.3)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
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
