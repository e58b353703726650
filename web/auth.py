"""Credentials: argon2 password hashes, 15-minute access JWTs, opaque refresh tokens, the caller's identity."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass

import jwt
from aiohttp import web
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.common.errors import Forbidden, Unauthorized
from faust_app import settings

ACCESS_TTL_S = 15 * 60
REFRESH_TTL_S = 30 * 24 * 3600
ISSUER = "roadwarrior"
# The request key web/session.py keeps the cookie session's access token under.
SESSION_TOKEN = web.RequestKey("rw.token", str)
_hasher = PasswordHasher()
# Verifying against this when the e-mail is unknown keeps login time the same for both cases.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Caller:
    user_id: str
    role: str


async def hash_password(password: str) -> str:
    # argon2 costs ~50 ms of CPU: off the event loop, so other requests keep flowing.
    return await asyncio.get_running_loop().run_in_executor(None, _hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def _verify() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.get_running_loop().run_in_executor(None, _verify)


def access_token(user_id: str, role: str, session_id: str, now: float | None = None) -> str:
    issued = int(now or time.time())
    claims = {"iss": ISSUER, "sub": user_id, "role": role, "sid": session_id, "typ": "access",
              "iat": issued, "exp": issued + ACCESS_TTL_S}
    return jwt.encode(claims, settings.accounts.jwt_secret.value, algorithm="HS256")


def new_refresh_token(session_id: str) -> tuple[str, str]:
    """(token, secret): the token is "<session ID>.<secret>"; only the secret's hash is stored."""
    secret = secrets.token_urlsafe(32)
    return f"{session_id}.{secret}", secret


def split_refresh_token(token: object) -> tuple[str, str]:
    if not isinstance(token, str) or token.count(".") != 1:
        raise Unauthorized("The refresh token is malformed.")
    session_id, secret = token.split(".")
    if not session_id or not secret:
        raise Unauthorized("The refresh token is malformed.")
    return session_id, secret


def caller(request: web.Request) -> Caller:
    """The authenticated caller from ``Authorization: Bearer <access token>``, else from the web app's session
    cookie (web/session.py, which checked CSRF on writes); 401 otherwise."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header and request.get(SESSION_TOKEN):
        scheme, token = "bearer", request[SESSION_TOKEN]
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("An access token is required (Authorization: Bearer ...).")
    known = _verified.get(token)
    if known is not None and known[1] > time.time():
        return known[0]  # verified before and not expired: skip the HMAC and JSON work
    who, expires = _decode_access(token)
    if len(_verified) >= _VERIFIED_MAX:
        _verified.clear()
    _verified[token] = (who, expires)
    return who


_VERIFIED_MAX = 100_000
_verified: dict[str, tuple[Caller, float]] = {}


def _decode_access(token: str) -> tuple[Caller, float]:
    try:
        claims = jwt.decode(token, settings.accounts.jwt_secret.value, algorithms=["HS256"], issuer=ISSUER,
                            options={"require": ["exp", "sub", "iat"]})
    except jwt.ExpiredSignatureError:
        raise Unauthorized("The access token has expired; refresh it.") from None
    except jwt.InvalidTokenError:
        raise Unauthorized("The access token is invalid.") from None
    if claims.get("typ") != "access":
        raise Unauthorized("This is not an access token.")
    return Caller(user_id=claims["sub"], role=claims.get("role", "traveller")), claims["exp"]


def require_role(request: web.Request, *roles: str) -> Caller:
    who = caller(request)
    if who.role not in roles:
        raise Forbidden("This needs the role " + " or ".join(roles) + ".")
    return who
