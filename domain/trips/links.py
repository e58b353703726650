"""A trip's public links: made and revoked by trip commands, kept on the trip as new_link's record, found by token.

The token in a link's URL is ``<owner's user ID>.<secret>``, as a calendar feed's is: the user ID routes the
request to the worker holding the owner's trip book in one hop, and the secret, kept only as its digest,
opens one trip of it. Whether a link works also depends on its trip: nothing opens a private trip.
"""

from __future__ import annotations

import hmac
from datetime import datetime

from domain.common.errors import DomainError, FieldErrors, NotFound
from domain.common.timestamps import to_utc, utc_iso
from domain.trips import sharing

ACTIVE, EXPIRED, REVOKED, PAUSED = "active", "expired", "revoked", "paused"
STATES = (ACTIVE, EXPIRED, REVOKED, PAUSED)


class PrivateTrip(DomainError):
    """A link asked for on a trip marked private."""

    kind = "trip-private"
    status = 422


def check_input(body: dict, now: datetime) -> str | None:
    """The expiry a new link asks for, in UTC, or None for a link without one; a 422 for anything else.

    A past expiry is refused rather than made into a link that never works.
    """
    errors = FieldErrors()
    unknown = sorted(set(body) - {"expires_at"})
    if unknown:
        errors.add(unknown[0], "is not a field of a link")
    expires_at = body.get("expires_at")
    moment = None
    if expires_at is not None:
        moment = _moment(expires_at)
        if moment is None:
            errors.add("expires_at", "must be an RFC 3339 date and time with its offset")
        elif moment <= now:
            errors.add("expires_at", "must be in the future")
    errors.raise_if_any()
    return None if moment is None else utc_iso(moment)


def _moment(value) -> datetime | None:
    """The instant of an RFC 3339 date and time (a date alone or a time without an offset is not one)."""
    if not isinstance(value, str) or "T" not in value.upper():
        return None
    try:
        return to_utc(value)
    except ValueError:
        return None


def add(trip: dict, link: dict) -> dict:
    """The trip with ``link`` (new_link's record) among its links; the same link delivered again adds nothing."""
    if not sharing.may(sharing.OWNER, sharing.SHARE, private=trip["private"]):
        raise PrivateTrip("A private trip cannot be shared: make it not private first.")
    links = trip.get("links", [])
    if any(known["id"] == link["id"] for known in links):
        return trip
    return {**trip, "links": [*links, link]}


def revoke(trip: dict, link_id: str, at: str) -> dict:
    """The trip with the link revoked at ``at``; a link revoked already keeps its first revocation."""
    links = trip.get("links", [])
    if not any(link["id"] == link_id for link in links):
        raise NotFound("The trip has no such link.")
    return {**trip, "links": [{**link, "revoked_at": link["revoked_at"] or at} if link["id"] == link_id else link
                              for link in links]}


def state(trip: dict, link: dict, now: datetime) -> str:
    """What the link does now: opens the trip (ACTIVE), or not, and why."""
    role = sharing.link_state(link, now)
    if role == sharing.REVOKED_LINK:
        return REVOKED
    if role == sharing.EXPIRED_LINK:
        return EXPIRED
    return PAUSED if trip["private"] else ACTIVE


def to_api(trip: dict, link: dict, now: datetime) -> dict:
    """A link as its owner sees it listed: never its token, which only its creation showed."""
    return {"id": link["id"], "created_at": link["created_at"], "expires_at": link["expires_at"],
            "revoked_at": link["revoked_at"], "state": state(trip, link, now)}


def find(book: dict | None, secret: str, now: datetime) -> dict | None:
    """The trip of the owner's ``book`` that ``secret`` opens for a link holder at ``now``, else None.

    Every link's digest is compared, in constant time, even after a match, so the time taken tells
    neither how much of a guess matched nor which link it was.
    """
    digest = sharing.token_digest(secret)
    found = None
    for trip in (book or {}).get("trips", {}).values():
        for link in trip.get("links", ()):
            if hmac.compare_digest(digest, str(link.get("digest", ""))) and found is None:
                found = (trip, link)
    if found is None:
        return None
    trip, link = found
    role = sharing.link_state(link, now)
    return trip if sharing.may(role, sharing.VIEW_PUBLIC, private=trip["private"]) else None
