"""Calendar feeds: the caller's secret feed URL (/api/v1/me/calendar) and the feed it opens (/calendar/<token>.ics).

The feed URL carries no login, so its token is the credential: ``<user ID>.<secret>`` (domain/trips/feeds.py),
256 random bits kept as their SHA-256 digest to check, and sealed (AES-GCM, the keys that seal mailbox
secrets) so the caller can be shown the same URL again; it never reaches a log or a topic in the clear.
"""

from __future__ import annotations

import asyncio
import functools
from datetime import UTC, datetime

from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound
from domain.trips import feeds
from domain.trips.calendar import feed
from domain.trips.feeds import trip_names
from streams import topics
from tables.calendar_feeds import calendar_feeds
from tables.user_reservations import reservations_of
from web.apidoc import STR, TIME, answer, op, param, ref
from web.auth import caller
from web.problems import json_response
from web.routing import send_command
from web.trips.books import book_of, caught_up, feed_urls, secrets_box, to_book

blueprint = faust_web.Blueprint("calendar")
FEED_PATH = "/calendar/{token}.ics"


def _to_users_worker(request: web.Request, user_id: str):
    """To the worker of the user's partition: their feed record and, keyed alike, their reservations and trips."""
    return to_book(request, user_id, (), calendar_feeds.name)


@blueprint.route("/api/v1/me/calendar", name="urls")
class FeedUrls(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        """The caller's feed URLs, made on the first visit."""
        who = caller(request)
        if (routed := await _to_users_worker(request, who.user_id)) is not None:
            return routed
        record = calendar_feeds.get(who.user_id) or await _new_feed(who.user_id, "create")
        return json_response(_urls(request, who.user_id, record))


@blueprint.route("/api/v1/me/calendar/regenerate", name="regenerate")
class Regenerate(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        """A new feed URL; the old one answers 404 from now on."""
        who = caller(request)
        if (routed := await _to_users_worker(request, who.user_id)) is not None:
            return routed
        return json_response(_urls(request, who.user_id, await _new_feed(who.user_id, "regenerate")))


@blueprint.route(FEED_PATH, name="feed")
class Feed(faust_web.View):
    async def get(self, request: web.Request, token: str) -> web.Response:
        """The iCalendar document of the user whose current token this is; 404 for any other token."""
        parts = feeds.split_token(token)
        if parts is None:
            raise NotFound("No such calendar.")
        user_id, secret = parts
        if (routed := await _to_users_worker(request, user_id)) is not None:
            return routed
        if not feeds.opens(calendar_feeds.get(user_id), secret):   # unknown, or replaced by a new one
            raise NotFound("No such calendar.")
        if (late := await caught_up(user_id)) is not None:   # the reservations, and the trips that name them
            return late
        # Reservation times already follow tracked changes (providers' news is applied to the reservation), and
        # tracking records are kept by reservation, on other workers: the user's index and trip book are the feed.
        # ~0.3 ms a reservation, most of it icalendar's: off the event loop, as password hashing is.
        build = functools.partial(feed, reservations_of(user_id), datetime.now(UTC),
                                  trip_names=trip_names(book_of(user_id)))
        body = await asyncio.get_running_loop().run_in_executor(None, build)
        return web.Response(body=body, content_type="text/calendar", charset="utf-8",
                            headers={"Cache-Control": "private, no-cache"})


async def _new_feed(user_id: str, kind: str) -> dict:
    token, digest = feeds.new_token(user_id)
    sealed = secrets_box().seal(token, _context(user_id))
    reply = await send_command(topics.calendar_feed_commands, user_id,
                               {"kind": kind, "user_id": user_id, "digest": digest, "sealed": sealed})
    return reply["feed"]


def _urls(request: web.Request, user_id: str, record: dict) -> dict:
    token = secrets_box().open(record["sealed"], _context(user_id))
    return feed_urls(request, FEED_PATH.format(token=token), record["created_at"])


def _context(user_id: str) -> str:
    """Binds a sealed token to its user: copied to another user's record it will not open."""
    return f"calendar-feed/{user_id}"


_TOKEN = param("token", "path", {"type": "string", "pattern": feeds.TOKEN.pattern})
OPENAPI = {
    "schemas": {
        "CalendarFeed": {"type": "object", "required": ["url", "webcal_url", "created_at"], "properties": {
            "url": {**STR, "format": "uri", "description": "the feed over https (http on a development worker)"},
            "webcal_url": {**STR, "format": "uri", "description": "the same feed for calendar apps to subscribe"},
            "created_at": TIME}},
    },
    "paths": {
        "/api/v1/me/calendar": {"get": op(
            "The caller's secret calendar feed URLs (made on the first call)", {"200": answer(ref("CalendarFeed"))},
            errors=(503,))},
        "/api/v1/me/calendar/regenerate": {"post": op(
            "Replace the feed URL: the old one answers 404 at once", {"200": answer(ref("CalendarFeed"))},
            errors=(503,))},
        FEED_PATH: {"get": op(
            "The iCalendar feed of the traveller's reservations; the token is the credential (no login)",
            {"200": {"description": "RFC 5545 calendar, one event per reservation with its time zones",
                     "content": {"text/calendar": {"schema": STR}}}},
            auth=False, params=[_TOKEN], errors=(404, 429, 503))},
    },
}
