"""Public links of a trip: made, listed and revoked by its owner (/api/v1/trips/{id}/links), and the page and
image a link opens without a login (/t/{token}, /t/{token}/card.png).

The token is ``<owner's user ID>.<secret>`` (domain/trips/links.py), so every route here is served by the
worker holding the owner's trip book, reached in one hop. The secret is shown once, in the answer that made
the link; the book keeps its digest only, so a copy of the table opens no trip. A link is cheap: a traveller
who lost one makes another (and revokes the old one).
"""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.common.ids import HEX_ID
from domain.common.timestamps import utc_iso
from domain.trips import feeds, links
from domain.trips.book import to_api
from domain.trips.intents import NETWORKS, share_intents
from domain.trips.sharing import new_link, public_view
from runtime.clock import trips_clock
from runtime.i18n import lang as resolve
from streams import topics
from tables.trips import trips
from tables.user_reservations import entries_of
from web.apidoc import STR, TIME, answer, nullable, op, param, ref
from web.auth import caller
from web.problems import json_response, problem
from web.routing import read_json, send_command
from web.sharing.card import card_handler
from web.sharing.public_page import PAGE_HEADERS, SharedTrip, add_link_routes, page_handler, serve_token
from web.sharing.public_words import word
from web.trips.books import TRIP_ID, base_url, owned_trip, to_book

api = faust_web.Blueprint("trip_links")
public = faust_web.Blueprint("public_trips")
PAGE_PATH, CARD_PATH = "/t/{token}", "/t/{token}/card.png"


@api.route("/trips/{trip_id}/links", name="collection")
class Links(faust_web.View):
    async def get(self, request: web.Request, trip_id: str) -> web.Response:
        """The trip's links, revoked and expired ones included, without their tokens."""
        who = caller(request)
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        trip = owned_trip(who.user_id, trip_id)
        now = trips_clock.now()
        return json_response({"items": [links.to_api(trip, link, now) for link in trip.get("links", ())]})

    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        """A new link; its URL, with the token, is in this answer and nowhere else."""
        who = caller(request)
        now = trips_clock.now()
        expires_at = links.check_input(await read_json(request) if request.body_exists else {}, now)
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        token, record = new_link(utc_iso(now), expires_at)
        reply = await send_command(topics.trip_commands, who.user_id, {
            "kind": "add-link", "user_id": who.user_id, "data": {"trip_id": trip_id, "link": record}})
        url = base_url(request) + PAGE_PATH.format(token=f"{who.user_id}.{token}")
        title = reply["trip"]["name"] or word(resolve(None), "trip")
        body = {**links.to_api(owned_trip(who.user_id, trip_id), record, now), "url": url,
                "share": share_intents(url, title)}
        return json_response(body, 201, {"Location": f"/api/v1/trips/{trip_id}/links/{record['id']}"})


@api.route("/trips/{trip_id}/links/{link_id}", name="detail")
class Link(faust_web.View):
    async def delete(self, request: web.Request, trip_id: str, link_id: str) -> web.Response:
        """Revoke the link: its page and image answer 404 from this answer on."""
        who = caller(request)
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        await send_command(topics.trip_commands, who.user_id, {
            "kind": "revoke-link", "user_id": who.user_id, "data": {"trip_id": trip_id, "link_id": link_id}})
        return web.Response(status=204)


async def _public(request: web.Request, token: str, handler) -> web.Response:
    async def serve(_user_id: str, _secret: str) -> web.Response:
        return await handler(request)   # the handler reads the token again, through _find
    return await serve_token(request, token, to_book, _gone, serve)


def _gone() -> web.Response:
    return problem(404, "trip-not-found", "No trip behind this link", headers=PAGE_HEADERS)


async def _find(request: web.Request) -> SharedTrip | None:
    """The public view of the trip the request's token opens now, with the page's and image's absolute URLs."""
    token = request.match_info["token"]
    user_id, secret = feeds.split_token(token)
    trip = links.find(trips.get(user_id), secret, trips_clock.now())
    if trip is None:
        return None
    entries = {rid: entry for rid, entry in entries_of(user_id) if not entry.get("deleted")}
    reservations = [entries[rid] for rid in trip["reservations"] if rid in entries]
    base = base_url(request)
    return SharedTrip(public_view(to_api(trip), reservations), base + PAGE_PATH.format(token=token),
                      base + CARD_PATH.format(token=token))


_page, _card = page_handler(_find), card_handler(_find)
add_link_routes(public, PAGE_PATH, CARD_PATH, _public, _page, _card)


LINK_ID = param("link_id", "path", {"type": "string", "pattern": HEX_ID.pattern})
TOKEN = param("token", "path", {"type": "string", "pattern": feeds.TOKEN.pattern})
_LINK = {"id": STR, "created_at": TIME, "expires_at": nullable(TIME), "revoked_at": nullable(TIME),
         "state": {"enum": list(links.STATES), "description": "paused: the trip is private, the link opens nothing"}}
_PUBLIC = (404, 429, 503)
OPENAPI = {
    "schemas": {
        "TripLink": {"type": "object", "required": list(_LINK), "properties": _LINK},
        "NewTripLink": {"type": "object", "required": [*_LINK, "url", "share"], "properties": {
            **_LINK, "url": {**STR, "format": "uri", "description": "the public page; shown this once"},
            "share": {"type": "object", "required": list(NETWORKS),
                      "properties": {network: {**STR, "format": "uri"} for network in NETWORKS},
                      "description": "share-intent URLs of each network, and a mailto: for e-mail"}}},
        "TripLinkPage": {"type": "object", "properties": {"items": {"type": "array", "items": ref("TripLink")}}},
        "TripLinkInput": {"type": "object", "additionalProperties": False, "properties": {
            "expires_at": {**nullable(TIME), "description": "in the future; none: until revoked"}}},
    },
    "paths": {
        "/api/v1/trips/{trip_id}/links": {
            "get": op("The trip's public links (never their tokens)", {"200": answer(ref("TripLinkPage"))},
                      params=[TRIP_ID], errors=(404, 503)),
            "post": op("Make a public link to the trip (refused for a private trip)",
                       {"201": answer(ref("NewTripLink"), "Created", ["Location"])}, body="TripLinkInput",
                       params=[TRIP_ID], errors=(400, 404, 415, 422, 503))},
        "/api/v1/trips/{trip_id}/links/{link_id}": {
            "delete": op("Revoke a public link: it opens nothing from now on", {"204": {"description": "Revoked"}},
                         params=[TRIP_ID, LINK_ID], errors=(404, 503))},
        PAGE_PATH: {"get": op(
            "The trip's public page, with Open Graph and Twitter card tags; the token is the credential",
            {"200": {"description": "HTML", "content": {"text/html": {"schema": STR}}}},
            auth=False, params=[TOKEN], errors=_PUBLIC)},
        CARD_PATH: {"get": op(
            "The trip's 1200×630 image for link previews",
            {"200": {"description": "PNG", "content": {"image/png": {"schema": STR}}}},
            auth=False, params=[TOKEN], errors=_PUBLIC)},
    },
}
