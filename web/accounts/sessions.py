"""Signing an account in: one session (access and refresh tokens) however the person proved who they are."""

from __future__ import annotations

import time
import uuid

import orjson
from aiohttp import web

from domain.accounts.rules import token_hash
from streams import topics
from web import auth
from web.routing import utc_now

ACCESS_COOKIE, REFRESH_COOKIE = "rw_access", "rw_refresh"


async def start_session(user_id: str, role: str) -> dict:
    """Open a refresh-token family for the account; the tokens a login answers with."""
    session_id = uuid.uuid4().hex
    refresh, secret = auth.new_refresh_token(session_id)
    now = time.time()
    session = {"user_id": user_id, "role": role, "token_hash": token_hash(secret),
               "created_at": now, "expires_at": now + auth.REFRESH_TTL_S}
    # No reply needed: a later refresh of this session lands in the same partition, after this.
    delivered = await topics.session_commands.send(key=session_id, value=orjson.dumps(
        {"command_id": uuid.uuid4().hex, "kind": "open", "session": session, "issued_at": utc_now()}))
    await delivered
    return {"access_token": auth.access_token(user_id, role, session_id), "token_type": "Bearer",
            "expires_in": auth.ACCESS_TTL_S, "refresh_token": refresh, "user_id": user_id}


def set_session_cookies(response: web.StreamResponse, tokens: dict, *, secure: bool = False) -> None:
    """The browser's session: the refresh cookie goes only with same-site requests (it mints access tokens)."""
    response.set_cookie(ACCESS_COOKIE, tokens["access_token"], max_age=auth.ACCESS_TTL_S, path="/",
                        httponly=True, samesite="Lax", secure=secure)
    response.set_cookie(REFRESH_COOKIE, tokens["refresh_token"], max_age=auth.REFRESH_TTL_S, path="/",
                        httponly=True, samesite="Strict", secure=secure)
