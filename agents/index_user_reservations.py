"""The per-user reservation index behind listings."""

from __future__ import annotations

from agents import topics
from agents.dead_letters import Rejected, dead_letter, decode
from agents.replies import progress
from faust_app import app
from tables.user_reservations import user_reservations

REQUIRED = ("event_type", "reservation_id", "user_id", "version", "reservation")


@app.agent(topics.user_reservation_events)
async def index_user_reservations(events):
    """user-reservation-events -> user-reservations table: keep each user's reservations for listing."""
    async for event in events.events():
        try:
            change = decode(event, REQUIRED)
        except Rejected as exc:
            await dead_letter(event, "index_user_reservations", str(exc))
            continue
        index = dict(user_reservations.get(event.key) or {})
        known = index.get(change["reservation_id"])
        # Versions only move forward: a replayed older event never overwrites a newer state.
        if known is None or known["version"] < change["version"]:
            if change["event_type"] == "reservation.deleted":
                # A tombstone, not a removal: it keeps a replayed create from bringing it back.
                index[change["reservation_id"]] = {"version": change["version"], "deleted": True}
            else:
                index[change["reservation_id"]] = change["reservation"]
            user_reservations[event.key] = index
        progress.applied(event.message.tp, event.message.offset)
