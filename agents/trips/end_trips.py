"""The trips' clock: a tick to each traveller one of whose trips began or is over.

Timers cannot write tables, so the tick goes through trip-commands to the traveller's agent, which marks the
trip current or past, publishes trip.completed, and takes a past trip's reservations out of tracking.
"""

from __future__ import annotations

import uuid

import orjson

from domain.common.timestamps import now_iso
from domain.trips.book import due
from faust_app import app, settings
from runtime.clock import trips_clock
from streams import topics
from tables.trips import trips


@app.timer(interval=settings.trips.tick_s, name="agents.end_trips.end_trips")
async def end_trips() -> None:
    """timer -> trip-commands: tick the travellers whose trips changed status with time."""
    if not (app.rebalancing or app.in_recovery):
        await tick_due_travellers()


async def tick_due_travellers() -> None:
    now = trips_clock.now()
    for user_id, book in list(trips.items()):   # this worker's active partitions only
        if due(book, now):
            await topics.trip_commands.send(key=user_id, value=orjson.dumps({
                "command_id": uuid.uuid4().hex, "kind": "tick", "user_id": user_id, "data": {},
                "issued_at": now_iso()}))
