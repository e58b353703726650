"""Trips (agents/trips/): how often ended trips are looked for, and the test clock."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.settings.fields import flag, number, setting


@dataclass(frozen=True)
class Trips:
    """A timer marks trips past once over; tests may move its clock forward instead of waiting hours."""

    tick_s: float = setting(
        "ROADWARRIOR_TRIPS_TICK_S", 30.0, number, doc="how often each worker looks for trips that began or ended")
    test_clock: bool = setting(
        "ROADWARRIOR_TRIPS_TEST_CLOCK", False, flag,
        doc="tests only: serve `POST /api/v1/test-clock`, which moves this worker's trip clock forward; never in "
            "production")
