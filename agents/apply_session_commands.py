"""The sessions agent: opens, rotates and revokes refresh-token families."""

from __future__ import annotations

from agents import topics
from agents.dead_letters import Rejected, dead_letter, decode
from agents.replies import progress, replies
from domain.accounts import rotate
from faust_app import app
from tables.sessions import sessions

REQUIRED = ("command_id", "kind", "issued_at")


@app.agent(topics.session_commands)
async def apply_session_commands(commands):
    """session-commands -> sessions table: open a family, rotate its token (reuse revokes it), revoke it."""
    async for event in commands.events():
        try:
            command = decode(event, REQUIRED)
            kind = command["kind"]
            if kind not in ("open", "rotate", "revoke"):
                raise Rejected(f"unknown command kind {kind!r}")
        except Rejected as exc:
            await dead_letter(event, "apply_session_commands", str(exc))
            continue
        current = sessions.get(event.key)
        if kind == "open":
            state, outcome = current or {**command["session"], "previous_hashes": [], "revoked": False}, "ok"
        elif kind == "rotate":
            state, outcome = rotate(current, command["presented_hash"], command["new_hash"], command["now"])
        else:
            state, outcome = (current and {**current, "revoked": True}), "ok" if current else "unknown"
        if state is not None and state != current:
            sessions[event.key] = state
        replies.resolve(command["command_id"], {"ok": outcome == "ok", "outcome": outcome, "session": state})
        progress.applied(event.message.tp, event.message.offset)
