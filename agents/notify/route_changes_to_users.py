"""Tracking's changes re-keyed by user ID, for the notifier that keeps each user's state."""

from __future__ import annotations

import orjson
from faust.types import EventT

from faust_app import app
from streams import topics
from streams.dead_letters import process

REQUIRED = ("change_id", "reservation_id", "user_id", "severity", "changes")


@app.agent(topics.reservation_changes, name="agents.route_changes_to_users.route_changes_to_users")
async def route_changes_to_users(changes):
    """reservation-changes -> user-changes: the same change, keyed by its reservation's owner."""
    await process(changes, "route_changes_to_users", route_one, REQUIRED, key_field="reservation_id")


async def route_one(event: EventT, change: dict) -> None:
    # Re-keyed by user ID: the notifier's tables (feed, bursts, devices, preferences) are per user.
    await topics.user_changes.send(key=change["user_id"], value=orjson.dumps(
        {"kind": "change", "user_id": change["user_id"], "change": change}))
