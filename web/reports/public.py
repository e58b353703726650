"""A traveller's year card shared by link: its links made, listed and revoked by the traveller
(/api/v1/me/summary/{year}/links) and the page and image a link opens without a login (/y/{token}).

The token is ``<user ID>.<secret>`` (domain/reports/year_cards.py), so every route is served by the worker
holding the traveller's year cards and their facts, one hop away. A link shows the year's headline counts and
the card, nothing else: no name, e-mail, place, trip name or confirmation code (README "A traveller's year").
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from faust import web as faust_web

from agents.reports.summaries import summary_of
from domain.common.errors import NotFound
from domain.common.ids import HEX_ID
from domain.common.places import FIRST_YEAR, LAST_YEAR, zone_info
from domain.common.timestamps import utc_iso
from domain.reports import year_cards as cards
from domain.reports.figures import headline
from domain.trips import feeds
from runtime.clock import trips_clock
from runtime.i18n import lang as resolve
from runtime.i18n import negotiate
from streams import topics
from tables.users import users
from tables.year_cards import year_cards
from web.apidoc import STR, TIME, answer, nullable, op, param, ref
from web.auth import caller
from web.card_text import CARD_SIZE
from web.pages import environment
from web.problems import json_response, problem
from web.reports.card import card_title, render_year_card
from web.routing import forward_to_owner, send_command
from web.sharing.public_page import PAGE_HEADERS, add_link_routes, serve_token
from web.trips.books import BASE_HEADER, base_url

api = faust_web.Blueprint("year_card_links")
public = faust_web.Blueprint("public_years")
PAGE_PATH, CARD_PATH = "/y/{token}", "/y/{token}/card.png"


def year_of(text: str) -> int:
    """The path's year; 404 for anything that is not one (the summary API answers 400, a link just is not)."""
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise NotFound("No such year.")
    return int(text)


async def _to_owner(request: web.Request, user_id: str) -> web.Response | None:
    return await forward_to_owner(request, year_cards.name, user_id, {BASE_HEADER: base_url(request)})


@api.route("/me/summary/{year}/links", name="collection")
class Links(faust_web.View):
    async def get(self, request: web.Request, year: str) -> web.Response:
        """The year's card links, revoked ones included, without their tokens."""
        who, wanted = caller(request), year_of(year)
        if (routed := await _to_owner(request, who.user_id)) is not None:
            return routed
        return json_response({"items": cards.links_of(year_cards.get(who.user_id), wanted)})

    async def post(self, request: web.Request, year: str) -> web.Response:
        """A new link to the year's card; its URL, with the token, is in this answer and nowhere else."""
        who, wanted = caller(request), year_of(year)
        if (routed := await _to_owner(request, who.user_id)) is not None:
            return routed
        zone = (users.get(who.user_id) or {}).get("time_zone") or "UTC"
        if wanted > trips_clock.now().astimezone(zone_info(zone)).year:
            raise NotFound("That year has not begun yet.")   # as the summary API answers it
        secret, record = cards.make_link(wanted, utc_iso(trips_clock.now()))
        await send_command(topics.year_card_commands, who.user_id,
                           {"kind": "add-link", "user_id": who.user_id, "link": record})
        url = base_url(request) + PAGE_PATH.format(token=f"{who.user_id}.{secret}")
        return json_response({**cards.to_api(record), "url": url, "image_url": url + "/card.png"}, 201,
                             {"Location": f"/api/v1/me/summary/{wanted}/links/{record['id']}"})


@api.route("/me/summary/{year}/links/{link_id}", name="detail")
class Link(faust_web.View):
    async def delete(self, request: web.Request, year: str, link_id: str) -> web.Response:
        """Revoke the link: its page and card answer 404 from this answer on."""
        who, wanted = caller(request), year_of(year)
        if not HEX_ID.fullmatch(link_id):
            raise NotFound("No such link.")
        if (routed := await _to_owner(request, who.user_id)) is not None:
            return routed
        if not any(link["id"] == link_id for link in cards.links_of(year_cards.get(who.user_id), wanted)):
            raise NotFound("No such link.")   # another year's link, or another traveller's: not this one
        await send_command(topics.year_card_commands, who.user_id,
                           {"kind": "revoke-link", "user_id": who.user_id, "link_id": link_id})
        return web.Response(status=204)


async def _public(request: web.Request, token: str, handler) -> web.Response:
    async def serve(user_id: str, secret: str) -> web.Response:
        link = cards.find(year_cards.get(user_id), secret)
        if link is None:
            return _gone()
        summary = summary_of(user_id, link["year"], trips_clock.now())
        return await handler(request, summary, base_url(request) + PAGE_PATH.format(token=token))
    return await serve_token(request, token, _to_owner, _gone, serve)


def _gone() -> web.Response:
    return problem(404, "year-not-found", "No year behind this link", headers=PAGE_HEADERS)


async def _page(request: web.Request, summary: dict, url: str) -> web.Response:
    language = negotiate(request.headers.get("Accept-Language"))
    body = render_public_year(summary, url, url + "/card.png", language)
    return web.Response(text=body, content_type="text/html", charset="utf-8",
                        headers={**PAGE_HEADERS, "Content-Language": language, "Vary": "Accept-Language"})


async def _card(request: web.Request, summary: dict, url: str) -> web.Response:
    language = negotiate(request.headers.get("Accept-Language"))
    body = await asyncio.to_thread(render_year_card, summary, language)   # tens of ms of CPU: off the loop
    return web.Response(body=body, content_type="image/png", headers={**PAGE_HEADERS, "Vary": "Accept-Language"})


add_link_routes(public, PAGE_PATH, CARD_PATH, _public, _page, _card)


def render_public_year(summary: dict, url: str, image_url: str, language: str | None) -> str:
    """The public page of ``summary``'s year at ``url``, its card at ``image_url`` (both absolute)."""
    lang = resolve(language)
    figures = headline(summary, lang)
    title = card_title(summary, language)
    description = " · ".join(f"{f.label}: {f.value}" for f in figures)
    return environment(lang.catalog).get_template("reports/public_year.html").render(
        lang=lang.tag.replace("_", "-"), locale=lang.tag, title=title, description=description, url=url,
        image=image_url, width=CARD_SIZE[0], height=CARD_SIZE[1], figures=figures)


YEAR = param("year", "path", {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
LINK_ID = param("link_id", "path", {"type": "string", "pattern": HEX_ID.pattern})
TOKEN = param("token", "path", {"type": "string", "pattern": feeds.TOKEN.pattern})
_LINK = {"id": STR, "year": {"type": "integer"}, "created_at": TIME, "revoked_at": nullable(TIME),
         "state": {"enum": [cards.ACTIVE, cards.REVOKED]}}
_PUBLIC = (404, 429, 503)
OPENAPI = {
    "schemas": {
        "YearCardLink": {"type": "object", "required": list(_LINK), "properties": _LINK},
        "NewYearCardLink": {"type": "object", "required": [*_LINK, "url", "image_url"], "properties": {
            **_LINK, "url": {**STR, "format": "uri", "description": "the public page; shown this once"},
            "image_url": {**STR, "format": "uri", "description": "the card (PNG)"}}},
        "YearCardLinkPage": {"type": "object",
                             "properties": {"items": {"type": "array", "items": ref("YearCardLink")}}},
    },
    "paths": {
        "/api/v1/me/summary/{year}/links": {
            "get": op("The public links to the year's card (never their tokens)",
                      {"200": answer(ref("YearCardLinkPage"))}, params=[YEAR], errors=(404, 503)),
            "post": op("Make a public link to the year's card: its headline counts, no names or places",
                       {"201": answer(ref("NewYearCardLink"), "Created", ["Location"])}, params=[YEAR],
                       errors=(404, 503))},
        "/api/v1/me/summary/{year}/links/{link_id}": {
            "delete": op("Revoke a public link to the year's card", {"204": {"description": "Revoked"}},
                         params=[YEAR, LINK_ID], errors=(404, 503))},
        PAGE_PATH: {"get": op(
            "A traveller's year shared by link, with Open Graph and Twitter card tags; the token is the credential",
            {"200": {"description": "HTML", "content": {"text/html": {"schema": STR}}}},
            auth=False, params=[TOKEN], errors=_PUBLIC)},
        CARD_PATH: {"get": op(
            "The shared year's 1200×630 card",
            {"200": {"description": "PNG", "content": {"image/png": {"schema": STR}}}},
            auth=False, params=[TOKEN], errors=_PUBLIC)},
    },
}
