"""The share address agent: a share with a person learns which account, if any, the address belongs to."""

from __future__ import annotations

import orjson
from faust.types import EventT

from faust_app import app
from streams import topics
from streams.dead_letters import process
from tables.logins import logins
from tables.share_invitations import share_invitations

REQUIRED = ("command_id", "kind", "user_id", "data", "issued_at")


@app.agent(topics.share_address_lookups, name="agents.resolve_share_addresses.resolve_share_addresses")
async def resolve_share_addresses(commands):
    """share-address-lookups -> trip-commands: add the address's account (or keep the invitation), then hand
    the share to the owner's trips agent."""
    await process(commands, "resolve_share_addresses", resolve_one, REQUIRED, ("share",))


async def resolve_one(event: EventT, command: dict) -> None:
    # Keyed by e-mail like login-commands, so this worker holds the address's logins partition; the reply
    # is resolved by the trips agent on the owner's worker, where the view waits.
    login = logins.get(event.key)
    data = {**command["data"], "follower_id": login["user_id"] if login else None}
    if login is None:   # kept until the address signs up (agents/trips/attach_invitations.py)
        waiting = share_invitations.get(event.key) or {}
        share_invitations[event.key] = {**waiting, data["share_id"]: {
            "owner_id": command["user_id"], "trip_id": data["trip_id"], "invited_at": command["issued_at"]}}
    await topics.trip_commands.send(key=command["user_id"], value=orjson.dumps({**command, "data": data}))
