"""The tracking agents through test_context(): following reservations, the subject index, the diff stage, history."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import orjson
import pytest

import agents.tracking.track_reservations as track_module
from agents.tracking.detect_changes import detect_changes
from agents.tracking.index_tracked_subjects import index_tracked_subjects, ingest_pushed
from agents.tracking.poll_providers import poller
from agents.tracking.record_changes import record_changes
from agents.tracking.track_reservations import track_reservations
from domain.tracking.plan import PollPlan
from domain.tracking.snapshots import fingerprint, flight_snapshot, point, time_from_local
from streams import partitions, topics
from tables.providers import providers
from tables.reservation_history import reservation_history
from tables.tracked_subjects import tracked_subjects
from tables.tracking import tracking
from tests.dates import next_on

DAY = next_on(12, 1).isoformat()   # a winter trip still ahead: the offsets below hold
SUBJECT = f"flight/LH/400/{DAY}"
FLIGHT = {"id": "r1", "type": "flight", "status": "confirmed", "start": f"{DAY}T08:30:00+01:00",
          "end": f"{DAY}T11:05:00-05:00", "start_time_zone": "Europe/Berlin", "end_time_zone": "America/New_York",
          "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}}
LATER = time.time() + 30 * 24 * 3600   # members whose tracking ends after the test
AIRLINE = {"provider_id": "airline-sim", "kind": "standard", "base_url": "http://127.0.0.1:1/p/airline-sim",
           "enabled": True, "batch_size": 10, "quota": {"per_second": 10, "per_day": 1000}}


def reservation_event(rid: str, kind: str = "reservation.created", version: int = 1, **changes) -> bytes:
    reservation = None if kind == "reservation.deleted" else {**FLIGHT, "id": rid, **changes}
    return orjson.dumps({"event_type": kind, "reservation_id": rid, "user_id": f"user-{rid}", "version": version,
                         "reservation": reservation})


def snapshot(delay: int = 0, status: str = "scheduled") -> dict:
    scheduled = time_from_local(f"{DAY}T08:30:00", "Europe/Berlin")
    minutes = 8 * 60 + 30 + delay
    estimated = time_from_local(f"{DAY}T{minutes // 60:02d}:{minutes % 60:02d}:00", "Europe/Berlin") \
        if delay else None
    return flight_snapshot("LH", "400", DAY, status=status, departure=point("FRA", scheduled, estimated),
                           provider_changed_at="2026-09-21T10:00:00Z" if delay else None)


def batch(partition: int, rids: list[str], entry_snapshot: dict | None, at: float, **extra) -> bytes:
    text = orjson.dumps(entry_snapshot).decode() if entry_snapshot else None   # as the outbox sends it
    entry = {"outcome": "found" if entry_snapshot else "not_found", "snapshot": text,
             "fp": fingerprint(entry_snapshot) if entry_snapshot else None, "fetched_at": at, "source": "poll",
             "provider": "airline-sim"}
    return orjson.dumps({"schema_version": 1, "partition": partition, "snapshots": {SUBJECT: entry},
                         "targets": [[rid, SUBJECT] for rid in rids], "stops": [], **extra})


def in_another_partition(subject: str) -> str:
    """The first LH flight of DAY after LH 400 whose subject the index keeps in another partition than ``subject``."""
    partition = partitions.partition_of(topics.tracked_subject_commands, subject)
    return next(s for s in (f"flight/LH/{n}/{DAY}" for n in range(402, 1000))
                if partitions.partition_of(topics.tracked_subject_commands, s) != partition)


def decoded(sent, topic) -> list[tuple]:
    return [(key, orjson.loads(value)) for key, value in sent.to(topic)]


@pytest.fixture
def changelog(monkeypatch):
    """Every write to the tracking table (its changelog record): the table must be written only on change."""
    writes = []
    original = tracking.send_changelog

    def record(partition, key, value, *args, **kwargs):
        writes.append(key)
        return original(partition, key, value, *args, **kwargs)

    monkeypatch.setattr(tracking, "send_changelog", record)
    return writes


@pytest.fixture(autouse=True)
def one_event_at_a_time(monkeypatch):
    """track_reservations takes events in batches; one at a time, put() returns once each was applied."""
    settings = track_module.settings
    monkeypatch.setattr(track_module, "settings", dataclasses.replace(
        settings, tracking=dataclasses.replace(settings.tracking, join_batch=1)))


def subject_commands(sent) -> list[tuple[str, dict]]:
    """The joins and leaves sent, unpacked from their per-partition batches, as (subject, command)."""
    return [(c["subject"], c) for _, batch in decoded(sent, topics.tracked_subject_commands)
            for c in batch["commands"]]


async def track(rids: list[str], partition: int = 2) -> None:
    async with track_reservations.test_context() as agent:
        for rid in rids:
            await agent.put(key=rid, value=reservation_event(rid), partition=partition)


async def test_a_created_reservation_is_tracked_and_joins_its_subject_deleted_it_leaves(faust_app, sent):
    async with track_reservations.test_context() as agent:
        await agent.put(key="r1", value=reservation_event("r1"), partition=2)
        await agent.put(key="r1", value=reservation_event("r1", "reservation.updated", 2, notes="x"), partition=2)
        assert tracking["r1"]["subject"] == SUBJECT and tracking["r1"]["user_id"] == "user-r1"
        await agent.put(key="r1", value=reservation_event("r1", "reservation.deleted", 3), partition=2)
    assert "r1" not in tracking
    commands = subject_commands(sent)
    assert [(key, c["kind"]) for key, c in commands] == [(SUBJECT, "join"), (SUBJECT, "leave")]
    assert commands[0][1]["members"]["r1"][0] == 2 and commands[1][1]["reservation_ids"] == ["r1"]


async def test_a_batch_of_events_sends_one_message_per_index_partition_which_the_index_applies_in_order(
        faust_app, sent, monkeypatch):
    settings = track_module.settings
    monkeypatch.setattr(track_module, "settings", dataclasses.replace(
        settings, tracking=dataclasses.replace(settings.tracking, join_batch=100, join_wait_s=0.01)))
    other = in_another_partition(SUBJECT)   # the case worth testing: two partitions
    partition_of = {s: partitions.partition_of(topics.tracked_subject_commands, s) for s in (SUBJECT, other)}
    moved = {**FLIGHT["flight"], "number": other.split("/")[2]}
    async with track_reservations.test_context() as agent:
        for rid, partition in (("r1", 2), ("r2", 3), ("r3", 2)):
            await agent.put(key=rid, value=reservation_event(rid), partition=partition, wait=False)
        await agent.put(key="r3", value=reservation_event("r3", "reservation.updated", 2, flight=moved), partition=2,
                        wait=False)
        for _ in range(200):   # the batch is taken once nothing more came for tracking_join_wait_s
            if len(sent.to(topics.tracked_subject_commands)) == 2:
                break
            await asyncio.sleep(0.01)
    messages = {key: orjson.loads(value) for key, value in sent.to(topics.tracked_subject_commands)}
    assert set(messages) == {f"~batch/{partition_of[SUBJECT]}", f"~batch/{partition_of[other]}"}
    mine = messages[f"~batch/{partition_of[SUBJECT]}"]
    assert [(c["kind"], c.get("reservation_ids") or list(c["members"])) for c in mine["commands"]] == [
        ("join", ["r1"]), ("join", ["r2"]), ("join", ["r3"]), ("leave", ["r3"])]
    assert {"r1", "r2", "r3"} <= set(tracking) and tracking["r3"]["subject"] == other
    monkeypatch.setattr(poller, "plans", {partition_of[SUBJECT]: PollPlan(300)})
    async with index_tracked_subjects.test_context() as agent:
        await agent.put(key=mine["subject"], value=orjson.dumps(mine), partition=partition_of[SUBJECT])
        # A batch naming a subject of another partition is refused whole (dead-lettered), never half applied.
        stray = {**mine, "commands": [messages[f"~batch/{partition_of[other]}"]["commands"][0]]}
        await agent.put(key=mine["subject"], value=orjson.dumps(stray), partition=partition_of[SUBJECT])
    assert set(tracked_subjects[SUBJECT]["members"]) == {"r1", "r2"} and other not in tracked_subjects
    assert SUBJECT in poller.plans[partition_of[SUBJECT]]
    assert "other partitions" in orjson.loads(sent.to(topics.dead_letters)[0][1])["reason"]


async def test_the_index_keeps_members_tells_the_poller_and_keeps_checkpoints_monotonic(faust_app, sent, monkeypatch):
    monkeypatch.setattr(poller, "plans", {1: PollPlan(300)})
    join = {"kind": "join", "subject": SUBJECT, "members": {"r1": [2, LATER, None], "r2": [3, LATER, None]}}
    async with index_tracked_subjects.test_context() as agent:
        await agent.put(key=SUBJECT, value=orjson.dumps(join), partition=1)
        assert set(tracked_subjects[SUBJECT]["members"]) == {"r1", "r2"} and SUBJECT in poller.plans[1]
        await agent.put(key=SUBJECT, value=orjson.dumps({"kind": "leave", "subject": SUBJECT,
                                                         "reservation_ids": ["r1", "r2"]}), partition=1)
        assert SUBJECT not in tracked_subjects and SUBJECT not in poller.plans[1]
        for watermark in (100.0, 50.0):
            await agent.put(key="~checkpoint/1", value=orjson.dumps(
                {"kind": "checkpoint", "subject": "~checkpoint/1", "watermark": watermark}), partition=1)
    assert tracked_subjects["~checkpoint/1"] == {"watermark": 100.0}


async def test_a_push_fans_out_at_once_to_every_reservation_on_the_subject(faust_app, sent):
    providers.data["airline-sim"] = AIRLINE
    members = {"r1": [2, LATER, "airline-sim"], "r2": [3, LATER, None]}
    tracked_subjects.data[SUBJECT] = {"subject": SUBJECT, "partition": 1, "joined_at": 0, "members": members}
    await ingest_pushed({"subject": SUBJECT, "snapshot": snapshot(45, "delayed"), "provider_id": "airline-sim",
                         "changed_at": "2026-09-21T10:00:00Z"})
    (key, pushed), = decoded(sent, topics.tracked_subject_commands)
    async with index_tracked_subjects.test_context() as agent:
        await agent.put(key=key, value=orjson.dumps(pushed), partition=1)
        await agent.put(key=key, value=orjson.dumps({**pushed, "provider_id": "hotel-sim"}), partition=1)
    messages = sorted((m["partition"], m) for _, m in decoded(sent, topics.provider_snapshots))
    assert [(p, m["targets"]) for p, m in messages] == [(2, [["r1", SUBJECT]]), (3, [["r2", SUBJECT]])]
    assert all(m["snapshots"][SUBJECT]["source"] == "push" for _, m in messages)   # the hotel's push was ignored


async def test_one_snapshot_reaches_every_reservation_on_the_subject_and_a_delay_is_a_major_change(
        faust_app, sent, changelog):
    await track(["r1", "r2", "r3"])
    now = time.time()
    async with detect_changes.test_context() as agent:
        await agent.put(value=batch(2, ["r1", "r2", "r3"], snapshot(), now), partition=2)
        assert sent.to(topics.reservation_changes) == [] and len(changelog) == 3 + 3     # baselines kept
        await agent.put(value=batch(2, ["r1", "r2", "r3"], snapshot(), now + 1), partition=2)
        assert len(changelog) == 6                                                       # same snapshot: no write
        await agent.put(value=batch(2, ["r1", "r2", "r3"], snapshot(45, "delayed"), now + 2), partition=2)
    changes = decoded(sent, topics.reservation_changes)
    assert [key for key, _ in changes] == ["r1", "r2", "r3"]
    assert {c["severity"] for _, c in changes} == {"major"} and len({c["change_id"] for _, c in changes}) == 3
    assert changes[0][1]["user_id"] == "user-r1" and changes[0][1]["provider_changed_at"] == "2026-09-21T10:00:00Z"
    assert tracking["r2"]["snapshot"]["status"] == "delayed" and len(changelog) == 9


async def test_not_found_three_times_makes_one_unverifiable_change_never_a_cancellation(faust_app, sent):
    await track(["r1"])
    now = time.time()
    async with detect_changes.test_context() as agent:
        await agent.put(value=batch(2, ["r1"], snapshot(), now), partition=2)
        for n in range(1, 5):
            await agent.put(value=batch(2, ["r1"], None, now + n), partition=2)
    (_, change), = decoded(sent, topics.reservation_changes)
    assert change["changes"][0]["new"] == "unverifiable" and change["severity"] == "major"
    assert tracking["r1"]["verification"] == "unverifiable" and tracking["r1"]["snapshot"]["status"] == "scheduled"


async def test_a_replayed_batch_republishes_nothing_and_a_misrouted_one_is_dead_lettered(faust_app, sent):
    await track(["r1"])
    now = time.time()
    async with detect_changes.test_context() as agent:
        await agent.put(value=batch(2, ["r1"], snapshot(), now), partition=2)
        delayed = batch(2, ["r1"], snapshot(30, "delayed"), now + 1)
        await agent.put(value=delayed, partition=2)
        await agent.put(value=delayed, partition=2)
        await agent.put(value=batch(1, ["r1"], snapshot(), now + 2), partition=2)
    assert len(sent.to(topics.reservation_changes)) == 1
    (_, letter), = decoded(sent, topics.dead_letters)
    assert "another partition" in letter["reason"]


async def test_an_ended_reservation_stops_being_tracked(faust_app, sent):
    await track(["r1"])
    tracking.data["r1"] = {**tracking.data["r1"], "until": time.time() - 1}
    async with detect_changes.test_context() as agent:
        await agent.put(value=batch(2, [], None, time.time(), stops=[["r1", SUBJECT]]), partition=2)
    assert "r1" not in tracking


async def test_a_change_is_kept_once_in_the_history_and_sent_to_the_reservation_each_time(faust_app, sent):
    change = {"schema_version": 1, "change_id": "c-1", "reservation_id": "r1", "user_id": "u1", "subject": SUBJECT,
              "provider": "airline-sim", "source": "poll", "severity": "info",
              "changes": [{"path": "departure.gate", "old": "A1", "new": "B7", "severity": "info"}],
              "detected_at": "2026-09-21T10:00:00.000Z", "provider_changed_at": None}
    async with record_changes.test_context() as agent:
        await agent.put(key="r1", value=orjson.dumps(change))
        await agent.put(key="r1", value=orjson.dumps(change))
    assert [i["change_id"] for i in reservation_history["r1"]["items"]] == ["c-1"]
    commands = decoded(sent, topics.reservation_commands)
    assert len(commands) == 2 and commands[0][1]["command_id"] == "c-1"
    assert commands[0][1]["kind"] == "provider-update" and commands[0][1]["data"]["changes"] == change["changes"]


async def test_the_reservations_agent_applies_a_provider_update_once_as_a_new_version(faust_app, sent):
    from agents.reservations.apply_reservation_commands import apply_reservation_commands
    from tables.reservations import reservations

    create = {"command_id": "c1", "kind": "create", "reservation_id": "r1", "user_id": "u1", "issued_at":
              "2026-09-21T10:00:00.000Z", "data": {k: FLIGHT[k] for k in ("type", "start", "end", "flight")}}
    update = {"command_id": "change-1", "kind": "provider-update", "reservation_id": "r1", "user_id": "u1",
              "issued_at": "2026-09-21T11:00:00.000Z", "data": {"changes": [
                  {"path": "departure.gate", "old": None, "new": "B7", "severity": "info"},
                  {"path": "departure.estimated", "old": None, "new": {"utc": f"{DAY}T08:00:00Z"},
                   "severity": "info"}]}}
    async with apply_reservation_commands.test_context() as agent:
        for command in (create, update, update):
            await agent.put(key="r1", value=orjson.dumps(command))
    stored = reservations["r1"]
    assert stored["version"] == 2 and stored["source"] == "provider"
    assert stored["flight"]["departure_gate"] == "B7" and stored["start"] == f"{DAY}T08:30:00+01:00"
    events = decoded(sent, topics.reservation_events)
    assert [e["event_id"] for _, e in events] == ["c1", "change-1"]
    assert events[1][1]["changed_fields"] == ["flight", "source"]
