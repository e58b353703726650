"""A shared trip's calendar feed for its follower: the secret URL (/api/v1/shared-trips/{owner}/{trip}/calendar)
and the feed it opens (/calendar/trips/<token>.ics).

The token names the trip's owner, so both requests go to the owner's worker in one hop, where the owner's
trip book holds the share and, on it, the feed's digest and a sealed copy of the token (domain/trips/
share_feeds.py). The book decides every read: once the share is withdrawn the URL answers 404.
"""

from __future__ import annotations

import asyncio
import functools
from datetime import UTC, datetime

from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound
from domain.common.ids import HEX_ID
from domain.trips import feeds, share_feeds, shares
from domain.trips.book import to_api
from domain.trips.calendar import feed
from runtime.clock import trips_clock
from streams import topics
from tables.user_reservations import reservations_of
from web.apidoc import answer, op, param, ref
from web.auth import caller
from web.problems import json_response
from web.routing import send_command
from web.trips.books import OWNER_ID, TRIP_ID, book_of, feed_urls, secrets_box, to_book

blueprint = faust_web.Blueprint("shared_trip_calendar")
URLS_PATH = "/api/v1/shared-trips/{owner_id}/{trip_id}/calendar"
FEED_PATH = "/calendar/trips/{token}.ics"


@blueprint.route(URLS_PATH, name="urls")
class SharedFeedUrls(faust_web.View):
    async def get(self, request: web.Request, owner_id: str, trip_id: str) -> web.Response:
        """The follower's feed URLs for the trip, made on the first visit; 404 for anyone not following it."""
        who = caller(request)
        if not HEX_ID.fullmatch(owner_id):
            raise NotFound("No such trip.")
        if (routed := await to_book(request, owner_id, (topics.trip_commands,))) is not None:
            return routed
        book = book_of(owner_id)
        held = shares.share_of(book, trip_id, who.user_id)   # the owner has no share: their own feed has the trip
        if held is None or shares.viewing_role(book, trip_id, who.user_id, trips_clock.now()) is None:
            raise NotFound("No such trip.")
        record = held.get("feed") or await _new_feed(owner_id, trip_id, held["id"])
        return json_response(_urls(request, owner_id, trip_id, held["id"], record))


@blueprint.route(FEED_PATH, name="feed")
class SharedFeed(faust_web.View):
    async def get(self, request: web.Request, token: str) -> web.Response:
        """The trip's iCalendar document, as the public page shows its reservations; 404 for any other token."""
        parts = feeds.split_token(token)
        if parts is None:
            raise NotFound("No such calendar.")
        owner_id, secret = parts
        if (routed := await to_book(request, owner_id)) is not None:
            return routed
        found = share_feeds.opened(book_of(owner_id), secret, trips_clock.now())
        if found is None:   # unknown, withdrawn, the trip deleted or made private
            raise NotFound("No such calendar.")
        trip = to_api(found[0])
        held = set(trip["reservation_ids"])
        members = [r for r in reservations_of(owner_id) if r["id"] in held]
        build = functools.partial(feed, members, datetime.now(UTC), name=trip["name"] or "Road Warrior",
                                  trip_names=dict.fromkeys(held, trip["name"]), shared=True)
        body = await asyncio.get_running_loop().run_in_executor(None, build)   # icalendar's work, off the loop
        return web.Response(body=body, content_type="text/calendar", charset="utf-8",
                            headers={"Cache-Control": "private, no-cache"})


async def _new_feed(owner_id: str, trip_id: str, share_id: str) -> dict:
    token, digest = feeds.new_token(owner_id)
    sealed = secrets_box().seal(token, _context(owner_id, trip_id, share_id))
    reply = await send_command(topics.trip_commands, owner_id, {
        "kind": share_feeds.MAKE, "user_id": owner_id,
        "data": {"trip_id": trip_id, "share_id": share_id, "digest": digest, "sealed": sealed}})
    return reply["feed"]


def _urls(request: web.Request, owner_id: str, trip_id: str, share_id: str, record: dict) -> dict:
    token = secrets_box().open(record["sealed"], _context(owner_id, trip_id, share_id))
    return feed_urls(request, FEED_PATH.format(token=token), record["created_at"])


def _context(owner_id: str, trip_id: str, share_id: str) -> str:
    """Binds a sealed token to its share: copied onto another share it will not open."""
    return f"shared-trip-feed/{owner_id}/{trip_id}/{share_id}"


_TOKEN = param("token", "path", {"type": "string", "pattern": feeds.TOKEN.pattern})
OPENAPI = {
    "paths": {
        URLS_PATH: {"get": op(
            "The caller's secret calendar feed URLs for a trip shared with them (made on the first call)",
            {"200": answer(ref("CalendarFeed"))},
            params=[OWNER_ID, TRIP_ID], errors=(404, 503))},
        FEED_PATH: {"get": op(
            "A shared trip's iCalendar feed for its follower: no confirmation codes, travellers or prices; "
            "the token is the credential (no login), and a withdrawn share answers 404",
            {"200": {"description": "RFC 5545 calendar, one event per reservation of the trip",
                     "content": {"text/calendar": {"schema": {"type": "string"}}}}},
            auth=False, params=[_TOKEN], errors=(404, 429, 503))},
    },
}
