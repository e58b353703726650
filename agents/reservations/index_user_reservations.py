"""The per-user reservation index behind listings."""

from __future__ import annotations

from faust.types import EventT

from faust_app import app
from streams import topics
from streams.dead_letters import process
from tables.user_reservations import entry_key, user_reservations

REQUIRED = ("event_type", "reservation_id", "user_id", "version", "reservation")


@app.agent(topics.user_reservation_events, name="agents.index_user_reservations.index_user_reservations")
async def index_user_reservations(events):
    """user-reservation-events -> user-reservations table: keep each user's reservations for listing."""
    await process(events, "index_user_reservations", index_one, REQUIRED, key_field="user_id")


async def index_one(event: EventT, change: dict) -> None:
    key = entry_key(event.key, change["reservation_id"])
    known = user_reservations.get(key)
    # Versions only move forward: a replayed older event never overwrites a newer state.
    if known is not None and known["version"] >= change["version"]:
        return
    if change["event_type"] == "reservation.deleted":
        # A tombstone, not a removal: it keeps a replayed create from bringing it back.
        user_reservations[key] = {"version": change["version"], "deleted": True}
    else:
        user_reservations[key] = change["reservation"]
