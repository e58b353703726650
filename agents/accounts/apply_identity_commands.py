"""The identities agent: signs an identity provider's subject in to its account, linking or creating it once."""

from __future__ import annotations

import orjson
from faust.types import EventT

from domain.common.timestamps import now_iso
from faust_app import app
from streams import topics
from streams.dead_letters import process
from streams.replies import replies
from tables.identities import identities

REQUIRED = ("command_id", "kind", "issued_at")
UNVERIFIED = ("Your provider has not confirmed this e-mail address, so it cannot be linked to an account or start "
              "one. Confirm the address with the provider, or sign in with your password.")


@app.agent(topics.identity_commands, name="agents.apply_identity_commands.apply_identity_commands")
async def apply_identity_commands(commands):
    """identity-commands -> login-commands -> identity-commands: a known subject signs in; a new one is linked
    by its verified e-mail on the logins partition, which answers here with the account (identities table)."""
    await process(commands, "apply_identity_commands", apply_one, REQUIRED, ("sign-in", "linked"))


async def apply_one(event: EventT, command: dict) -> None:
    known, kind = identities.get(event.key), command["kind"]
    if kind == "sign-in" and known is not None:
        _answer(command["command_id"], known, "signed-in")
    elif kind == "sign-in" and not command["email_verified"]:
        replies.resolve(command["command_id"], {"ok": False, "status": 403, "kind": "email-unverified",
                                                "title": UNVERIFIED})
    elif kind == "sign-in":
        # Concurrent first sign-ins of one subject all reach the one e-mail partition, which decides once.
        await topics.login_commands.send(key=command["email"], value=orjson.dumps({
            **command, "kind": "link-identity", "identity": event.key, "password_hash": None,
            "role": "traveller"}))
    else:   # linked
        record = {k: command[k] for k in ("user_id", "role", "email")}
        if known is None:
            identities[event.key] = {**record, "linked_at": now_iso()}
        _answer(command["command_id"], known or record, command["outcome"])


def _answer(command_id: str, account: dict, outcome: str) -> None:
    # The e-mail is the account's login (the sessions' key), which need not be the provider's current address.
    replies.resolve(command_id, {"ok": True, "status": 200, "user_id": account["user_id"], "role": account["role"],
                                 "email": account["email"], "outcome": outcome})
