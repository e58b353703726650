"""Travel trends through the real stack (flights made over HTTP -> the compacted topic), and the Parquet export
run as the data team runs it (`faust -A faust_app export-analytics`) against the same broker."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path

import duckdb
import orjson
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from jsonschema import Draft202012Validator

from streams.compacted import read_tables
from tests.integration.conftest import TRIP_DAY, Api, eventually, flight

pytestmark = pytest.mark.integration
ROOT = Path(__file__).parents[2]
MONTH = TRIP_DAY[:7]
TRENDS = Draft202012Validator(json.loads((ROOT / "schemas" / "travel-trends.json").read_text()))
YEAR_STATS = {"schema_version": 1, "pseudonym": "c0ffee" * 5 + "00", "year": int(MONTH[:4]), "trips": 2,
              "flights": 3, "distance_km": 12345, "air_hours": 17.5, "airports": 3, "countries": ["DE", "US"],
              "hotel_nights": 4, "car_rental_days": 0,
              "delays": {"count": 1, "total_minutes": 45, "longest_minutes": 45}, "cancellations": 1,
              "top_airline": "LH", "busiest_month": 12, "longest_trip_days": 6, "updated_at": "2026-01-01T00:00:00Z"}
VENDOR_STATS = {"schema_version": 1, "kind": "airline", "vendor": "LH", "month": MONTH, "provider": None,
                "reservations": 2, "travellers": 1,
                "changes": {"total": 1, "by_kind": {"delay": 1}, "by_severity": {"info": 0, "major": 1, "critical": 0}},
                "changes_per_reservation": 0.5, "delay_minutes": {"p50": 45, "p90": 45, "max": 45},
                "cancellations": 0, "diversions": 0,
                "api": {"calls": 10, "errors": 1, "error_rate": 0.1, "latency_ms": {"p50": 20, "p99": 80}},
                "freshness_s": {"p50": 60, "p99": 200}, "closed": False, "updated_at": "2026-01-01T00:00:00Z"}


async def trends(cluster) -> dict:
    return (await read_tables([cluster.bootstrap], [cluster.topic("travel-trends")]))[cluster.topic("travel-trends")]


def lead_days(created: dict) -> int:
    ahead = datetime.fromisoformat(created["start"]) - datetime.fromisoformat(created["created_at"])
    return int(ahead.total_seconds() // 86400)


async def test_flights_made_over_http_become_travel_trends_that_follow_cancellations_and_deletions(cluster, worker,
                                                                                                 http):
    api = Api(http, worker.url)
    await api.sign_up_and_log_in("Ann")
    made = []
    for body in (flight(), flight(confirmation="DEF456"), flight(start=f"{TRIP_DAY}T09:00", end=f"{TRIP_DAY}T11:30",
                                                                  flight={"airline": "AF", "number": "6",
                                                                          "from": "CDG", "to": "JFK"})):
        status, created, _ = await api.call("POST", "/api/v1/reservations", body)
        assert status == 201, created
        made.append(created)
    await api.call("POST", "/api/v1/reservations", {"type": "hotel", "start": f"{TRIP_DAY}T15:00",
                                                    "end": f"{TRIP_DAY}T11:00", "hotel": {"name": "Hotel X"},
                                                    "start_time_zone": "America/New_York"})
    fra, cdg = f"FRA-JFK/{MONTH}", f"CDG-JFK/{MONTH}"

    async def counted(expected: dict):
        latest = await trends(cluster)
        return latest if {key: row["flights"] for key, row in latest.items()} == expected else None

    latest = await eventually(lambda: counted({fra: 2, cdg: 1}))
    for row in latest.values():
        TRENDS.validate(row)
    assert latest[fra]["lead_time_days"]["p50"] == lead_days(made[0]) and latest[cdg]["origin"] == "CDG"

    status, _, _ = await api.call("PATCH", f"/api/v1/reservations/{made[1]['id']}", {"status": "cancelled"},
                                  {"If-Match": '"1"'})
    assert status == 200
    status, _, _ = await api.call("DELETE", f"/api/v1/reservations/{made[2]['id']}", headers={"If-Match": '"1"'})
    assert status == 204
    await eventually(lambda: counted({fra: 1}))   # the deleted route-month is a tombstone: gone

    await produce_sample_rows(cluster)
    out = worker.data_dir.parent / "export"
    done = await export(worker.env, out)
    assert done.returncode == 0, done.stderr
    db = duckdb.connect()
    assert db.sql(f"SELECT origin, destination, month, flights FROM '{out}/travel_trends.parquet'").fetchall() == \
        [("FRA", "JFK", MONTH, 1)]
    # The sample row beside the test traveller's own (published by the year's agents, under their pseudonym).
    years = {pseudonym: rest for pseudonym, *rest in db.sql(
        f"SELECT pseudonym, delays_total_minutes, countries FROM '{out}/traveller_year_stats.parquet'").fetchall()}
    assert years[YEAR_STATS["pseudonym"]] == [45, ["DE", "US"]] and "gone" not in years and len(years) == 2
    vendors = db.sql(f"SELECT vendor, reservations, api_latency_ms_p99, changes_by_kind['delay'], provider "
                     f"FROM '{out}/vendor_month_stats.parquet'")
    assert vendors.fetchall() == [("LH", 2, 80.0, 1, None)]
    assert sorted(p.name for p in out.iterdir()) == ["travel_trends.parquet", "traveller_year_stats.parquet",
                                                     "vendor_month_stats.parquet"]


async def produce_sample_rows(cluster) -> None:
    """What the year and vendor aggregations publish (their contracts), a row of another month, and a deleted row."""
    names = {topic: cluster.topic(topic) for topic in ("traveller-year-stats", "vendor-month-stats")}
    admin = AIOKafkaAdminClient(bootstrap_servers=cluster.bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        await admin.create_topics([NewTopic(name, 4, 1, topic_configs={"cleanup.policy": "compact"})
                                   for name in names.values() if name not in existing])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=cluster.bootstrap)
    await producer.start()
    try:
        other_month = f"{int(MONTH[:4]) - 1}-{MONTH[5:]}"
        for topic, key, value in (
                ("traveller-year-stats", f"{YEAR_STATS['pseudonym']}/{YEAR_STATS['year']}", YEAR_STATS),
                ("traveller-year-stats", "gone/2026", {**YEAR_STATS, "pseudonym": "gone"}),
                ("traveller-year-stats", "gone/2026", None),
                ("vendor-month-stats", f"airline/LH/{MONTH}", {**VENDOR_STATS, "reservations": 1}),
                ("vendor-month-stats", f"airline/LH/{MONTH}", VENDOR_STATS),   # the latest value wins
                ("vendor-month-stats", f"airline/LH/{other_month}", {**VENDOR_STATS, "month": other_month})):
            await producer.send_and_wait(names[topic], key=orjson.dumps(key),
                                         value=None if value is None else orjson.dumps(value))
    finally:
        await producer.stop()


async def export(env: dict, out: Path, month: str = MONTH) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "faust", "-A", "faust_app", "export-analytics", "--month", month, "--out",
               str(out)]
    return await asyncio.to_thread(subprocess.run, command, cwd=ROOT, env=env, capture_output=True, text=True,
                                   timeout=120)


async def test_a_month_with_nothing_still_gets_its_three_files_with_their_columns(kafka, tmp_path):
    env = {**os.environ, "ROADWARRIOR_BROKER": f"kafka://{kafka.bootstrap}", "ROADWARRIOR_DATA_DIR": str(tmp_path),
           "ROADWARRIOR_TOPIC_PREFIX": f"t{uuid.uuid4().hex[:10]}."}   # topics nobody has created
    done = await export(env, tmp_path / "out", month="2031-07")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("0 row(s) (the topic does not exist yet)") == 3
    columns = duckdb.sql(f"DESCRIBE SELECT * FROM '{tmp_path}/out/traveller_year_stats.parquet'").fetchall()
    types = {name: kind for name, kind, *_ in columns}
    assert types["delays_count"] == "BIGINT" and types["countries"] == "VARCHAR[]" and types["air_hours"] == "DOUBLE"
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path}/out/travel_trends.parquet'").fetchall() == [(0,)]


async def test_the_export_says_in_one_line_when_the_broker_cannot_be_reached_or_the_month_is_wrong(tmp_path):
    env = {**os.environ, "ROADWARRIOR_BROKER": "kafka://127.0.0.1:1",
           "ROADWARRIOR_DATA_DIR": str(tmp_path / "data")}
    unreachable = await export(env, tmp_path / "out")
    assert unreachable.returncode == 2
    assert unreachable.stderr.strip().splitlines() == ["export-analytics: cannot reach the broker at 127.0.0.1:1 "
                                                       "(KafkaConnectionError)"]
    wrong = await export(env, tmp_path / "out", month="2026-13")
    assert wrong.returncode == 2 and wrong.stderr.strip().splitlines()[-1].startswith("export-analytics: --month")
    assert not (tmp_path / "out").exists()
