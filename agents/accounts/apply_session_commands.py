"""The sessions agent: opens, rotates and revokes refresh-token families."""

from __future__ import annotations

from faust.types import EventT

from domain.accounts.rules import rotate
from faust_app import app
from streams import topics
from streams.dead_letters import process
from streams.replies import replies
from tables.sessions import sessions

REQUIRED = ("command_id", "kind", "issued_at")


@app.agent(topics.session_commands, name="agents.apply_session_commands.apply_session_commands")
async def apply_session_commands(commands):
    """session-commands -> sessions table: open a family, rotate its token (reuse revokes it), revoke it."""
    await process(commands, "apply_session_commands", apply_one, REQUIRED, ("open", "rotate", "revoke"))


async def apply_one(event: EventT, command: dict) -> None:
    current, kind = sessions.get(event.key), command["kind"]
    if kind == "open":
        state, outcome = current or {**command["session"], "previous_hashes": [], "revoked": False}, "ok"
    elif kind == "rotate":
        state, outcome = rotate(current, command["presented_hash"], command["new_hash"], command["now"])
    else:
        state, outcome = (current and {**current, "revoked": True}), "ok" if current else "unknown"
    if state is not None and state != current:
        sessions[event.key] = state
    replies.resolve(command["command_id"], {"ok": outcome == "ok", "outcome": outcome, "session": state})
