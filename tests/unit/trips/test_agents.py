"""The trip agents and the end-of-trips timer, driven through Faust's test_context()."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest

from agents.trips import end_trips as end_trips_module
from agents.trips.apply_trip_commands import apply_trip_commands
from agents.trips.end_trips import tick_due_travellers
from agents.trips.record_tracked_changes import record_tracked_changes
from agents.trips.regroup_trips import regroup_trips
from agents.trips.schedule import due
from runtime.clock import trips_clock
from streams import topics
from streams.replies import replies
from tables.trips import trips
from tables.user_reservations import entry_key, user_reservations
from tests.unit.trips.itineraries import flight, rid, stay

USER = "u" * 32
FRIEND = "f" * 32   # a registered traveller the trip is shared with
OUT = {**flight(rid(1), "FRA", "JFK", 0), "start_time_zone": "Europe/Berlin", "end_time_zone": "America/New_York"}
HOTEL = {**stay(rid(2), 10, 48), "start_time_zone": "America/New_York", "end_time_zone": "America/New_York"}
BACK = {**flight(rid(3), "JFK", "FRA", 60), "start_time_zone": "America/New_York", "end_time_zone": "Europe/Berlin"}


def reservation_event(reservation: dict, version: int = 1, kind: str = "reservation.created") -> dict:
    return {"schema_version": 1, "event_id": f"e{reservation['id']}{version}", "event_type": kind,
            "reservation_id": reservation["id"], "user_id": USER, "version": version,
            "occurred_at": "2025-01-01T00:00:00.000Z", "changed_fields": [],
            "reservation": None if kind == "reservation.deleted" else {**reservation, "version": version}}


def command(kind: str, n: int = 1, **data) -> dict:
    return {"command_id": f"c{n}", "kind": kind, "user_id": USER, "data": data,
            "issued_at": f"2025-01-01T00:00:0{n}.000Z"}


async def arrive(*reservations: dict) -> None:
    """Reservation events as the index and the grouping agent both see them."""
    async with regroup_trips.test_context() as agent:
        for reservation in reservations:
            change = reservation_event(reservation)
            user_reservations.data[entry_key(USER, reservation["id"])] = change["reservation"]
            await agent.put(key=USER, value=orjson.dumps(change))


def trip_events(sent) -> list[tuple[str, str]]:
    return [(key, orjson.loads(value)["event_type"]) for key, value in sent.to(topics.trip_events)]


async def test_reservations_arriving_form_one_named_trip_published_by_user(faust_app, sent, clock):
    await arrive(OUT, HOTEL, BACK)
    (trip,) = trips[USER]["trips"].values()
    assert trip["reservations"] == [rid(1), rid(2), rid(3)] and trip["summary"]["auto_name"] == "New York"
    assert trip_events(sent) == [(USER, "trip.created"), (USER, "trip.updated"), (USER, "trip.updated")]


async def test_an_event_ahead_of_the_index_is_grouped_all_the_same(faust_app, sent, clock):
    async with regroup_trips.test_context() as agent:
        await agent.put(key=USER, value=orjson.dumps(reservation_event(OUT)))
    (trip,) = trips[USER]["trips"].values()
    assert trip["reservations"] == [rid(1)]


async def test_a_command_is_applied_and_answered_after_its_events(faust_app, sent, clock):
    await arrive(OUT, HOTEL, BACK)
    (trip_id,) = trips[USER]["trips"]
    waiting = replies.expect("c1")
    async with apply_trip_commands.test_context() as agent:
        await agent.put(key=USER, value=orjson.dumps(command("update", trip_id=trip_id, name="Client visit")))
    reply = waiting.result()
    assert reply["status"] == 200 and reply["trip"]["name"] == "Client visit"
    assert trips[USER]["trips"][trip_id]["name"] == "Client visit"
    assert trip_events(sent)[-1] == (USER, "trip.updated")


async def test_a_refused_command_is_answered_and_changes_nothing(faust_app, sent, clock):
    waiting = replies.expect("c1")
    async with apply_trip_commands.test_context() as agent:
        await agent.put(key=USER, value=orjson.dumps(command("update", trip_id="x" * 32, name="Mine")))
    assert waiting.result()["status"] == 404 and USER not in trips and sent.to(topics.trip_events) == []


async def test_the_timer_ends_a_trip_and_its_reservations_leave_tracking(faust_app, sent, clock):
    await arrive(OUT, HOTEL, BACK)
    await tick_due_travellers()
    assert sent.to(topics.trip_commands) == []   # nothing is due yet
    clock.advance(timedelta(days=6).total_seconds())
    await tick_due_travellers()
    ((key, tick),) = sent.to(topics.trip_commands)
    async with apply_trip_commands.test_context() as agent:
        await agent.put(key=key, value=tick)
    (trip,) = trips[USER]["trips"].values()
    assert trip["status"] == "past" and trip_events(sent)[-1] == (USER, "trip.completed")
    leaves = [(key, orjson.loads(value)) for key, value in sent.to(topics.tracked_subject_commands)]
    assert [key for key, _ in leaves] == ["flight/LX/1/2025-01-06", "flight/LX/1/2025-01-08"]
    assert [value["reservation_ids"] for _, value in leaves] == [[rid(1)], [rid(3)]]
    assert all(value["kind"] == "leave" for _, value in leaves)


async def test_bad_messages_are_dead_lettered_and_the_agents_go_on(faust_app, sent, clock):
    async with apply_trip_commands.test_context() as agent:
        await agent.put(key=USER, value=b"{broken")
        await agent.put(key=USER, value=orjson.dumps(command("explode")))
    reasons = [orjson.loads(v)["reason"] for _, v in sent.to(topics.dead_letters)]
    assert reasons[0].startswith("unparseable JSON") and reasons[1].startswith("unknown command kind")


def test_the_clock_moves_only_when_the_test_clock_is_on():
    with pytest.raises(PermissionError):
        trips_clock.advance(60)


async def test_a_tracked_change_is_kept_for_its_reservation_and_ticks_are_ignored(faust_app, sent, clock):
    change = {"change_id": "c1", "reservation_id": rid(1), "user_id": USER, "severity": "major", "source": "poll",
              "changes": [{"field": "start"}], "detected_at": "2025-01-05T10:00:00.000Z"}
    async with record_tracked_changes.test_context() as agent:
        await agent.put(key=USER, value=orjson.dumps({"kind": "tick", "user_id": USER}))
        assert USER not in trips
        await agent.put(key=USER, value=orjson.dumps({"kind": "change", "user_id": USER, "change": change}))
    assert trips[USER]["tracked"][rid(1)]["severity"] == "major"


async def test_after_a_rebalance_the_timer_finds_its_travellers_in_the_table(faust_app, sent, clock, monkeypatch):
    await arrive(OUT, HOTEL, BACK)
    due.clear()   # a new worker's memory
    monkeypatch.setattr(end_trips_module, "_known", None)
    end_trips_module.rebuild_if_reassigned()
    clock.advance(timedelta(days=6).total_seconds())
    await tick_due_travellers()
    assert [key for key, _ in sent.to(topics.trip_commands)] == [USER]
