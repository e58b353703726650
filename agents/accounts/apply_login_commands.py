"""The logins agent: claims an e-mail for exactly one account, then asks for the user's profile."""

from __future__ import annotations

import orjson
from faust.types import EventT

from faust_app import app
from streams import topics
from streams.dead_letters import process
from streams.replies import replies
from tables.logins import logins

REQUIRED = ("command_id", "kind", "user_id", "password_hash", "role", "profile", "issued_at")


@app.agent(topics.login_commands, name="agents.apply_login_commands.apply_login_commands")
async def apply_login_commands(commands):
    """login-commands -> user-commands: register an e-mail once (409 on a duplicate), then create the user."""
    await process(commands, "apply_login_commands", register, REQUIRED, ("register",))


async def register(event: EventT, command: dict) -> None:
    email, existing = event.key, logins.get(event.key)
    if existing is not None and existing["user_id"] != command["user_id"]:
        replies.resolve(command["command_id"], {"ok": False, "status": 409, "kind": "email-taken",
                                                "title": "An account with this e-mail already exists."})
        return
    logins[email] = {"user_id": command["user_id"], "password_hash": command["password_hash"],
                     "role": command["role"]}
    await topics.user_commands.send(key=command["user_id"], value=orjson.dumps({
        "command_id": command["command_id"], "kind": "create", "user_id": command["user_id"],
        "data": {"email": email, "role": command["role"], **command["profile"]},
        "issued_at": command["issued_at"]}))
    replies.resolve(command["command_id"], {"ok": True, "status": 201, "user_id": command["user_id"]})
