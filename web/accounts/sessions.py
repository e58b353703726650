"""Signing an account in: one session (access and refresh tokens) however the person proved who they are, and
remembered by the account so that a password reset or a takeover ends it; the web app keeps it in cookies
(web/session.py, ``sign_in``)."""

from __future__ import annotations

import time
import uuid

import orjson

from domain.accounts.rules import token_hash
from streams import topics
from web import auth
from web.routing import utc_now


async def start_session(email: str, user_id: str, role: str) -> dict:
    """Open a refresh-token family for the account of login ``email``; the tokens a login answers with."""
    session_id = uuid.uuid4().hex
    refresh, secret = auth.new_refresh_token(session_id)
    now = time.time()
    session = {"user_id": user_id, "role": role, "token_hash": token_hash(secret),
               "created_at": now, "expires_at": now + auth.REFRESH_TTL_S}
    # No reply needed: a later refresh of this session lands in the same partition, after this.
    delivered = await topics.session_commands.send(key=session_id, value=orjson.dumps(
        {"command_id": uuid.uuid4().hex, "kind": "open", "session": session, "issued_at": utc_now()}))
    await delivered
    await _remember(email, session_id, session["expires_at"], now)
    return {"access_token": auth.access_token(user_id, role, session_id), "token_type": "Bearer",
            "expires_in": auth.ACCESS_TTL_S, "refresh_token": refresh, "user_id": user_id}



async def _remember(email: str, session_id: str, expires_at: float, now: float) -> None:
    # Every way in goes through here: a session the account does not know of would outlive a password reset.
    command = {"command_id": uuid.uuid4().hex, "kind": "session-opened", "session_id": session_id,
               "expires_at": expires_at, "now": now, "issued_at": utc_now()}
    await (await topics.credential_commands.send(key=email, value=orjson.dumps(command)))
