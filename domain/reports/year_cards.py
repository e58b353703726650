"""A traveller's year cards: the public links to a year's card they made and revoked, and the years mailed.

The state (tables/year_cards.py, keyed by user ID) is ``{"links": [link...], "mailed": [year...]}``. A link's
token is ``<user ID>.<secret>`` like a trip link's (domain/trips/links.py): the user ID routes the request to
the worker holding the state, the secret (256 bits) opens one year; only its SHA-256 digest is kept.
"""

from __future__ import annotations

import hmac

from domain.common.errors import NotFound
from domain.trips.sharing import new_link, token_digest

MAX_LINKS = 50        # per traveller; past it the oldest revoked links are forgotten first
MAX_MAILED = 20       # years remembered as mailed: enough to never mail a year twice
ACTIVE, REVOKED = "active", "revoked"


def empty() -> dict:
    return {"links": [], "mailed": []}


def make_link(year: int, created_at: str) -> tuple[str, dict]:
    """A new link to ``year``'s card: the secret for its URL (shown once) and the record to keep."""
    secret, record = new_link(created_at)
    return secret, {"id": record["id"], "year": year, "digest": record["digest"], "created_at": created_at,
                    "revoked_at": None}


def add(state: dict | None, link: dict) -> dict:
    """``state`` with ``link``; the same link delivered again adds nothing."""
    state = state or empty()
    links = state["links"]
    if any(known["id"] == link["id"] for known in links):
        return state
    links = [*links, link]
    while len(links) > MAX_LINKS:
        gone = next((known for known in links if known["revoked_at"]), links[0])
        links = [known for known in links if known is not gone]
    return {**state, "links": links}


def revoke(state: dict | None, link_id: str, at: str) -> dict:
    """``state`` with the link revoked at ``at`` (its first revocation kept); NotFound for an unknown link."""
    state = state or empty()
    if not any(link["id"] == link_id for link in state["links"]):
        raise NotFound("No such link.")
    return {**state, "links": [{**link, "revoked_at": link["revoked_at"] or at} if link["id"] == link_id else link
                               for link in state["links"]]}


def find(state: dict | None, secret: str) -> dict | None:
    """The unrevoked link ``secret`` opens; every digest is compared in constant time, even after a match."""
    digest, found = token_digest(secret), None
    for link in (state or empty())["links"]:
        if hmac.compare_digest(digest, str(link.get("digest", ""))) and found is None:
            found = link
    return found if found is not None and not found["revoked_at"] else None


def to_api(link: dict) -> dict:
    """A link as its owner sees it listed: never its token or digest."""
    return {"id": link["id"], "year": link["year"], "created_at": link["created_at"],
            "revoked_at": link["revoked_at"], "state": REVOKED if link["revoked_at"] else ACTIVE}


def links_of(state: dict | None, year: int) -> list[dict]:
    return [to_api(link) for link in (state or empty())["links"] if link["year"] == year]


def mailed(state: dict | None, year: int) -> bool:
    return year in (state or empty())["mailed"]


def mark_mailed(state: dict | None, year: int) -> dict:
    state = state or empty()
    if year in state["mailed"]:
        return state
    return {**state, "mailed": sorted([*state["mailed"], year])[-MAX_MAILED:]}
