"""Tracking's pure rules: following reservations, the subject index, observing snapshots, patches, history."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.common.errors import ValidationError
from domain.tracking.history import append, page
from domain.tracking.observe import freshness_s, observe
from domain.tracking.snapshots import fingerprint, flight_snapshot, hotel_snapshot, point, time_from_local
from domain.tracking.state import follow
from domain.tracking.tracked_subjects import current, join, leave, may_push, provider_for
from domain.tracking.updates import provider_patch

NOW = 1_790_000_000.0          # 2026-09-21: before every trip below
GRACE = 6 * 3600.0
FLIGHT = {"id": "r1", "type": "flight", "status": "confirmed", "start": "2026-12-01T08:30:00+01:00",
          "end": "2026-12-01T11:05:00-05:00", "start_time_zone": "Europe/Berlin", "end_time_zone": "America/New_York",
          "provider": "Airline-Sim", "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}}
SUBJECT = "flight/LH/400/2026-12-01"
LANDS = datetime(2026, 12, 1, 16, 5, tzinfo=UTC).timestamp()          # 11:05 in New York


def event(kind: str = "reservation.created", version: int = 1, **changes) -> dict:
    reservation = None if kind == "reservation.deleted" else {**FLIGHT, **changes}
    return {"event_type": kind, "reservation_id": "r1", "user_id": "u1", "version": version,
            "reservation": reservation}


def flight(gate: str | None = "A1", delay: int = 0, status: str = "scheduled", changed_at: str | None = None) -> dict:
    scheduled = time_from_local("2026-12-01T08:30:00", "Europe/Berlin")
    estimated = time_from_local(f"2026-12-01T{8 + (30 + delay) // 60:02d}:{(30 + delay) % 60:02d}:00",
                                "Europe/Berlin") if delay else None
    return flight_snapshot("LH", "400", "2026-12-01", status=status, provider_changed_at=changed_at,
                           departure=point("FRA", scheduled, estimated, gate=gate))


def entry(snapshot: dict | None, at: float, outcome: str = "found", source: str = "poll") -> dict:
    return {"outcome": outcome, "snapshot": snapshot, "fp": fingerprint(snapshot) if snapshot else None,
            "fetched_at": at, "source": source, "provider": "airline-sim"}


def tracked(**extra) -> dict:
    return {**follow(None, event(), 2, NOW, GRACE).state, **extra}


# following reservations


def test_a_created_flight_is_tracked_under_its_flight_instance_and_joins_it():
    outcome = follow(None, event(), 2, NOW, GRACE)
    assert outcome.changed and outcome.join == SUBJECT and outcome.leave is None
    assert outcome.state["subject"] == SUBJECT and outcome.state["provider"] == "airline-sim"
    assert outcome.member == [2, outcome.state["until"], "airline-sim"]
    assert outcome.state["until"] == LANDS + GRACE


def test_a_new_flight_number_moves_tracking_and_a_note_changes_nothing():
    state = tracked()
    moved = follow(state, event("reservation.updated", 2, flight={**FLIGHT["flight"], "number": "402"}), 2, NOW, GRACE)
    assert (moved.leave, moved.join) == (SUBJECT, "flight/LH/402/2026-12-01") and moved.state["snapshot"] is None
    same = follow(state, event("reservation.updated", 2, notes="window"), 2, NOW, GRACE)
    assert not same.changed and same.join is None and same.leave is None


def test_the_same_event_delivered_again_joins_again_and_writes_nothing():
    # Written before its join was sent: after a crash in between, the redelivery sends the join again.
    state = tracked()
    again = follow(state, event(), 2, NOW, GRACE)
    assert not again.changed and again.join == SUBJECT and again.member == [2, state["until"], "airline-sim"]


def test_cancelled_deleted_ended_or_replayed_older_events():
    state = tracked(version=3)
    assert follow(state, event("reservation.updated", 4, status="cancelled"), 2, NOW, GRACE).leave == SUBJECT
    gone = follow(state, event("reservation.deleted", 4), 2, NOW, GRACE)
    assert gone.state is None and gone.changed and gone.leave == SUBJECT
    ended = follow(state, event("reservation.updated", 4), 2, LANDS + GRACE + 1, GRACE)
    assert ended.state is None and ended.leave == SUBJECT
    assert follow(state, event("reservation.updated", 2, status="cancelled"), 2, NOW, GRACE).changed is False


# the subject index


def test_join_leave_and_members_whose_trip_ended():
    record = join(None, SUBJECT, 1, NOW, {"r1": [2, NOW + 10, None]})
    assert record["partition"] == 1 and record["joined_at"] == NOW
    assert join(record, SUBJECT, 1, NOW + 5, {"r1": [2, NOW + 10, None]}) is None      # replayed
    record = join(record, SUBJECT, 1, NOW + 5, {"r2": [0, NOW + 1, None]})
    assert record["joined_at"] == NOW and set(record["members"]) == {"r1", "r2"}
    kept, ended = current(record["members"], NOW + 5)
    assert list(kept) == ["r1"] and ended == ["r2"]
    assert leave(record, ["r9"]) is None
    assert set(leave(record, ["r2"])["members"]) == {"r1"} and leave(record, ["r1", "r2"]) == {}


def test_which_provider_is_asked_and_who_may_push():
    enabled = {"airline-sim", "hotel-sim", "gds-sim"}
    members = {"r1": [0, NOW, "lufthansa"], "r2": [1, NOW, "gds-sim"]}
    assert provider_for(SUBJECT, members, enabled, "airline-sim") == "gds-sim"          # a named, enabled one
    assert provider_for(SUBJECT, {"r1": [0, NOW, None]}, enabled, "airline-sim") == "airline-sim"
    assert provider_for(SUBJECT, {"r1": [0, NOW, None]}, enabled, None) is None
    assert provider_for("hotel/hotel-sim/H1", {}, enabled, None) == "hotel-sim"
    assert provider_for("hotel/closed-sim/H1", {}, enabled, None) is None
    assert provider_for("hotel/hotel-sim/" + "H" * 65, {}, enabled, None) is None    # the interface refuses it
    assert may_push("hotel-sim", "hotel/hotel-sim/H1", {}, enabled, None)
    assert not may_push("airline-sim", "hotel/hotel-sim/H1", {}, enabled, None)


# observing snapshots


def test_the_first_snapshot_is_a_baseline_and_the_same_one_again_writes_nothing():
    first = observe(tracked(), "r1", SUBJECT, entry(flight(), NOW), NOW)
    assert first.change is None and first.state["verification"] == "verified" and first.state["snapshot"] == flight()
    again = observe(first.state, "r1", SUBJECT, entry(flight(), NOW + 300), NOW + 300)
    assert again.state is None and again.change is None


def test_a_delay_is_a_major_change_with_a_stable_id_and_its_freshness():
    kept = observe(tracked(), "r1", SUBJECT, entry(flight(), NOW), NOW).state
    later = flight(delay=45, status="delayed", changed_at="2026-09-21T13:00:00Z")
    seen = observe(kept, "r1", SUBJECT, entry(later, NOW + 300), NOW + 300)
    change = seen.change
    assert change["severity"] == "major" and change["user_id"] == "u1" and change["source"] == "poll"
    assert {c["path"] for c in change["changes"]} == {"status", "departure.estimated"}
    assert observe(kept, "r1", SUBJECT, entry(later, NOW + 300), NOW + 301).change["change_id"] == change["change_id"]
    assert freshness_s(change) == pytest.approx(NOW + 300 - datetime(2026, 9, 21, 13, tzinfo=UTC).timestamp())
    assert seen.state["fp"] == fingerprint(later) and seen.state["fetched_at"] == NOW + 300


def test_a_missing_field_is_no_change_and_a_cancellation_is_critical():
    kept = observe(tracked(), "r1", SUBJECT, entry(flight(gate="A1"), NOW), NOW).state
    assert observe(kept, "r1", SUBJECT, entry(flight(gate=None), NOW + 1), NOW + 1).change is None
    cancelled = observe(kept, "r1", SUBJECT, entry(flight(status="cancelled"), NOW + 2), NOW + 2).change
    assert cancelled["severity"] == "critical"


def test_not_found_becomes_unverifiable_only_on_the_third_in_a_row_and_never_cancelled():
    state = observe(tracked(), "r1", SUBJECT, entry(flight(), NOW), NOW).state
    changes = []
    for n in range(1, 5):
        seen = observe(state, "r1", SUBJECT, entry(None, NOW + n, "not_found"), NOW + n)
        state = seen.state
        changes.append(seen.change)
    assert changes[:2] == [None, None] and changes[3] is None
    assert changes[2]["changes"] == [{"path": "verification", "old": "verified", "new": "unverifiable",
                                      "severity": "major"}]
    back = observe(state, "r1", SUBJECT, entry(flight(), NOW + 9), NOW + 9)
    assert back.change["changes"] == [{"path": "verification", "old": "unverifiable", "new": "verified",
                                       "severity": "info"}]
    assert back.state["not_found_streak"] == 0 and back.state["snapshot"]["status"] == "scheduled"


def test_stale_and_foreign_snapshots_are_ignored():
    kept = observe(tracked(), "r1", SUBJECT, entry(flight(changed_at="2026-09-21T13:00:00Z"), NOW), NOW).state
    assert observe(kept, "r1", SUBJECT, entry(flight(gate="B9"), NOW - 1), NOW).state is None   # fetched earlier
    older = flight(gate="B9", changed_at="2026-09-21T12:00:00Z")
    assert observe(kept, "r1", SUBJECT, entry(older, NOW + 5), NOW + 5).change is None       # provider says older
    assert observe(kept, "r1", "flight/LH/402/2026-12-01", entry(flight(gate="B9"), NOW + 5), NOW + 5).state is None
    assert observe(None, "r1", SUBJECT, entry(flight(), NOW), NOW).state is None


# the reservation patch


def test_gate_seat_and_cancellation_reach_the_reservation_estimates_do_not():
    changes = [{"path": "departure.gate", "old": "A1", "new": "B7", "severity": "info"},
               {"path": "seat", "old": None, "new": "12A", "severity": "info"},
               {"path": "departure.estimated", "old": None, "new": {"utc": "x"}, "severity": "major"},
               {"path": "status", "old": "scheduled", "new": "cancelled", "severity": "critical"}]
    patch = provider_patch(FLIGHT, {"changes": changes})
    assert patch == {"flight": {"departure_gate": "B7", "seat": "12A"}, "status": "cancelled", "source": "provider"}
    delayed = [{"path": "status", "old": "scheduled", "new": "delayed", "severity": "info"}]
    assert provider_patch(FLIGHT, {"changes": delayed}) == {}
    assert provider_patch(None, {"changes": changes}) == {}


def test_hotel_dates_move_the_stay_and_a_flight_moved_to_another_day_keeps_its_start():
    hotel = {"type": "hotel", "start": "2026-12-01T15:00:00+01:00", "end": "2026-12-03T11:00:00+01:00",
             "start_time_zone": "Europe/Paris", "hotel": {"name": "H"}}
    moved = hotel_snapshot(check_in=time_from_local("2026-12-02T15:00:00", "Europe/Paris"))["check_in"]
    patch = provider_patch(hotel, {"changes": [{"path": "check_in", "old": None, "new": moved}]})
    assert patch == {"start": "2026-12-02T14:00:00Z", "source": "provider"}
    unchanged = time_from_local("2026-12-01T15:00:00", "Europe/Paris")
    assert provider_patch(hotel, {"changes": [{"path": "check_in", "old": None, "new": unchanged}]}) == {}
    next_day = time_from_local("2026-12-02T00:30:00", "Europe/Berlin")
    assert provider_patch(FLIGHT, {"changes": [{"path": "departure.scheduled", "new": next_day}]}) == {}


# history


def test_history_appends_each_change_once_and_pages_newest_first():
    history = None
    for n in range(5):
        history = append(history, {"change_id": f"c{n}", "user_id": "u1", "severity": "info", "changes": [],
                                   "detected_at": f"2026-09-21T10:00:0{n}.000Z"})
    assert append(history, {"change_id": "c3", "user_id": "u1"}) is None
    items, cursor = page(history, None, "2")
    assert [i["change_id"] for i in items] == ["c4", "c3"] and cursor == "4"
    items, cursor = page(history, cursor, "2")
    assert [i["change_id"] for i in items] == ["c2", "c1"]
    assert page(history, "2", None) == ([history["items"][0]], None)
    assert page(None, None, None) == ([], None)
    with pytest.raises(ValidationError):
        page(history, None, "0")
    with pytest.raises(ValidationError):
        page(history, "x", None)
