"""The credentials agent: password-reset requests and confirmations, and the sessions a reset ends."""

from __future__ import annotations

import orjson
from faust.types import EventT

from domain.accounts.reset import redeem, remember_session, seal
from domain.accounts.rules import token_hash
from domain.common.timestamps import now_iso
from faust_app import app, settings
from streams import topics
from streams.dead_letters import Rejected, process
from streams.replies import replies
from tables.account_sessions import account_sessions
from tables.logins import logins
from tables.password_resets import password_resets

REQUIRED = ("command_id", "kind", "issued_at")
FIELDS = {"request-reset": ("reset_id", "expires_at"), "confirm-reset": ("token_hash", "password_hash", "now"),
          "session-opened": ("session_id", "expires_at", "now"), "end-sessions": ()}
_REFUSALS = {"unknown": "This reset link is not valid, or was already used; ask for a new one.",
             "expired": "This reset link has expired; ask for a new one."}


@app.agent(topics.credential_commands)
async def apply_credential_commands(commands):
    """credential-commands -> password-reset-mails, login-commands, session-commands: keep each account's reset
    token hash and open sessions; a confirmed reset sets the password and ends every session, as a takeover
    by the e-mail's verified owner does (end-sessions)."""
    await process(commands, "apply_credential_commands", apply_one, REQUIRED, tuple(FIELDS))


async def apply_one(event: EventT, command: dict) -> None:
    missing = [name for name in FIELDS[command["kind"]] if name not in command]
    if missing:
        raise Rejected(f"missing fields: {', '.join(missing)}")
    handle = {"request-reset": request_reset, "confirm-reset": confirm_reset, "session-opened": session_opened,
              "end-sessions": end_sessions}
    await handle[command["kind"]](event.key, command)


async def request_reset(email: str, command: dict) -> None:
    # Same partition as the logins table (both keyed by e-mail): the account, if any, is here.
    login = logins.get(email)
    if login is None:
        return   # nobody to mail; the view answered 202 all the same
    token = seal(settings.accounts.jwt_secret.value, email, command["reset_id"])
    password_resets[email] = {"token_hash": token_hash(token), "user_id": login["user_id"],
                              "expires_at": command["expires_at"]}
    await topics.password_reset_mails.send(key=login["user_id"], value=orjson.dumps(
        {"user_id": login["user_id"], "email": email, "reset_id": command["reset_id"],
         "expires_at": command["expires_at"]}))


async def confirm_reset(email: str, command: dict) -> None:
    pending, login = password_resets.get(email), logins.get(email)
    outcome = redeem(pending, command["token_hash"], command["now"]) if login else "unknown"
    if outcome != "ok":
        replies.resolve(command["command_id"], {"ok": False, "status": 400, "kind": "reset-token-invalid",
                                                "title": _REFUSALS[outcome]})
        return
    del password_resets[email]   # single use: a replayed confirmation finds nothing
    await end_sessions(email, command)
    # The logins agent, on this same partition, sets the hash and answers the waiting view.
    await topics.login_commands.send(key=email, value=orjson.dumps(
        {"command_id": command["command_id"], "kind": "set-password", "user_id": login["user_id"],
         "password_hash": command["password_hash"], "issued_at": command["issued_at"]}))


async def end_sessions(email: str, command: dict) -> None:
    """Every open session of the account: after a reset, or when a verified owner takes the account over."""
    open_sessions = account_sessions.get(email, [])
    if open_sessions:
        del account_sessions[email]
    for session_id, _ in open_sessions:
        await _end_session(session_id)


async def session_opened(email: str, command: dict) -> None:
    kept, ended = remember_session(account_sessions.get(email, []), command["session_id"], command["expires_at"],
                                   command["now"])
    account_sessions[email] = kept
    for session_id in ended:
        await _end_session(session_id)


async def _end_session(session_id: str) -> None:
    # Waited for: a refresh right after the reset's answer must already find its session revoked.
    delivered = await topics.session_commands.send(key=session_id, value=orjson.dumps(
        {"command_id": f"reset-{session_id}", "kind": "revoke", "issued_at": now_iso()}))
    await delivered
