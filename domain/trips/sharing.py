"""Who may do what to a trip: share roles, public-link tokens, and the public view that keeps secrets out."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from domain.common.timestamps import to_utc

OWNER, EDITOR, VIEWER = "owner", "editor", "viewer"
LINK_HOLDER, EXPIRED_LINK, REVOKED_LINK, STRANGER = "link-holder", "expired-link", "revoked-link", "stranger"
ROLES = (OWNER, EDITOR, VIEWER, LINK_HOLDER, EXPIRED_LINK, REVOKED_LINK, STRANGER)
SHARE_ROLES = (EDITOR, VIEWER)  # what a share with a person may give

VIEW = "view"                              # the trip and its reservations, as the API shows them
VIEW_CONFIRMATIONS = "view-confirmations"  # confirmation codes, prices, travellers: what changes a booking
VIEW_PUBLIC = "view-public"                # the public page (public_view)
FOLLOW = "follow"                          # its changes as notifications, its calendar feed
RENAME = "rename"
ADD_RESERVATION = "add-reservation"
CHANGE_RESERVATION = "change-reservation"
REMOVE_RESERVATION = "remove-reservation"
MERGE_OR_SPLIT = "merge-or-split"          # reaches the owner's other trips
SET_PRIVATE = "set-private"                # mark it private, or not
SHARE = "share"                            # new links, new shares with people, the list of both
WITHDRAW = "withdraw"                      # revoke a link, withdraw a share
LEAVE = "leave"                            # a person given a share stops following
DELETE = "delete"
ACTIONS = (VIEW, VIEW_CONFIRMATIONS, VIEW_PUBLIC, FOLLOW, RENAME, ADD_RESERVATION, CHANGE_RESERVATION,
           REMOVE_RESERVATION, MERGE_OR_SPLIT, SET_PRIVATE, SHARE, WITHDRAW, LEAVE, DELETE)

_FOLLOWER = {VIEW, VIEW_PUBLIC, FOLLOW, LEAVE}
_ALLOWED = {
    OWNER: set(ACTIONS) - {LEAVE},
    # An editor changes this trip and its reservations, never the owner's other trips, account or shares.
    EDITOR: _FOLLOWER | {VIEW_CONFIRMATIONS, RENAME, ADD_RESERVATION, CHANGE_RESERVATION, REMOVE_RESERVATION},
    VIEWER: _FOLLOWER,
    LINK_HOLDER: {VIEW_PUBLIC},
}
_PRIVATE_OWNER = _ALLOWED[OWNER] - {SHARE, VIEW_PUBLIC}  # nothing shares a private trip


def may(role: str, action: str, *, private: bool = False) -> bool:
    """Whether ``role`` may do ``action`` on a trip (private or not). Strangers, expired and revoked links may
    do nothing; on a private trip only its owner may do anything, and neither share it nor show its public
    page, so shares and links still on record give nothing while it is private."""
    if private:
        return role == OWNER and action in _PRIVATE_OWNER
    return action in _ALLOWED.get(role, set())


def role_of(trip: dict, now: datetime, *, user_id: str | None = None, token: str | None = None) -> str:
    """The role of a caller (a signed-in user, a public-link token, both or neither) on ``trip``.

    ``trip`` holds ``owner_id``, ``shares`` (``{"user_id", "email", "role"}``, user_id None until the invited
    address signs up) and ``links`` (see new_link). A person's share counts before a link they also hold.
    """
    if user_id is not None and user_id == trip["owner_id"]:
        return OWNER
    for share in trip.get("shares", ()):
        if user_id is not None and share.get("user_id") == user_id and share.get("role") in SHARE_ROLES:
            return share["role"]
    link = _link_for(trip.get("links", ()), token) if token else None
    return STRANGER if link is None else link_state(link, now)


TOKEN_BYTES = 32  # 256 bits from the OS's CSPRNG; unguessable needs at least 128


def new_link(created_at: str, expires_at: str | None = None) -> tuple[str, dict]:
    """A new public link: the token for the URL, shown once, and the record to keep.

    The record keeps only the token's SHA-256 digest, so a copy of the table opens no trip; the digest is
    also the key to find the trip by. ``id`` names the link for revoking it without the token.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, {"id": secrets.token_hex(16), "digest": token_digest(token), "created_at": created_at,
                   "expires_at": expires_at, "revoked_at": None}


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_state(link: dict, now: datetime) -> str:
    """LINK_HOLDER while the link works, else REVOKED_LINK or EXPIRED_LINK (expiry is exclusive)."""
    if link.get("revoked_at"):
        return REVOKED_LINK
    if link.get("expires_at") and now >= to_utc(link["expires_at"]):
        return EXPIRED_LINK
    return LINK_HOLDER


def _link_for(links: list[dict], token: str) -> dict | None:
    """The link ``token`` opens, comparing digests in constant time and every link, so neither how much of
    a guess matched nor which link it was shows in the time taken."""
    digest = token_digest(token)
    found = None
    for link in links:
        if hmac.compare_digest(digest, str(link.get("digest", ""))) and found is None:
            found = link
    return found


PUBLIC_TRIP_FIELDS = ("name", "start", "start_time_zone", "end", "end_time_zone")
PUBLIC_RESERVATION_FIELDS = ("type", "status", "start", "start_time_zone", "end", "end_time_zone")
PUBLIC_DETAILS = {
    "flight": ("airline", "number", "from", "to", "departure_terminal", "departure_gate", "arrival_terminal",
               "arrival_gate"),
    "hotel": ("name",),
    "car": ("company",),
}


def public_view(trip: dict, reservations: list[dict]) -> dict:
    """The trip as its public page and link previews show it: the fields named above and nothing else.

    A whitelist, not a blacklist: a field added to trips or reservations later stays off the page until it
    is named here. Left off on purpose: confirmation codes, prices, travellers' names, e-mail addresses,
    notes, providers, IDs, everything of the owner's account and of the shares, a seat (where the traveller
    sits) and a hotel's or car desk's address and phone (where they sleep); the hotel's name stays.
    """
    ordered = sorted(reservations, key=lambda r: (to_utc(r["start"]), str(r.get("id"))))
    return {**_pick(trip, PUBLIC_TRIP_FIELDS), "reservations": [_public_reservation(r) for r in ordered]}


def _public_reservation(reservation: dict) -> dict:
    public = _pick(reservation, PUBLIC_RESERVATION_FIELDS)
    kind = reservation.get("type")
    if kind in PUBLIC_DETAILS and isinstance(reservation.get(kind), dict):
        public[kind] = _pick(reservation[kind], PUBLIC_DETAILS[kind])
    return public


def _pick(source: dict, names: tuple[str, ...]) -> dict:
    """The named fields that hold text: a value of another shape (an object, a list) could carry anything."""
    return {name: source[name] for name in names if isinstance(source.get(name), str)}
