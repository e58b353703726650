"""Secret calendar feed URLs: one token per user, looked up by its digest, replaced on demand."""

from __future__ import annotations

import hmac
import re
import secrets

from domain.trips.sharing import TOKEN_BYTES, token_digest

TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # what secrets.token_urlsafe(32) gives


def new_token() -> tuple[str, str]:
    """A fresh token for the feed URL and its SHA-256 digest, the form it is found by."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_digest(token)


def feed_after(current: dict | None, command: dict) -> dict:
    """The user's feed record after a ``create`` or ``regenerate`` command.

    ``create`` keeps a feed that exists, so two first visits at once end with one URL; ``regenerate``
    replaces it. A command applied again after a crash changes nothing: the URL its caller was given stays.
    """
    if current is not None and (command["kind"] == "create" or current["command_id"] == command["command_id"]):
        return current
    return {"digest": command["digest"], "sealed": command["sealed"], "created_at": command["issued_at"],
            "command_id": command["command_id"]}


def opens(record: dict | None, token: str) -> bool:
    """Whether ``token`` is the user's current one, compared in constant time."""
    return record is not None and hmac.compare_digest(token_digest(token), record["digest"])
