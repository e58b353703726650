"""The logins agent: claims an e-mail for exactly one account, then asks for the user's profile."""

from __future__ import annotations

import orjson
from faust.types import EventT

from domain.accounts.identities import email_proven, linked
from domain.common.timestamps import now_iso
from faust_app import app
from streams import topics
from streams.dead_letters import Rejected, process
from streams.replies import replies
from tables.logins import logins

REQUIRED = ("command_id", "kind", "user_id", "password_hash", "issued_at")
REGISTER = ("role", "profile")


@app.agent(topics.login_commands, name="agents.apply_login_commands.apply_login_commands")
async def apply_login_commands(commands):
    """login-commands -> user-commands, identity-commands, credential-commands: register an e-mail once (409 on a
    duplicate), then create the user; link an identity provider's verified e-mail to its account (taking over one
    whose e-mail was never proven: password cleared, sessions ended), or create one; set a new password after a
    confirmed reset."""
    await process(commands, "apply_login_commands", apply_one, REQUIRED, ("register", "link-identity", "set-password"))


async def apply_one(event: EventT, command: dict) -> None:
    if command["kind"] == "set-password":
        set_password(event.key, command)
        return
    missing = [name for name in REGISTER if name not in command]
    if missing:
        raise Rejected(f"missing fields: {', '.join(missing)}")
    await (register if command["kind"] == "register" else link_identity)(event, command)


async def register(event: EventT, command: dict) -> None:
    email, existing = event.key, logins.get(event.key)
    if existing is not None and existing["user_id"] != command["user_id"]:
        replies.resolve(command["command_id"], {"ok": False, "status": 409, "kind": "email-taken",
                                                "title": "An account with this e-mail already exists."})
        return
    # A replayed register (the administrator's, at every start) keeps the identities linked meanwhile.
    logins[email] = {**(existing or {}), "user_id": command["user_id"], "password_hash": command["password_hash"],
                     "role": command["role"]}
    await _create_user(email, command)
    replies.resolve(command["command_id"], {"ok": True, "status": 201, "user_id": command["user_id"]})


async def link_identity(event: EventT, command: dict) -> None:
    # The reply waits on the identity's partition: the answer goes back there, not to a local future.
    email, current = event.key, logins.get(event.key)
    login, outcome = linked(current, command["identity"], command["user_id"])
    if login != current:
        logins[email] = login
    if outcome == "taken-over":
        await _end_sessions(email, command["command_id"])
    if outcome == "created":
        # Its own command ID: the users agent resolves the ID it applies, and the sign-in must wait for "linked".
        await _create_user(email, {**command, "command_id": command["command_id"] + "-profile"})
    await topics.identity_commands.send(key=command["identity"], value=orjson.dumps({
        "command_id": command["command_id"], "kind": "linked", "user_id": login["user_id"], "role": login["role"],
        "email": email, "outcome": outcome, "issued_at": command["issued_at"]}))


async def _end_sessions(email: str, command_id: str) -> None:
    # Waited for: the owner's own session, opened after the answer below, must come after this on that partition.
    await (await topics.credential_commands.send(key=email, value=orjson.dumps(
        {"command_id": f"{command_id}-end-sessions", "kind": "end-sessions", "issued_at": now_iso()})))


async def _create_user(email: str, command: dict) -> None:
    await topics.user_commands.send(key=command["user_id"], value=orjson.dumps({
        "command_id": command["command_id"], "kind": "create", "user_id": command["user_id"],
        "data": {"email": email, "role": command["role"], **command["profile"]},
        "issued_at": command["issued_at"]}))


def set_password(email: str, command: dict) -> None:
    """A reset confirmed by apply_credential_commands (which already ended the account's sessions)."""
    login = logins.get(email)
    if login is None or login["user_id"] != command["user_id"]:
        replies.resolve(command["command_id"], {"ok": False, "status": 400, "kind": "reset-token-invalid",
                                                "title": "This reset link is not valid; ask for a new one."})
        return
    logins[email] = email_proven({**login, "password_hash": command["password_hash"]})
    replies.resolve(command["command_id"], {"ok": True, "status": 204})
