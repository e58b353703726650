"""Password reset by an e-mailed link: the token, its single use and expiry, and the sessions it ends.

The token seals the account's e-mail and a random reset ID under the server's key (AES-SIV): unguessable,
opaque in URLs and logs, and it names the e-mail, so the request reaches the worker owning that account
without any lookup. It is deterministic, so the agent that stores the token's hash and the mailer that puts
the token in the link derive the same one; only its hash is kept.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

LIFETIME_S = 3600
PAGE_PATH = "/reset-password"
MAX_SESSIONS = 100   # open sessions remembered per account; opening one more ends the oldest
_SEP = "\x1f"


def _box(secret: str) -> AESSIV:
    return AESSIV(hmac.new(secret.encode(), b"password-reset-token", hashlib.sha256).digest())


def seal(secret: str, email: str, reset_id: str) -> str:
    """The token of reset ``reset_id`` of ``email``: URL-safe, the same every time."""
    sealed = _box(secret).encrypt(f"{email}{_SEP}{reset_id}".encode(), None)
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()


def opened(secret: str, token: object) -> tuple[str, str] | None:
    """(e-mail, reset ID) sealed in ``token``, or None for anything this server did not seal."""
    if not isinstance(token, str) or not 0 < len(token) <= 1024:
        return None
    try:
        plain = _box(secret).decrypt(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)), None)
        email, reset_id = plain.decode().split(_SEP)
    except (InvalidTag, binascii.Error, ValueError):
        return None
    return email, reset_id


def reset_link(public_url: str, token: str) -> str:
    """The web app's page that asks for the new password and posts it with the token."""
    return f"{public_url.rstrip('/')}{PAGE_PATH}?token={token}"


def redeem(pending: dict | None, presented_hash: str, now: float) -> str:
    """ok, unknown (never issued, already used, or replaced by a newer request) or expired."""
    if pending is None or not hmac.compare_digest(pending["token_hash"], presented_hash):
        return "unknown"
    return "expired" if pending["expires_at"] <= now else "ok"


def remember_session(open_sessions: list, session_id: str, expires_at: float, now: float) -> tuple[list, list]:
    """(sessions to remember, sessions to end): expired ones are forgotten, the oldest beyond MAX_SESSIONS end."""
    live = [entry for entry in open_sessions if entry[1] > now] + [[session_id, expires_at]]
    return live[-MAX_SESSIONS:], [entry[0] for entry in live[:-MAX_SESSIONS]]
