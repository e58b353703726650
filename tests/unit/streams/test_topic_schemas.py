"""The data team's topic schemas hold for what the domain rules and the dead-letter helper really produce."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import available_timezones

import pytest
from faust.events import Event
from faust.types import Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from domain.common.timestamps import now_iso
from domain.reservations.commands import apply
from streams import topics
from streams.dead_letters import Rejected, dead_letter, decode

SCHEMAS = Path(__file__).parents[3] / "schemas"
NOW = "2025-03-01T09:30:00.123Z"  # what domain.common.timestamps.now_iso() stamps on a command as issued_at
OWNER = "a" * 32


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


EVENTS = validator("reservation-events.json")
DEAD_LETTERS = validator("dead-letters.json")


def command(kind: str, reservation_id: str, data: dict, n: int = 1, **extra) -> dict:
    return {"command_id": f"{n:032x}", "kind": kind, "reservation_id": reservation_id, "user_id": OWNER,
            "data": data, "issued_at": NOW, **extra}


FLIGHT = {"type": "flight", "start": "2025-03-30T10:15:00", "end": "2025-03-30T12:40:00",
          "flight": {"airline": "af", "number": "6", "from": "cdg", "to": "jfk"}}
FULL_FLIGHT = {**FLIGHT, "status": "pending", "source": "email", "confirmation": " ABC123 ", "provider": "Air France",
               "travellers": ["Ann Example", " Bob Example "], "notes": "window please",
               "flight": {**FLIGHT["flight"], "departure_terminal": "2E", "departure_gate": "K41",
                          "arrival_terminal": "1", "arrival_gate": "B7", "seat": "12A"}}
HOTEL = {"type": "hotel", "status": "hold", "start": "2025-04-01T06:00:00Z", "end": "2025-04-03T02:00:00Z",
         "start_time_zone": "Asia/Tokyo", "hotel": {"name": "Hotel Example", "address": "1-1 Marunouchi",
                                                    "phone": "+81 3 0000 0000"}}
CAR = {"type": "car", "source": "provider", "start": "2025-05-02T09:00:00-07:00", "end": "2025-05-06T18:00:00",
       "start_time_zone": "America/Los_Angeles", "end_time_zone": "America/Denver",
       "car": {"company": "Example Rentals", "pickup_location": "LAX", "dropoff_location": "DEN"}}
SAMPLES = {"flight": FLIGHT, "full-flight": FULL_FLIGHT, "hotel": HOTEL, "car": CAR}
PATCHES = [
    {"status": "cancelled"},
    {"travellers": ["Carol Example"], "confirmation": "XYZ999"},
    {"notes": "late check-in", "provider": "Example Travel"},
    {"end": "2025-06-30T23:59:00"},
    {"type": "hotel", "flight": None, "car": None, "start_time_zone": "Europe/Lisbon",
     "hotel": {"name": "Casa Example"}},
]


def lifecycle(data: dict, patches: list[dict]) -> list[dict]:
    """Create, patch and delete one reservation through the domain rules; return every event emitted."""
    reservation_id, events, n = "b" * 32, [], 1
    state, outcome = None, apply(None, command("create", reservation_id, data), NOW)
    for patch in [*patches, None]:
        assert outcome.reply["ok"], outcome.reply
        state, n = outcome.state, n + 1
        if outcome.event is not None:
            events.append(outcome.event)
        kind = "delete" if patch is None else "update"
        outcome = apply(state, command(kind, reservation_id, patch or {}, n), NOW)
    assert outcome.reply == {"ok": True, "status": 204}
    return [*events, outcome.event]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_event_of_a_reservation_lifecycle_matches_the_schema(name):
    events = lifecycle(SAMPLES[name], PATCHES)
    for event in events:
        EVENTS.validate(event)
    assert [e["event_type"] for e in events[:1] + events[-1:]] == ["reservation.created", "reservation.deleted"]
    assert [e["version"] for e in events] == list(range(1, len(events) + 1))
    for event in events[:-1]:
        assert event["reservation"]["id"] == event["reservation_id"]
        assert event["reservation"]["version"] == event["version"]


def test_an_update_event_names_the_fields_it_changed():
    events = lifecycle(FLIGHT, [{"status": "cancelled", "notes": "refund requested"}])
    assert events[1]["event_type"] == "reservation.updated"
    assert events[1]["changed_fields"] == ["notes", "status"]


def test_a_patch_that_changes_nothing_emits_no_event():
    events = lifecycle(HOTEL, [{"status": "hold"}])
    assert [e["event_type"] for e in events] == ["reservation.created", "reservation.deleted"]


@pytest.mark.parametrize("break_it", [
    lambda e: e.pop("event_id"),
    lambda e: e.update(event_type="reservation.moved"),
    lambda e: e.update(user_id="Not-A-Hex-Id"),
    lambda e: e.update(occurred_at="2025-03-01 09:30"),
    lambda e: e["reservation"].update(start="2025-03-30T10:15:00"),  # no offset: ambiguous local time
    lambda e: e["reservation"].update(hotel={"name": "Not on a flight"}),
    lambda e: e["reservation"].update(user_id=OWNER),  # bookkeeping must never leak to the data team
    lambda e: e["reservation"]["flight"].update(to="Paris"),
    lambda e: e.update(event_type="reservation.deleted"),  # a deletion carries no reservation
], ids=["no-event-id", "unknown-type", "bad-user-id", "not-iso", "naive-time", "hotel-on-flight",
        "private-field", "bad-airport", "deleted-with-body"])
def test_the_schema_rejects_events_that_break_the_contract(break_it):
    event = copy.deepcopy(lifecycle(FULL_FLIGHT, [])[0])
    EVENTS.validate(event)
    break_it(event)
    assert not EVENTS.is_valid(event)


def test_every_iana_zone_name_fits_the_zone_pattern():
    pattern = re.compile(EVENTS.schema["$defs"]["ianaZone"]["pattern"])
    assert [zone for zone in available_timezones() if not pattern.match(zone)] == []


TEXT = st.text(st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=40).filter(str.strip)
OPTIONAL = {name: TEXT for name in ("confirmation", "provider", "notes")}
DETAILS = {
    "flight": st.fixed_dictionaries(
        {"airline": st.from_regex(r"[A-Z0-9]{2}", fullmatch=True), "number": st.from_regex(r"[0-9]{1,4}[A-Z]?",
                                                                                           fullmatch=True),
         "from": st.sampled_from(["CDG", "JFK", "NRT", "KTM", "SYD", "HNL", "GRU", "ANC"]),
         "to": st.sampled_from(["LHR", "DEL", "CHC", "SFO", "JNB", "YYT", "AKL", "KIX"])},
        optional={name: TEXT for name in ("seat", "departure_gate", "arrival_terminal")}),
    "hotel": st.fixed_dictionaries({"name": TEXT}, optional={"address": TEXT, "phone": TEXT}),
    "car": st.fixed_dictionaries({"company": TEXT}, optional={"pickup_location": TEXT}),
}


@st.composite
def reservations(draw) -> dict:
    kind = draw(st.sampled_from(sorted(DETAILS)))
    start = draw(st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1)))
    # More than a day apart, so the end is never before the start whatever the two zones.
    end = start + draw(st.timedeltas(timedelta(days=2), timedelta(days=40)))
    data = {"type": kind, kind: draw(DETAILS[kind]), "start": start.isoformat(),
            "end": end.replace(tzinfo=UTC).isoformat(), "travellers": draw(st.lists(TEXT, max_size=3)),
            **draw(st.fixed_dictionaries({}, optional={"status": st.sampled_from(["confirmed", "pending", "hold"]),
                                                       "source": st.sampled_from(["manual", "email"]),
                                                       **OPTIONAL}))}
    if kind != "flight":
        data["start_time_zone"] = draw(st.sampled_from(sorted(available_timezones())))
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=reservations(), patch=st.fixed_dictionaries({}, optional={
    "status": st.just("cancelled"), "notes": st.none() | TEXT, "travellers": st.lists(TEXT, max_size=2)}))
def test_any_valid_reservation_yields_schema_valid_events(data, patch):
    for event in lifecycle(data, [patch]):
        EVENTS.validate(event)


def dead_letter_event(key: str | None, value: bytes) -> Event:
    message = Message(topic="reservation-commands", partition=3, offset=41, timestamp=0.0, timestamp_type=0,
                      headers=[], key=None if key is None else json.dumps(key).encode(), value=value,
                      checksum=None)
    return Event(topics.reservation_commands.app, key, value, [], message)


@pytest.mark.asyncio
@pytest.mark.parametrize(("key", "value"), [
    ("r" * 32, b"{not json"),
    ("r" * 32, b"\xff\xfe binary"),
    (None, b"[1, 2, 3]"),
    ("r" * 32, b'{"kind": "create"}'),
])
async def test_dead_letters_match_the_schema(monkeypatch, key, value):
    sent = []

    async def record(**message):  # the broker is the outbound dependency: keep what would be produced
        sent.append(message)

    monkeypatch.setattr(topics.dead_letters, "send", record)
    event = dead_letter_event(key, value)
    with pytest.raises(Rejected) as rejected:
        decode(event, ("command_id", "kind"))
    await dead_letter(event, "apply_reservation_commands", str(rejected.value))
    [message] = sent
    body = json.loads(message["value"])
    DEAD_LETTERS.validate(body)
    assert message["key"] == key
    assert (body["topic"], body["partition"], body["offset"]) == ("reservation-commands", 3, 41)
    assert body["payload"] == value.decode("utf-8", "replace")


def test_the_dead_letter_clock_fits_the_schema():
    assert DEAD_LETTERS.is_valid({"schema_version": 1, "reason": "r", "agent": "a", "topic": "t", "partition": 0,
                                  "offset": 0, "payload": "", "dead_lettered_at": now_iso()})


def test_the_documented_topics_are_the_apps_topics():
    readme = (SCHEMAS / "README.md").read_text()
    for topic, schema in ((topics.reservation_events, "reservation-events.json"),
                          (topics.user_reservation_events, "reservation-events.json"),
                          (topics.trip_events, "trip-events.json"),
                          (topics.dead_letters, "dead-letters.json")):
        assert f"`{topic.get_topic_name()}`" in readme
        assert schema in readme


TRIP_EVENTS = validator("trip-events.json")


def trip_lifecycle() -> list[dict]:
    """Reservations made by the reservation rules grouped into trips, edited, ended and deleted: every event."""
    from domain.reservations.commands import to_api
    from domain.trips import commands as trip_commands
    from domain.trips.book import empty_book, settle
    from domain.trips.sharing import new_link

    reservations = [to_api(apply(None, command("create", f"{n:032x}", data), NOW).state)
                    for n, data in enumerate([FLIGHT, HOTEL, CAR], 1)]
    before = datetime(2025, 3, 1, tzinfo=UTC)
    book, events = settle(empty_book(OWNER), empty_book(OWNER), reservations, before, NOW)
    trip_id = min(book["trips"])
    _, link = new_link(NOW, None)
    steps = [("add-link", {"trip_id": trip_id, "link": link}, before),   # sharing: no trip event
             ("share", {"trip_id": trip_id, "share_id": "5" * 32, "email": "f@example.com", "role": "viewer",
                        "follower_id": "f" * 32}, before),
             ("update", {"trip_id": trip_id, "name": "Spring tour", "private": True}, before),
             ("create", {"trip_id": "c" * 32, "reservation_ids": []}, before),
             ("tick", {}, before + timedelta(days=400)),
             ("delete", {"trip_id": trip_id}, before + timedelta(days=400))]
    for n, (kind, data, now) in enumerate(steps, 2):
        outcome = trip_commands.apply(book, reservations, {"command_id": f"{n:032x}", "kind": kind,
                                                           "user_id": OWNER, "data": data, "issued_at": NOW}, now)
        assert outcome.reply["ok"], outcome.reply
        book, events = outcome.book, events + outcome.events
    return events


def test_every_trip_event_matches_the_schema():
    events = trip_lifecycle()
    for event in events:
        TRIP_EVENTS.validate(event)
    kinds = {e["event_type"] for e in events}
    assert kinds == {"trip.created", "trip.updated", "trip.completed", "trip.deleted"}


def test_a_trip_update_shows_a_change_of_the_trip():
    """A consumer sees trip.updated only when a field of the trip changed: links and shares publish none."""
    shown: dict[str, dict] = {}
    for event in trip_lifecycle():
        trip = event["trip"] and {k: v for k, v in event["trip"].items() if k not in ("version", "updated_at")}
        if event["event_type"] == "trip.updated":
            assert trip != shown.get(event["trip_id"]), event
        shown[event["trip_id"]] = trip


@pytest.mark.parametrize("break_it", [
    lambda e: e.pop("event_id"),
    lambda e: e.update(event_type="trip.moved"),
    lambda e: e["trip"].update(start="2025-03-30T10:15:00"),  # no offset: ambiguous local time
    lambda e: e["trip"].update(status="over"),
    lambda e: e["trip"].update(owner_id=OWNER),  # nothing but the trip's own fields
    lambda e: e.update(event_type="trip.deleted"),  # a deletion carries no trip
], ids=["no-event-id", "unknown-type", "naive-time", "unknown-status", "extra-field", "deleted-with-body"])
def test_the_trip_schema_rejects_events_that_break_the_contract(break_it):
    event = copy.deepcopy(trip_lifecycle()[0])
    TRIP_EVENTS.validate(event)
    break_it(event)
    assert not TRIP_EVENTS.is_valid(event)


TRENDS = validator("travel-trends.json")


def trend_rows(events: list[dict]) -> list[tuple[str, dict | None]]:
    """Reservation events through the travel-trends rules: every (key, value) the aggregate would publish."""
    from domain.reports.trends import apply_delta, follow, row

    facts, aggregates, published = {}, {}, []
    for offset, event in enumerate(events):
        step = follow(facts.get(event["reservation_id"]), event, (0, offset))
        facts[event["reservation_id"]] = step.fact
        for key, delta in step.deltas.items():
            aggregates[key] = apply_delta(aggregates.get(key), {**delta, "origin": [0, offset],
                                                                "at": event["occurred_at"]})
            published.append((key, row(key, aggregates[key])))
    return published


def test_every_travel_trends_value_matches_the_schema_and_its_key():
    moved = [{"start": "2025-04-02T07:00:00", "end": "2025-04-02T09:30:00"},
             {"flight": {**FLIGHT["flight"], "to": "bos"}}, {"status": "cancelled"}]
    published = trend_rows(lifecycle(FULL_FLIGHT, []) + lifecycle(FLIGHT, moved))
    for key, value in published:
        if value is not None:
            TRENDS.validate(value)
            assert key == f"{value['origin']}-{value['destination']}/{value['month']}"
    assert [key for key, _ in published] == ["CDG-JFK/2025-03", "CDG-JFK/2025-03", "CDG-JFK/2025-03",
                                             "CDG-JFK/2025-03", "CDG-JFK/2025-04", "CDG-JFK/2025-04",
                                             "CDG-BOS/2025-04", "CDG-BOS/2025-04"]
    assert published[-1][1] is None   # cancelled: a tombstone
    # Created 1 March 09:30 UTC, departs 30 March 10:15 in Paris, already summer time (08:15 UTC): 28.95 days.
    assert published[0][1]["lead_time_days"] == {"p50": 28, "p90": 28, "mean": 28.9}


@pytest.mark.parametrize("break_it", [
    lambda v: v.update(month="2025-13"),
    lambda v: v.update(origin="Paris"),
    lambda v: v.update(flights=0),
    lambda v: v["lead_time_days"].update(p50=2.5),
    lambda v: v.update(traveller="Ann Example"),   # no personal data, nothing but the row
], ids=["bad-month", "bad-airport", "no-flights", "fractional-percentile", "extra-field"])
def test_the_travel_trends_schema_rejects_values_that_break_the_contract(break_it):
    value = copy.deepcopy(trend_rows(lifecycle(FLIGHT, []))[0][1])
    TRENDS.validate(value)
    break_it(value)
    assert not TRENDS.is_valid(value)


def test_the_analytics_topics_are_documented_as_compacted():
    readme = (SCHEMAS / "README.md").read_text()
    assert f"`{topics.travel_trends.get_topic_name()}`" in readme and "travel-trends.json" in readme
    assert topics.travel_trends.config["cleanup.policy"] == "compact"
    for name in ("traveller-year-stats", "vendor-month-stats"):
        assert f"`{name}`" in readme and f"{name}.json" in readme
