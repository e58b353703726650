"""News before a reservation's first poll, through test_context(): the first snapshot, polled or pushed, is
compared with the reservation as booked, and what differs is published once, with a stable change ID."""

from __future__ import annotations

import dataclasses
import time
from datetime import date, datetime, timedelta

import orjson
import pytest

import agents.tracking.track_reservations as track_module
from agents.tracking.detect_changes import detect_changes
from agents.tracking.index_tracked_subjects import index_tracked_subjects, ingest_pushed
from agents.tracking.track_reservations import track_reservations
from domain.reservations.fields import check
from domain.tracking.baseline import booked
from domain.tracking.snapshots import fingerprint, flight_snapshot, point, time_at, time_from_local
from streams import topics
from streams.partitions import partition_of
from tables.providers import providers
from tables.tracking import tracking

DAY = (date.today() + timedelta(days=30)).isoformat()      # a trip ahead, whenever the tests run
SUBJECT = f"flight/LH/400/{DAY}"
PARTITION = 2   # the reservations' partition (reservation-events, tracking, provider-snapshots)
AIRLINE = {"provider_id": "airline-sim", "kind": "standard", "base_url": "http://127.0.0.1:1/p/airline-sim",
           "enabled": True, "batch_size": 10, "quota": {"per_second": 10, "per_day": 1000}, "can_push": True}


def reservation(rid: str, **flight) -> dict:
    fields = check({"type": "flight", "start": f"{DAY}T08:30", "end": f"{DAY}T11:05", "provider": "airline-sim",
                    "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK", **flight}})
    return {"id": rid, "version": 1, **fields}


def reservation_event(rid: str, version: int = 1, **flight) -> bytes:
    kind = "reservation.created" if version == 1 else "reservation.updated"
    return orjson.dumps({"event_type": kind, "reservation_id": rid, "user_id": f"user-{rid}", "version": version,
                         "changed_fields": ["flight"] if version > 1 else [],
                         "reservation": {**reservation(rid, **flight), "version": version}})


def later(t: dict, minutes: int) -> dict:
    return time_at(datetime.fromisoformat(t["utc"]) + timedelta(minutes=minutes), t["zone"])


def snapshot(status: str = "scheduled", late: int = 0, gate: str | None = None, to: str = "JFK") -> dict:
    """LH 400 as the provider says it; by default just as booked."""
    departs = time_from_local(f"{DAY}T08:30:00", "Europe/Berlin")
    arrives = time_from_local(f"{DAY}T11:05:00", "America/New_York")
    return flight_snapshot(
        "LH", "400", DAY, status=status, provider_changed_at="2026-01-01T00:00:00Z" if status != "scheduled" else None,
        departure=point("FRA", departs, later(departs, late) if late else None, gate=gate),
        arrival=point(to, arrives, later(arrives, late) if late else None))


def polled(rids: list[str], entry_snapshot: dict, at: float) -> bytes:
    """A provider-snapshots message as the poller's outbox sends it (the snapshot as JSON text)."""
    entry = {"outcome": "found", "snapshot": orjson.dumps(entry_snapshot).decode(), "fp": fingerprint(entry_snapshot),
             "fetched_at": at, "source": "poll", "provider": "airline-sim"}
    return orjson.dumps({"schema_version": 1, "partition": PARTITION, "snapshots": {SUBJECT: entry},
                         "targets": [[rid, SUBJECT] for rid in rids], "stops": []})


def decoded(sent, topic) -> list[tuple]:
    return [(key, orjson.loads(value)) for key, value in sent.to(topic)]


def changes_of(sent) -> list[dict]:
    return [change for _, change in decoded(sent, topics.reservation_changes)]


@pytest.fixture(autouse=True)
def one_event_at_a_time(monkeypatch):
    """track_reservations takes events in batches; one at a time, put() returns once each was applied."""
    settings = track_module.settings
    monkeypatch.setattr(track_module, "settings", dataclasses.replace(
        settings, tracking=dataclasses.replace(settings.tracking, join_batch=1)))


async def track(*events: tuple[str, bytes]) -> None:
    async with track_reservations.test_context() as agent:
        for rid, value in events:
            await agent.put(key=rid, value=value, partition=PARTITION)


async def detect(*messages: bytes) -> None:
    async with detect_changes.test_context() as agent:
        for value in messages:
            await agent.put(value=value, partition=PARTITION)


FIRST_NEWS = {
    "delayed": (snapshot("delayed", late=95), "major", {"status", "departure.estimated", "arrival.estimated"}),
    "cancelled": (snapshot("cancelled"), "critical", {"status"}),
    "diverted": (snapshot("diverted", to="BOS"), "critical", {"status", "arrival.airport"}),
    "gate changed": (snapshot(gate="C7"), "info", {"departure.gate"}),
}


@pytest.mark.parametrize("case", sorted(FIRST_NEWS))
async def test_a_change_made_before_the_first_poll_is_published_by_it(faust_app, sent, case):
    first, severity, paths = FIRST_NEWS[case]
    await track(("r1", reservation_event("r1", departure_gate="B22")))
    assert tracking["r1"]["booked"] == booked(reservation("r1", departure_gate="B22"))
    now = time.time()
    await detect(polled(["r1"], first, now), polled(["r1"], first, now + 300))   # the next poll: no news again
    (change,) = changes_of(sent)
    assert change["reservation_id"] == "r1" and change["user_id"] == "user-r1" and change["source"] == "poll"
    assert change["severity"] == severity and {c["path"] for c in change["changes"]} == paths
    if case == "gate changed":
        assert change["changes"] == [{"path": "departure.gate", "old": "B22", "new": "C7", "severity": "info"}]
    assert tracking["r1"]["snapshot"] == first and tracking["r1"]["booked"] is None


async def test_a_first_poll_that_agrees_with_the_booking_publishes_nothing(faust_app, sent):
    await track(("r1", reservation_event("r1")), ("r2", reservation_event("r2")))
    await detect(polled(["r1", "r2"], snapshot(gate="A12"), time.time()))
    assert changes_of(sent) == []
    assert tracking["r1"]["snapshot"] == snapshot(gate="A12") and tracking["r2"]["verification"] == "verified"


async def test_the_travellers_edit_before_the_first_poll_is_what_it_is_compared_with(faust_app, sent):
    await track(("r1", reservation_event("r1", departure_gate="A1")),
                ("r1", reservation_event("r1", 2, departure_gate="B22")))
    assert tracking["r1"]["version"] == 2 and tracking["r1"]["booked"]["departure"]["gate"] == "B22"
    await detect(polled(["r1"], snapshot(gate="B22"), time.time()))
    assert changes_of(sent) == []


async def test_a_replay_of_the_first_snapshot_before_its_record_was_written_publishes_the_same_change_id(
        faust_app, sent):
    await track(("r1", reservation_event("r1")))
    before = dict(tracking["r1"])
    message = polled(["r1"], snapshot("delayed", late=45), time.time())
    await detect(message)
    tracking.data["r1"] = before     # a crash after the change was published, before the record was written
    await detect(message)
    first, again = changes_of(sent)
    assert again == {**first, "detected_at": again["detected_at"]}


async def test_a_delay_pushed_before_the_first_poll_is_published_and_the_first_poll_adds_nothing(faust_app, sent):
    providers.data["airline-sim"] = AIRLINE
    await track(("r1", reservation_event("r1")))
    index_partition = partition_of(topics.tracked_subject_commands, SUBJECT)
    async with index_tracked_subjects.test_context() as agent:
        (key, joins), = decoded(sent, topics.tracked_subject_commands)
        await agent.put(key=key, value=orjson.dumps(joins), partition=index_partition)
        delayed = snapshot("delayed", late=95)
        await ingest_pushed({"subject": SUBJECT, "snapshot": delayed, "provider_id": "airline-sim",
                             "changed_at": "2026-01-01T00:00:00Z"})
        key, pushed = decoded(sent, topics.tracked_subject_commands)[-1]
        assert pushed["kind"] == "pushed"
        await agent.put(key=key, value=orjson.dumps(pushed), partition=index_partition)
    (_, fanned), = decoded(sent, topics.provider_snapshots)
    assert fanned["partition"] == PARTITION and fanned["targets"] == [["r1", SUBJECT]]
    await detect(orjson.dumps(fanned), polled(["r1"], delayed, time.time() + 1))
    (change,) = changes_of(sent)
    assert change["source"] == "push" and change["severity"] == "major" and change["provider"] == "airline-sim"
    assert {c["path"] for c in change["changes"]} == {"status", "departure.estimated", "arrival.estimated"}
    assert tracking["r1"]["snapshot"] == delayed and tracking["r1"]["booked"] is None
