"""When a trip is over, on the clocks of the place where it ends, and its status at a given moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.common.places import zone_info
from domain.common.timestamps import to_utc

GRACE = timedelta(hours=12)  # a trip landing at 18:00 is still on the dashboard that evening, gone by morning
UPCOMING, CURRENT, PAST = "upcoming", "current", "past"
STATUSES = (UPCOMING, CURRENT, PAST)
COMPLETED, REOPENED = "trip.completed", "trip.reopened"


def over_at(end: str, end_time_zone: str, grace: timedelta = GRACE) -> datetime:
    """The instant (UTC) a trip ending at ``end`` in ``end_time_zone`` is over: ``grace`` later on that
    place's clocks.

    On the clocks, not on a stopwatch: a trip ending at 20:00 the evening before the clocks go back is over
    at 08:00 the next morning, 13 hours later, as the traveller there would say. A reading the clocks skip
    is taken after the jump and a reading they show twice is the second one: each is the later instant the
    reading could mean, so a trip is never over early.
    """
    zone = zone_info(end_time_zone)
    reading = datetime.fromisoformat(end).astimezone(zone).replace(tzinfo=None) + grace
    return max(reading.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))


def status(start: str, end: str, end_time_zone: str, now: datetime, grace: timedelta = GRACE) -> str:
    """Upcoming before its start, current until it is over, then past; ``now`` is an aware datetime.

    Computed from the trip's ends alone, so a past trip whose reservations are moved into the future is
    upcoming (or current) again.
    """
    if now < to_utc(start):
        return UPCOMING
    if now < over_at(end, end_time_zone, grace):
        return CURRENT
    return PAST


def next_change(start: str, end: str, end_time_zone: str, now: datetime, grace: timedelta = GRACE) -> datetime | None:
    """When the status at ``now`` changes next, for a timer to wait until; None once the trip is past."""
    current = status(start, end, end_time_zone, now, grace)
    if current == UPCOMING:
        return to_utc(start)
    return over_at(end, end_time_zone, grace) if current == CURRENT else None


def event_for(recorded: str | None, now_status: str) -> str | None:
    """The trip event a change from the recorded status calls for: completed on becoming past, reopened when
    an edit brings a past trip back (a new trip found already past is completed too); None otherwise."""
    if recorded != PAST and now_status == PAST:
        return COMPLETED
    if recorded == PAST and now_status != PAST:
        return REOPENED
    return None
