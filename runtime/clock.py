"""The trips' clock: the real time, moved forward only where the test clock is switched on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Now, plus an offset tests move forward (``advance``) so trips end without waiting for real hours."""

    def __init__(self, settable: bool) -> None:
        self.settable = settable
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> datetime:
        if not self.settable:
            raise PermissionError("the test clock is off (ROADWARRIOR_TRIPS_TEST_CLOCK)")
        self.offset += timedelta(seconds=seconds)
        return self.now()


def _trips_clock() -> Clock:
    from faust_app import settings  # the app's settings, read once at start

    return Clock(settings.trips.test_clock)


trips_clock = _trips_clock()   # what the trip agents and timer take as now
