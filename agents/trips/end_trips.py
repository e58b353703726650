"""The trips' clock: a tick to each traveller one of whose trips began or is over.

Timers cannot write tables, so the tick goes through trip-commands to the traveller's agent, which marks the
trip current or past, publishes trip.completed, and takes a past trip's reservations out of tracking.
"""

from __future__ import annotations

import uuid

import orjson

from agents.trips.schedule import due, reschedule
from domain.common.timestamps import now_iso
from faust_app import app, settings
from runtime.clock import trips_clock
from streams import topics
from streams.partitions import owned_partitions, tables_ready
from tables.trips import trips

_known: frozenset[int] | None = None


@app.timer(interval=settings.trips.tick_s, name="agents.end_trips.end_trips")
async def end_trips() -> None:
    """timer -> trip-commands: tick the travellers whose trips changed status with time."""
    if tables_ready():
        rebuild_if_reassigned()
        await tick_due_travellers()


def rebuild_if_reassigned() -> None:
    global _known
    owned = owned_partitions(topics.trip_commands)
    if owned == _known:
        return
    _known = owned
    due.clear()
    now = trips_clock.now()
    for user_id, book in list(trips.items()):   # this worker's active partitions only
        reschedule(user_id, book, now)


async def tick_due_travellers() -> None:
    for user_id in due.pop_due(trips_clock.now().timestamp()):
        await topics.trip_commands.send(key=user_id, value=orjson.dumps({
            "command_id": uuid.uuid4().hex, "kind": "tick", "user_id": user_id, "data": {},
            "issued_at": now_iso()}))
