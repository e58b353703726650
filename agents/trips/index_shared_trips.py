"""The "shared with me" index: each follower's trips shared by others, from the owners' share events."""

from __future__ import annotations

from faust.types import EventT

from domain.trips.shares import LISTED
from faust_app import app
from streams import topics
from streams.dead_letters import process
from tables.shared_trips import shared_trips

REQUIRED = ("kind", "follower_id", "owner_id", "trip_id", "role", "occurred_at")


@app.agent(topics.share_events, name="agents.index_shared_trips.index_shared_trips")
async def index_shared_trips(events):
    """share-events -> shared-trips table: add or update a trip shared with the follower, drop a withdrawn one."""
    await process(events, "index_shared_trips", index_one, REQUIRED, ("shared", "withdrawn"), "follower_id")


async def index_one(event: EventT, change: dict) -> None:
    followed = dict(shared_trips.get(event.key) or {})
    if change["kind"] == "shared":
        # A rename or new dates come as "shared" again: the trip was shared when it first was.
        shared_at = (followed.get(change["trip_id"]) or {}).get("shared_at", change["occurred_at"])
        followed[change["trip_id"]] = {"owner_id": change["owner_id"], "role": change["role"], "shared_at": shared_at,
                                       **{name: change.get(name) for name in LISTED}}
    else:
        followed.pop(change["trip_id"], None)
    shared_trips[event.key] = followed
