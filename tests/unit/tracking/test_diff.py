"""Snapshot diff: which field changes are reported, with which severity, and their stable IDs."""

import copy
import uuid

import pytest

from domain.tracking.diff import PLAN, carry_forward, change_id, diff_snapshots, overall_severity
from domain.tracking.snapshots import (
    SECTION_FIELDS,
    SECTIONS,
    TOP_FIELDS,
    car_snapshot,
    fingerprint,
    flight_snapshot,
    hotel_snapshot,
    point,
    stop,
    time_from_local,
    time_from_utc,
)


def at(local: str, zone: str = "Europe/Berlin") -> dict:
    return time_from_local(local, zone)


def flight(**changes) -> dict:
    snapshot = flight_snapshot(
        "LH", "400", "2026-12-01", status="scheduled", aircraft="A388", seat="12A",
        departure=point("FRA", at("2026-12-01T10:00:00"), terminal="1", gate="B20"),
        arrival=point("JFK", at("2026-12-01T13:00:00", "America/New_York"), terminal="1", gate="7"))
    for path, value in changes.items():
        section, _, key = path.rpartition("__")
        (snapshot[section] if section else snapshot)[key] = value
    return snapshot


def hotel(**changes) -> dict:
    return {**hotel_snapshot(status="confirmed", name="Hotel Adlon", address="Unter den Linden 77",
                             check_in=at("2026-12-01T15:00:00"), check_out=at("2026-12-03T11:00:00"),
                             room_type="Deluxe", guests=1), **changes}


def car(**changes) -> dict:
    snapshot = car_snapshot(status="confirmed", company="Sixt", pickup=stop("FRA T1", at("2026-12-01T14:00:00")),
                            dropoff=stop("MUC", at("2026-12-03T10:00:00")))
    for path, value in changes.items():
        section, _, key = path.partition("__")
        snapshot[section][key] = value
    return snapshot


def only(changes: list[dict]) -> tuple[str, str]:
    assert len(changes) == 1, changes
    return changes[0]["path"], changes[0]["severity"]


def test_first_snapshot_identical_snapshots_and_failures_are_no_change():
    assert diff_snapshots(None, flight()) == []
    assert diff_snapshots(flight(), flight()) == []
    assert diff_snapshots(flight(), None) == []
    assert diff_snapshots(flight(), {"kind": "flight", "error": "timeout"}) == []
    assert diff_snapshots({"kind": "flight", "error": "unavailable"}, flight(status="cancelled")) == []


def test_a_field_the_provider_omits_is_not_removed():
    assert diff_snapshots(flight(), flight(departure__gate=None, aircraft=None, status=None)) == []
    bare = flight_snapshot("LH", "400", "2026-12-01")
    assert diff_snapshots(flight(), {**bare, "departure": None, "arrival": {}}) == []
    assert diff_snapshots(flight(), {"kind": "flight"}) == []


def test_provider_changed_at_alone_is_no_change():
    assert diff_snapshots(flight(), flight(provider_changed_at="2026-12-01T07:00:00Z")) == []


def test_unknown_status_says_nothing():
    assert diff_snapshots(flight(status="delayed"), flight(status="unknown")) == []


@pytest.mark.parametrize(("status", "severity"), [
    ("cancelled", "critical"), ("diverted", "critical"), ("delayed", "info"), ("departed", "info"),
    ("landed", "info"),
])
def test_flight_status_severity(status, severity):
    assert only(diff_snapshots(flight(), flight(status=status))) == ("status", severity)


def test_a_reinstated_flight_is_an_ordinary_status_move():
    assert only(diff_snapshots(flight(status="cancelled"), flight())) == ("status", "info")


@pytest.mark.parametrize(("path", "value", "severity"), [
    ("departure__gate", "B24", "info"), ("departure__terminal", "2", "info"), ("arrival__gate", "9", "info"),
    ("arrival__terminal", "4", "info"), ("aircraft", "B748", "info"), ("seat", "14C", "info"),
    ("arrival__airport", "EWR", "critical"), ("departure__airport", "MUC", "critical"),
    ("number", "401", "major"), ("carrier", "UA", "major"), ("date", "2026-12-02", "major"),
])
def test_flight_field_severity(path, value, severity):
    change = diff_snapshots(flight(), flight(**{path: value}))
    assert only(change) == (path.replace("__", "."), severity)
    assert change[0]["new"] == value


@pytest.mark.parametrize(("old_local", "new_local", "severity"), [
    ("2026-12-01T10:30:00", "2026-12-01T10:45:00", "major"),
    ("2026-12-01T10:30:00", "2026-12-01T10:44:59", "info"),
    ("2026-12-01T10:30:00", "2026-12-01T11:30:00", "major"),
    ("2026-12-01T10:30:00", "2026-12-01T10:15:00", "major"),
    ("2026-12-01T10:30:00", "2026-12-01T10:20:00", "info"),
])
@pytest.mark.parametrize("field", ["departure__estimated", "arrival__estimated", "departure__actual",
                                   "departure__scheduled", "arrival__actual"])
def test_a_time_moving_fifteen_minutes_or_more_is_major(field, old_local, new_local, severity):
    old = flight(**{field: at(old_local)})
    change = diff_snapshots(old, flight(**{field: at(new_local)}))
    assert only(change) == (field.replace("__", "."), severity)
    assert change[0]["old"] == at(old_local)


def test_an_airport_or_flight_stated_for_the_first_time_is_no_move():
    unknown = flight(arrival__airport=None, departure__airport=None, number=None)
    changes = diff_snapshots(unknown, flight())
    assert [(c["path"], c["severity"]) for c in changes] == [
        ("number", "info"), ("departure.airport", "info"), ("arrival.airport", "info")]


def test_a_status_first_stated_as_cancelled_is_critical():
    assert only(diff_snapshots(flight(status=None), flight(status="cancelled"))) == ("status", "critical")
    assert only(diff_snapshots(hotel(status=None), hotel(status="cancelled"))) == ("status", "critical")


def test_a_first_estimate_is_measured_against_the_schedule():
    assert only(diff_snapshots(flight(), flight(departure__estimated=at("2026-12-01T10:40:00")))) == \
        ("departure.estimated", "major")
    assert only(diff_snapshots(flight(), flight(departure__estimated=at("2026-12-01T10:05:00")))) == \
        ("departure.estimated", "info")
    assert only(diff_snapshots(flight(), flight(departure__estimated=at("2026-12-01T10:00:00")))) == \
        ("departure.estimated", "info")


def test_a_first_actual_time_is_measured_against_the_estimate_then_the_schedule():
    late = flight(departure__estimated=at("2026-12-01T11:00:00"))
    assert only(diff_snapshots(late, flight(departure__estimated=at("2026-12-01T11:00:00"),
                                            departure__actual=at("2026-12-01T11:05:00")))) == \
        ("departure.actual", "info")
    assert only(diff_snapshots(flight(), flight(departure__actual=at("2026-12-01T10:50:00")))) == \
        ("departure.actual", "major")


def test_the_same_instant_spelt_in_another_zone_is_no_change():
    same = time_from_utc(at("2026-12-01T10:00:00")["utc"], "Europe/Paris")
    assert diff_snapshots(flight(), flight(departure__scheduled=same)) == []


def test_a_delay_reports_status_and_time_in_plan_order():
    new = flight(status="delayed", departure__estimated=at("2026-12-01T11:00:00"),
                 arrival__estimated=at("2026-12-01T14:00:00", "America/New_York"), departure__gate="C1")
    changes = diff_snapshots(flight(), new)
    assert [(c["path"], c["severity"]) for c in changes] == [
        ("status", "info"), ("departure.estimated", "major"), ("departure.gate", "info"),
        ("arrival.estimated", "major")]
    assert overall_severity(changes) == "major"


@pytest.mark.parametrize(("changes", "severity"), [
    ({"check_in": at("2026-12-02T15:00:00")}, "major"),
    ({"check_out": at("2026-12-04T11:00:00")}, "major"),
    ({"check_in": at("2026-12-01T14:00:00")}, "info"),
    ({"status": "cancelled"}, "critical"),
    ({"status": "pending"}, "info"),
    ({"room_type": "Suite"}, "info"),
    ({"guests": 2}, "info"),
    ({"name": "Adlon Kempinski"}, "info"),
])
def test_hotel_severity(changes, severity):
    assert only(diff_snapshots(hotel(), hotel(**changes)))[1] == severity


def test_hotel_stay_times_first_seen_or_only_respelt():
    assert only(diff_snapshots(hotel(check_in=None), hotel())) == ("check_in", "info")
    respelt = time_from_utc(at("2026-12-01T15:00:00")["utc"], "UTC")
    assert diff_snapshots(hotel(), hotel(check_in=respelt)) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"pickup__time": at("2026-12-01T14:20:00")}, ("pickup.time", "major")),
    ({"pickup__time": at("2026-12-01T14:10:00")}, ("pickup.time", "info")),
    ({"dropoff__time": at("2026-12-03T09:45:00")}, ("dropoff.time", "major")),
    ({"pickup__location": "FRA T2"}, ("pickup.location", "info")),
    ({"dropoff__location": "MUC Hbf"}, ("dropoff.location", "info")),
])
def test_car_severity(changes, expected):
    assert only(diff_snapshots(car(), car(**changes))) == expected


def test_car_status_and_company():
    assert only(diff_snapshots(car(), {**car(), "status": "cancelled"})) == ("status", "critical")
    assert only(diff_snapshots(car(), {**car(), "company": "Hertz"})) == ("company", "info")
    assert diff_snapshots(car(), {**car(), "pickup": None, "dropoff": stop()}) == []


def test_snapshots_of_different_kinds_cannot_be_diffed():
    with pytest.raises(ValueError):
        diff_snapshots(flight(), hotel())
    with pytest.raises(ValueError):
        diff_snapshots({"kind": "boat", "x": 1}, {"kind": "boat", "x": 2})


def test_the_plan_covers_every_snapshot_field():
    for kind, sections in PLAN.items():
        walked = {(section, key) for section, fields in sections for key, _, _ in fields}
        expected = {(None, key) for key in TOP_FIELDS[kind]}
        expected |= {(s, key) for s in SECTIONS[kind] for key in SECTION_FIELDS[s]}
        assert walked == expected, kind


def test_overall_severity():
    assert overall_severity([]) is None
    assert overall_severity([{"severity": "info"}]) == "info"
    assert overall_severity(iter([{"severity": "info"}, {"severity": "critical"}, {"severity": "major"}])) \
        == "critical"


def test_change_id_is_stable_for_a_replay_and_differs_otherwise():
    new = flight(status="cancelled", departure__gate="C1")
    changes = diff_snapshots(flight(), new)
    first = change_id("res-1", changes, fingerprint(new))
    replay = diff_snapshots(copy.deepcopy(flight()), copy.deepcopy(new))
    assert change_id("res-1", replay, fingerprint(copy.deepcopy(new))) == first
    assert change_id("res-1", list(reversed(changes)), fingerprint(new)) == first
    assert uuid.UUID(first).version == 5
    assert change_id("res-2", changes, fingerprint(new)) != first
    assert change_id("res-1", changes[:1], fingerprint(new)) != first
    assert change_id("res-1", changes, fingerprint({**new, "provider_changed_at": "2026-12-01T08:00:00Z"})) != first


def test_carry_forward_keeps_what_the_provider_left_unsaid():
    old = flight(departure__estimated=at("2026-12-01T11:00:00"), status="delayed")
    new = flight(departure__gate=None, departure__estimated=None, aircraft=None, status="unknown",
                 arrival__gate="9", provider_changed_at="2026-12-01T08:00:00Z")
    kept = carry_forward(old, new)
    assert kept["departure"]["gate"] == "B20" and kept["aircraft"] == "A388" and kept["status"] == "delayed"
    assert kept["departure"]["estimated"] == at("2026-12-01T11:00:00")
    assert kept["arrival"]["gate"] == "9" and kept["provider_changed_at"] == "2026-12-01T08:00:00Z"
    assert diff_snapshots(kept, flight(departure__estimated=at("2026-12-01T11:00:00"), status="delayed",
                                       arrival__gate="9")) == []
    assert old == flight(departure__estimated=at("2026-12-01T11:00:00"), status="delayed")  # not mutated


def test_carry_forward_edges():
    assert carry_forward(flight(), None) == flight()
    assert carry_forward(flight(), {"kind": "flight", "error": "timeout"}) == flight()
    assert carry_forward(None, {"kind": "flight", "error": "timeout"}) is None
    assert carry_forward(None, flight()) == flight()
    assert carry_forward({"kind": "flight", "error": "timeout"}, flight()) == flight()
    assert carry_forward(flight(), {**flight(), "departure": None})["departure"] == flight()["departure"]
    assert carry_forward(car(), {**car(), "pickup": stop(time=at("2026-12-01T15:00:00"))})["pickup"] == \
        stop("FRA T1", at("2026-12-01T15:00:00"))
