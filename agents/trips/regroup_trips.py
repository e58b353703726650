"""The grouping agent: every reservation change regroups its traveller's trips."""

from __future__ import annotations

from faust.types import EventT

from agents.trips.book_io import publish, publish_shares, reservations_of
from agents.trips.schedule import reschedule
from domain.trips.book import empty_book, settle
from faust_app import app
from runtime.clock import trips_clock
from streams import topics
from streams.dead_letters import process
from tables.trips import trips

REQUIRED = ("event_type", "reservation_id", "user_id", "version", "occurred_at")


@app.agent(topics.user_reservation_events, name="agents.regroup_trips.regroup_trips")
async def regroup_trips(events):
    """user-reservation-events -> trips table, trip-events: regroup the traveller's trips around the change."""
    await process(events, "regroup_trips", regroup_one, REQUIRED, key_field="user_id")


async def regroup_one(event: EventT, change: dict) -> None:
    book = trips.get(event.key) or empty_book(event.key)
    reservations = reservations_of(event.key, change)
    # The change's own time stamps the trips and events, so a replay stamps the same. Only the trips this
    # reservation leaves, joins or is in are summarised again: the others hold what they held.
    now = trips_clock.now()
    settled, trip_events = settle(book, book, reservations, now, change["occurred_at"], {change["reservation_id"]})
    if settled != book:
        trips[event.key] = settled
    reschedule(event.key, settled, now)
    await publish_shares(book, settled, change["occurred_at"])   # an emptied automatic trip takes its shares
    await publish(event.key, trip_events, reservations)
