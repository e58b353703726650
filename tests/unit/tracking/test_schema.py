"""The reservation-changes schema holds for every kind of change the diff stage publishes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from domain.tracking.observe import observe
from domain.tracking.snapshots import (
    car_snapshot,
    fingerprint,
    flight_snapshot,
    hotel_snapshot,
    point,
    stop,
    time_from_local,
)

SCHEMA = json.loads((Path(__file__).parents[3] / "schemas" / "reservation-changes.json").read_text())
CHANGES = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
BERLIN = "Europe/Berlin"


def state(subject: str) -> dict:
    return {"subject": subject, "provider": None, "user_id": "u" * 32, "until": 2e9, "version": 1, "since": 0.0,
            "snapshot": None, "fp": None, "fetched_at": None, "verification": "unverified", "not_found_streak": 0}


def entry(snapshot: dict | None, at: float) -> dict:
    return {"outcome": "found" if snapshot else "not_found", "snapshot": snapshot, "fp": snapshot and fingerprint(
        snapshot), "fetched_at": at, "source": "push", "provider": "sim"}


def flight(**fields) -> dict:
    departs = point("FRA", time_from_local("2026-12-01T08:30:00", BERLIN), gate="A1", terminal="1")
    return flight_snapshot("LH", "400", "2026-12-01", departure={**departs, **fields.pop("departure", {})}, **fields)


CASES = {
    "delay": ("flight/LH/400/2026-12-01", flight(), flight(status="delayed", provider_changed_at="2026-12-01T06:00:00Z",
              departure={"estimated": time_from_local("2026-12-01T09:30:00", BERLIN)})),
    "cancelled": ("flight/LH/400/2026-12-01", flight(), flight(status="cancelled")),
    "gate and seat": ("flight/LH/400/2026-12-01", flight(), flight(seat="12A", departure={"gate": "B7"})),
    "hotel dates": ("hotel/h/1",
                    hotel_snapshot(status="confirmed", check_in=time_from_local("2026-12-01T15:00", BERLIN), guests=1),
                    hotel_snapshot(status="confirmed", check_in=time_from_local("2026-12-02T15:00", BERLIN), guests=2)),
    "car desk": ("car/c/1", car_snapshot(status="confirmed", pickup=stop("FRA Airport")),
                 car_snapshot(status="confirmed", pickup=stop("Frankfurt Central Station"))),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_published_change_matches_the_schema(case):
    subject, before, after = CASES[case]
    kept = observe(state(subject), "r" * 32, subject, entry(before, 1.0), 1.0).state
    change = observe(kept, "r" * 32, subject, entry(after, 2.0), 2.0).change
    assert change is not None
    CHANGES.validate(change)


def test_an_unverifiable_booking_matches_the_schema():
    kept = observe(state("hotel/h/1"), "r" * 32, "hotel/h/1", entry(hotel_snapshot(status="confirmed"), 1.0), 1.0).state
    changes = []
    for n in range(2, 5):
        seen = observe(kept, "r" * 32, "hotel/h/1", entry(None, float(n)), float(n))
        kept = seen.state
        changes.append(seen.change)
    assert [c is None for c in changes] == [True, True, False]
    CHANGES.validate(changes[2])
