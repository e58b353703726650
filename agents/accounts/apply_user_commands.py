"""The users agent: the one writer of user profiles."""

from __future__ import annotations

from faust.types import EventT

from faust_app import app
from streams import topics
from streams.dead_letters import process
from streams.replies import replies
from tables.users import users

REQUIRED = ("command_id", "kind", "user_id", "data", "issued_at")


@app.agent(topics.user_commands, name="agents.apply_user_commands.apply_user_commands")
async def apply_user_commands(commands):
    """user-commands -> users table: create a profile once, apply profile patches with a new version."""
    await process(commands, "apply_user_commands", apply_one, REQUIRED, ("create", "update"), "user_id")


async def apply_one(event: EventT, command: dict) -> None:
    current = users.get(event.key)
    updated = profile_after(current, command)
    if updated is not current:
        users[event.key] = updated
    reply = {"ok": True, "status": 200, "user": updated} if updated else \
        {"ok": False, "status": 404, "kind": "not-found", "title": "No such user."}
    replies.resolve(command["command_id"], reply)


def profile_after(current: dict | None, command: dict) -> dict | None:
    now = command["issued_at"]
    if command["kind"] == "create":
        if current is not None:
            return current  # a replayed create
        return {"id": command["user_id"], **command["data"], "version": 1, "created_at": now, "updated_at": now}
    if current is None:
        return None
    merged = {**current, **command["data"]}
    if merged == current:
        return current
    return {**merged, "version": current["version"] + 1, "updated_at": now}
