"""Secret calendar feed URLs: one token per user, ``<user ID>.<secret>``, of which only the secret's digest is kept.

The token names its user, as a refresh token names its session: the feed is built where the user's reservations
are, and the user ID in the URL is what routes the request there in one hop. The secret is what opens it.
"""

from __future__ import annotations

import hmac
import re
import secrets

from domain.trips.book import to_api
from domain.trips.sharing import TOKEN_BYTES, token_digest

TOKEN = re.compile(r"^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$")  # a user ID (domain/common/ids.py), token_urlsafe(32)


def new_token(user_id: str) -> tuple[str, str]:
    """A fresh token for the user's feed URL, and its secret's SHA-256 digest, the only form kept."""
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    return f"{user_id}.{secret}", token_digest(secret)


def split_token(token: str) -> tuple[str, str] | None:
    """(user ID, secret) of a well-formed token; None for anything else."""
    found = TOKEN.match(token)
    return (found[1], found[2]) if found else None


def feed_after(current: dict | None, command: dict) -> dict:
    """The user's feed record after a ``create`` or ``regenerate`` command.

    ``create`` keeps a feed that exists, so two first visits at once end with one URL; ``regenerate``
    replaces it. A command applied again after a crash changes nothing: the URL its caller was given stays.
    """
    if current is not None and (command["kind"] == "create" or current["command_id"] == command["command_id"]):
        return current
    return {"digest": command["digest"], "sealed": command["sealed"], "created_at": command["issued_at"],
            "command_id": command["command_id"]}


def opens(record: dict | None, secret: str) -> bool:
    """Whether ``secret`` is the user's current one, compared in constant time."""
    return record is not None and hmac.compare_digest(token_digest(secret), record["digest"])


def trip_names(book: dict | None) -> dict[str, str]:
    """Reservation ID -> the name of the trip holding it, for each event's description in the owner's feed."""
    shown = [to_api(trip) for trip in ((book or {}).get("trips") or {}).values()]
    return {rid: trip["name"] for trip in shown if trip["name"] for rid in trip["reservation_ids"]}
