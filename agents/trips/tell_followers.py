"""Followers of a shared trip hear its reservations' changes, each through their own notification settings."""

from __future__ import annotations

import orjson
from faust.types import EventT

from domain.notify.changes import with_reservation
from domain.trips.shares import for_followers
from faust_app import app
from streams import topics
from streams.dead_letters import process
from tables.trips import trips
from tables.user_reservations import entry_key, user_reservations
from tables.users import users

REQUIRED = ("kind", "user_id")


@app.agent(topics.user_changes, name="agents.tell_followers.tell_followers")
async def tell_followers(messages):
    """user-changes -> user-changes: the owner's change again, keyed by each follower of the trip holding it."""
    await process(messages, "tell_followers", tell_one, REQUIRED, key_field="user_id")


async def tell_one(event: EventT, message: dict) -> None:
    change = message.get("change")
    if message["kind"] != "change" or not isinstance(change, dict) or "shared_by" in change:
        return   # ticks, and the copies this agent sent (a follower's copy goes no further)
    book = trips.get(event.key)
    if book is None:
        return
    # The owner's reservation is in this partition (user-reservations is keyed by user ID too); the
    # follower's notifier could not read it from theirs.
    held = user_reservations.get(entry_key(event.key, change["reservation_id"]))
    reservation = with_reservation(change, held if held and not held.get("deleted") else None).get("reservation")
    owner_name = (users.get(event.key) or {}).get("name")   # users is keyed by user ID: the owner's row is here
    for copy in for_followers(book, change, reservation, owner_name):
        await topics.user_changes.send(key=copy["user_id"], value=orjson.dumps(
            {"kind": "change", "user_id": copy["user_id"], "change": copy}))
