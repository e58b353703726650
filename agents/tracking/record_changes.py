"""Each published change kept in the reservation's history and applied to the reservation itself."""

from __future__ import annotations

import orjson
from faust.types import EventT

from domain.tracking.history import append
from domain.tracking.updates import KIND
from faust_app import app
from streams import topics
from streams.dead_letters import process
from tables.reservation_history import reservation_history

REQUIRED = ("change_id", "reservation_id", "user_id", "severity", "changes", "detected_at")


@app.agent(topics.reservation_changes, name="agents.record_changes.record_changes")
async def record_changes(changes):
    """reservation-changes -> reservation-history table, reservation-commands: record and apply each change."""
    await process(changes, "record_changes", record_one, REQUIRED, key_field="reservation_id")


async def record_one(event: EventT, change: dict) -> None:
    history = append(reservation_history.get(event.key), change)
    if history is not None:
        reservation_history[event.key] = history
    # Sent even for a change already in the history: a crash may have come between the two, and the
    # reservations agent recognises the command ID (the change ID) when it did get there.
    command = {"command_id": change["change_id"], "kind": KIND, "reservation_id": event.key,
               "user_id": change["user_id"], "data": {"changes": change["changes"]},
               "issued_at": change["detected_at"]}
    await topics.reservation_commands.send(key=event.key, value=orjson.dumps(command))
