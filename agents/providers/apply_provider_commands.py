"""The provider registry agent: the one writer of the providers table."""

from __future__ import annotations

from faust.types import EventT

from faust_app import app
from streams import topics
from streams.dead_letters import process
from streams.replies import replies
from tables.providers import providers

REQUIRED = ("command_id", "kind", "provider_id", "data", "issued_at")


@app.agent(topics.provider_commands, name="agents.apply_provider_commands.apply_provider_commands")
async def apply_provider_commands(commands):
    """provider-commands -> providers table: register, update or disable a provider (admin endpoints)."""
    await process(commands, "apply_provider_commands", apply_one, REQUIRED, ("register", "update"), "provider_id")


async def apply_one(event: EventT, command: dict) -> None:
    current = providers.get(event.key)
    if command["kind"] == "register" and current is not None and current.get("registered_by") != command["command_id"]:
        reply = {"ok": False, "status": 409, "kind": "provider-exists", "title": "This provider ID is taken."}
    elif command["kind"] == "update" and current is None:
        reply = {"ok": False, "status": 404, "kind": "not-found", "title": "No such provider."}
    else:
        base = current or {"registered_by": command["command_id"], "created_at": command["issued_at"], "version": 0}
        record = {**base, **command["data"], "provider_id": event.key}
        if record != current:
            record = {**record, "version": base["version"] + 1, "updated_at": command["issued_at"]}
            providers[event.key] = record
        reply = {"ok": True, "status": 201 if current is None else 200, "provider": record}
    replies.resolve(command["command_id"], reply)
