"""The report agents through Faust's test_context(): facts kept per source, replays, deletions, delays, trips."""

from __future__ import annotations

import orjson
import pytest

from agents.reports.record_departures import record_departures
from agents.reports.record_reservation_facts import record_reservation_facts
from agents.reports.record_trip_facts import record_trip_facts
from domain.reports.stats import pseudonym
from domain.reports.summary import year_summary
from faust_app import settings
from streams import topics
from tables.reports import facts_of, report_facts
from tables.users import users
from tests.unit.reports.making import NOW, flight, stay, trip
from tests.unit.trips.serving import set_clock

USER = "a" * 32
OUT = flight("1" * 32, "FRA", "JFK", "2026-05-01T10:00", "2026-05-01T12:40")
HOTEL = stay("2" * 32, "hotel", "2026-05-01T15:00", "2026-05-04T11:00", "America/New_York")
TOKYO = trip("3" * 32, "Tokyo", "2026-04-01T08:00", "Europe/Berlin", "2026-04-12T20:00", "Asia/Tokyo")


@pytest.fixture(autouse=True)
def traveller(faust_app, monkeypatch):
    set_clock(monkeypatch, NOW)
    users.data[USER] = {"id": USER, "time_zone": "Europe/Berlin", "home": ["FRA"]}


def summary(year: int = 2026) -> dict:
    return year_summary(facts_of(USER, [year - 1, year]), year, zone="Europe/Berlin", home="DE", now=NOW)


def event(reservation: dict | None, version: int = 1, kind: str = "reservation.created", rid: str = "") -> dict:
    rid = rid or reservation["id"]
    return {"schema_version": 1, "event_id": f"e{rid}{version}", "event_type": kind, "reservation_id": rid,
            "user_id": USER, "version": version, "occurred_at": "2026-01-01T00:00:00.000Z", "changed_fields": [],
            "reservation": None if reservation is None else {**reservation, "version": version}}


def trip_event(made: dict | None, version: int, kind: str, trip_id: str = TOKYO["id"]) -> dict:
    return {"schema_version": 1, "event_id": f"t{version}{kind}", "event_type": kind, "trip_id": trip_id,
            "user_id": USER, "version": version, "occurred_at": "2026-01-01T00:00:00.000Z", "trip": made}


def delay(rid: str, minutes: int, detected_at: str = "2026-05-01T07:00:00.000Z") -> dict:
    new = {"local": "x", "zone": "Europe/Berlin", "utc": f"2026-05-01T08:{minutes:02d}:00Z"}
    change = {"change_id": f"c{minutes}", "reservation_id": rid, "user_id": USER, "detected_at": detected_at,
              "severity": "major", "changes": [{"path": "departure.estimated", "old": None, "new": new,
                                                "severity": "major"}]}
    return {"kind": "change", "user_id": USER, "change": change}


async def put(agent, *messages: dict) -> None:
    async with agent.test_context() as running:
        for message in messages:
            await running.put(key=USER, value=orjson.dumps(message))


def stats(sent) -> list[tuple[str, dict]]:
    return [(key, orjson.loads(value)) for key, value in sent.to(topics.traveller_year_stats)]


async def test_reservations_make_the_years_figures_and_publish_them_under_a_pseudonym(sent):
    await put(record_reservation_facts, event(OUT), event(HOTEL))
    result = summary()
    assert (result["flights"], result["countries"], result["hotel_nights"]) == (1, ["DE", "US"], 3)
    alias = pseudonym(USER, settings.reports.analytics_pseudonym_key.value)
    key, last = stats(sent)[-1]
    assert key == f"{alias}/2026" and last["pseudonym"] == alias and USER not in repr(stats(sent))
    assert (last["flights"], last["hotel_nights"], last["countries"], last["airports"]) == (1, 3, ["DE", "US"], 2)


async def test_a_replayed_event_counts_once_and_publishes_nothing_new(sent):
    await put(record_reservation_facts, event(OUT), event(OUT), event(OUT))
    assert summary()["flights"] == 1 and len(stats(sent)) == 1


async def test_an_edit_moves_a_flight_between_years_and_publishes_both(sent):
    moved = flight(OUT["id"], "FRA", "JFK", "2025-05-01T10:00", "2025-05-01T12:40")
    await put(record_reservation_facts, event(OUT), event(moved, 2, "reservation.updated"))
    assert (summary()["flights"], summary()["previous"]["flights"]) == (0, 1)
    assert [k for k in report_facts if k.startswith(f"{USER}/2026/")] == []
    published = {key.split("/")[1]: value["flights"] for key, value in stats(sent)}
    assert published == {"2025": 1, "2026": 0}


async def test_a_deleted_reservation_leaves_every_total_and_a_replayed_create_does_not_bring_it_back(sent):
    await put(record_reservation_facts, event(OUT), event(HOTEL),
              event(None, 2, "reservation.deleted", rid=OUT["id"]), event(OUT))
    result = summary()
    # The hotel is still in New York.
    assert (result["flights"], result["distance_km"], result["countries"], result["hotel_nights"]) == (0, 0, ["US"], 3)
    assert stats(sent)[-1][1]["flights"] == 0


async def test_a_cancelled_reservation_counts_only_as_a_cancellation(sent):
    await put(record_reservation_facts, event(OUT), event({**OUT, "status": "cancelled"}, 2, "reservation.updated"))
    result = summary()
    assert (result["flights"], result["cancellations"], result["airports"]) == (0, 1, [])


async def test_a_delay_counts_whether_it_comes_before_or_after_its_reservation(sent):
    await put(record_departures, delay(OUT["id"], 50))
    await put(record_reservation_facts, event(OUT), event(HOTEL))
    await put(record_departures, delay(HOTEL["id"], 30), delay("9" * 32, 40))
    assert summary()["delays"] == {"count": 1, "total_minutes": 50, "longest_minutes": 50}
    await put(record_departures, delay(OUT["id"], 20, "2026-05-01T07:30:00.000Z"),
              delay(OUT["id"], 55, "2026-05-01T07:10:00.000Z"))   # the later news wins, an older copy does not
    assert summary()["delays"] == {"count": 1, "total_minutes": 20, "longest_minutes": 20}
    assert stats(sent)[-1][1]["delays"]["total_minutes"] == 20


async def test_a_followed_trips_change_and_the_notifiers_ticks_are_not_the_travellers(sent):
    shared = delay(OUT["id"], 50)
    shared["change"]["shared_by"] = "b" * 32
    await put(record_reservation_facts, event(OUT))
    await put(record_departures, shared, {"kind": "tick", "user_id": USER})
    assert summary()["delays"]["count"] == 0


async def test_trips_come_go_and_come_back_under_the_same_id(sent):
    await put(record_trip_facts, trip_event(TOKYO, 1, "trip.created"), trip_event(TOKYO, 1, "trip.created"))
    assert summary()["longest_trip"] == {"trip_id": TOKYO["id"], "name": "Tokyo", "days": 12}
    renamed = {**TOKYO, "name": "Japan"}
    await put(record_trip_facts, trip_event(renamed, 2, "trip.updated"), trip_event(TOKYO, 1, "trip.created"))
    assert summary()["longest_trip"]["name"] == "Japan"
    await put(record_trip_facts, trip_event(None, 3, "trip.deleted"))
    assert summary()["trips"] == 0 and stats(sent)[-1][1]["trips"] == 0
    await put(record_trip_facts, trip_event(TOKYO, 1, "trip.created"))
    assert summary()["trips"] == 1


async def test_unreadable_messages_are_dead_lettered_and_the_stream_goes_on(sent):
    async with record_reservation_facts.test_context() as running:
        await running.put(key=USER, value=b"{not json")
        await running.put(key=USER, value=orjson.dumps({**event(OUT), "user_id": "b" * 32}))
        await running.put(key=USER, value=orjson.dumps(event(OUT)))
    assert [orjson.loads(v)["agent"] for _, v in sent.to(topics.dead_letters)] == ["record_reservation_facts"] * 2
    assert summary()["flights"] == 1
