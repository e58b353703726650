"""The logins agent: claims an e-mail for exactly one account, then asks for the user's profile."""

from __future__ import annotations

import orjson

from agents import topics
from agents.dead_letters import Rejected, dead_letter, decode
from agents.replies import progress, replies
from faust_app import app
from tables.logins import logins

REQUIRED = ("command_id", "kind", "user_id", "password_hash", "role", "profile", "issued_at")


@app.agent(topics.login_commands)
async def apply_login_commands(commands):
    """login-commands -> user-commands: register an e-mail once (409 on a duplicate), then create the user."""
    async for event in commands.events():
        try:
            command = decode(event, REQUIRED)
            if command["kind"] != "register":
                raise Rejected(f"unknown command kind {command['kind']!r}")
        except Rejected as exc:
            await dead_letter(event, "apply_login_commands", str(exc))
            continue
        email, existing = event.key, logins.get(event.key)
        if existing is not None and existing["user_id"] != command["user_id"]:
            reply = {"ok": False, "status": 409, "kind": "email-taken",
                     "title": "An account with this e-mail already exists."}
        else:
            logins[email] = {"user_id": command["user_id"], "password_hash": command["password_hash"],
                             "role": command["role"]}
            await topics.user_commands.send(key=command["user_id"], value=orjson.dumps({
                "command_id": command["command_id"], "kind": "create", "user_id": command["user_id"],
                "data": {"email": email, "role": command["role"], **command["profile"]},
                "issued_at": command["issued_at"]}))
            reply = {"ok": True, "status": 201, "user_id": command["user_id"]}
        replies.resolve(command["command_id"], reply)
        progress.applied(event.message.tp, event.message.offset)
