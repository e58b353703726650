"""Invitations meet their sign-up: a share waiting for an address goes to the account registering it."""

from __future__ import annotations

import uuid

import orjson
from faust.types import EventT

from domain.trips.shares import claimed
from faust_app import app, settings
from streams import topics
from streams.dead_letters import process
from tables.share_invitations import share_invitations

REQUIRED = ("kind", "user_id", "issued_at")


@app.agent(topics.login_commands, name="agents.attach_invitations.attach_invitations")
async def attach_invitations(commands):
    """login-commands -> trip-commands: on a sign-up presenting an invitation's claim token, attach its share."""
    await process(commands, "attach_invitations", attach_one, REQUIRED)


async def attach_one(event: EventT, command: dict) -> None:
    # Beside the logins agent on the same e-mail partition: the first sign-up of an address is the one
    # that claims it, and the invitations leave with it, so a refused duplicate finds none.
    waiting = share_invitations.get(event.key)
    if command["kind"] != "register" or not waiting:
        return
    secret = settings.accounts.jwt_secret.value
    attached = claimed(secret, command.get("invitation"), event.key, sorted(waiting))
    if not attached:
        return   # no token, or not this address's: whoever registered it did not show they read its mail
    left = {share_id: invitation for share_id, invitation in waiting.items() if share_id not in attached}
    if left:
        share_invitations[event.key] = left
    else:
        del share_invitations[event.key]
    for share_id in attached:
        invitation = waiting[share_id]
        await topics.trip_commands.send(key=invitation["owner_id"], value=orjson.dumps({
            "command_id": uuid.uuid4().hex, "kind": "attach-share", "user_id": invitation["owner_id"],
            "data": {"trip_id": invitation["trip_id"], "share_id": share_id, "follower_id": command["user_id"]},
            "issued_at": command["issued_at"]}))
