"""The plumbing every trip, share, link and calendar view shares: reaching the owner's trip book, reading it.

A traveller's trip book (tables/trips.py) is keyed by the owner's user ID, and their reservations index and
calendar feed record are keyed alike: every one of these views is served by the worker owning the owner's
key, reached in one hop, once that worker has applied the owner's inputs sent before the request.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from aiohttp import web
from faust.types import TopicT

from domain.common.errors import NotFound
from domain.common.ids import HEX_ID
from domain.mail.secrets_box import SecretsBox, parse_keys
from domain.trips.book import empty_book
from faust_app import settings
from streams import topics
from streams.replies import progress
from tables.trips import trips
from tables.user_reservations import entries_of
from web.apidoc import param
from web.problems import problem
from web.routing import forward_to_owner, was_forwarded

BASE_HEADER = "X-RoadWarrior-Base"  # the scheme and host the caller used, trusted only on a forwarded request
# A home just set regroups through trip-commands; a reservation reaches its trip through its owner's index.
BOOK_INPUTS = (topics.user_reservation_events, topics.trip_commands)
_ROUTE_IDS = ("trip_id", "link_id")
TRIP_ID = param("trip_id", "path", {"type": "string", "pattern": HEX_ID.pattern})
OWNER_ID = param("owner_id", "path")


async def to_book(request: web.Request, owner_id: str, inputs: Iterable[TopicT] = BOOK_INPUTS,
                  table: str = trips.name) -> web.Response | None:
    """The owner's worker's answer when another worker holds ``owner_id``'s key in ``table``; a 503 while
    ``inputs`` are not applied up to now for the owner; None once here and caught up.

    A malformed trip or link ID in the path answers 404 like an unknown one, before any hop.
    """
    if not all(HEX_ID.fullmatch(request.match_info.get(name, "0" * 32)) for name in _ROUTE_IDS):
        raise NotFound("No such trip.")
    if (routed := await forward_to_owner(request, table, owner_id, {BASE_HEADER: base_url(request)})) is not None:
        return routed
    return await caught_up(owner_id, inputs)


async def caught_up(owner_id: str, inputs: Iterable[TopicT] = BOOK_INPUTS) -> web.Response | None:
    """None once ``inputs`` are applied here up to now for the owner; else a 503 to retry shortly (after a
    restart, serving now could omit a write the caller already saw acknowledged)."""
    for topic in inputs:
        if not await progress.caught_up(topic.get_topic_name(), owner_id, settings.web.request_timeout_s):
            return problem(503, "index-catching-up", "The trips are catching up after a restart; retry shortly.",
                           headers={"Retry-After": "1"})
    return None


def book_of(user_id: str) -> dict:
    """The traveller's trip book, empty when none was written yet."""
    return trips.get(user_id) or empty_book(user_id)


def owned_trip(user_id: str, trip_id: str) -> dict:
    """The caller's own trip (the book's record): another traveller's trip ID answers 404 like an unknown one."""
    trip = book_of(user_id)["trips"].get(trip_id)
    if trip is None:
        raise NotFound("No such trip.")
    return trip


def reservations_by_id(user_id: str) -> dict[str, dict]:
    """The user's reservations as the API shows them, each with the latest change tracking found (null for none)."""
    tracked = book_of(user_id).get("tracked") or {}
    return {rid: {**entry, "latest_change": tracked.get(rid)} for rid, entry in entries_of(user_id)
            if not entry.get("deleted")}


def with_reservations(trip: dict, reservations: dict[str, dict]) -> dict:
    """The trip (as to_api shows it) with its reservations in time order, each as GET /api/v1/reservations/{id}
    shows it, with its local times and zones at each end."""
    return {**trip, "reservations": [reservations[rid] for rid in trip["reservation_ids"] if rid in reservations]}


def base_url(request: web.Request) -> str:
    """The scheme and host the caller used: told by the worker that forwarded the request, else our own."""
    return (was_forwarded(request) and request.headers.get(BASE_HEADER)) or _own_base(request)


def _own_base(request: web.Request) -> str:
    """The scheme and host the caller reached us at; behind a TLS proxy, the scheme it says it served."""
    scheme = request.headers.get("X-Forwarded-Proto", request.scheme)
    return f"{'https' if scheme == 'https' else 'http'}://{request.host}"


def feed_urls(request: web.Request, path: str, created_at: str) -> dict:
    """A calendar feed's URLs: over https (http on a development worker) and as webcal:// for calendar apps."""
    base = base_url(request)
    return {"url": base + path, "webcal_url": f"webcal://{base.split('://', 1)[1]}{path}", "created_at": created_at}


@functools.cache
def secrets_box() -> SecretsBox:
    """Seals feed tokens with the keys that seal mailbox secrets, so the same URL can be shown again."""
    return SecretsBox(parse_keys(settings.mail.secrets_keys.value))
