"""The public page of a shared trip: server-rendered HTML from its public view, with the tags link previews read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web
from faust import web as faust_web

from domain.notify.locales import Lang, has_message, message
from domain.trips import feeds
from domain.trips.intents import web_url
from domain.trips.preview import dates_text, description
from runtime.i18n import lang as resolve
from runtime.i18n import negotiate
from web.card_text import CARD_SIZE
from web.pages import environment, local_time
from web.problems import problem
from web.sharing.public_words import word

# No script, no frame, no form: the app's own stylesheet and icon, from this site only.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
                           "form-action 'none'; frame-ancestors 'none'")
# The token is the page's URL: never sent on as a referrer (the stylesheet's request included), never cached
# once the link is revoked.
PAGE_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


async def serve_token(request: web.Request, token: str,
                      route: Callable[[web.Request, str], Awaitable[web.Response | None]],
                      gone: Callable[[], web.Response],
                      serve: Callable[[str, str], Awaitable[web.Response]]) -> web.Response:
    """What a public link's ``token`` (``<owner's user ID>.<secret>``) opens, for the trip and year pages alike:
    ``gone()`` for a malformed token, the answer of the worker holding the owner's data when ``route`` forwards
    it there (PAGE_HEADERS put back), else ``serve(user_id, secret)`` here."""
    parts = feeds.split_token(token)
    if parts is None:
        return gone()
    if (routed := await route(request, parts[0])) is not None:
        routed.headers.update(PAGE_HEADERS)   # the proxy keeps only a few headers: these must reach the browser
        return routed
    return await serve(*parts)


Opener = Callable[[web.Request, str, Callable[..., Awaitable[web.Response]]], Awaitable[web.Response]]


def add_link_routes(blueprint: faust_web.Blueprint, page_path: str, card_path: str, open_link: Opener,
                    page: Callable[..., Awaitable[web.Response]], card: Callable[..., Awaitable[web.Response]],
                    ) -> None:
    """The two routes a public link opens without a login, for trips (/t/) and years (/y/) alike: its page at
    ``page_path`` and its 1200×630 preview image (og:image) at ``card_path``, each ``open_link(request, token,
    page or card)``."""

    @blueprint.route(page_path, name="page")
    class Page(faust_web.View):
        async def get(self, request: web.Request, token: str) -> web.Response:
            """The link's public page: read-only, nothing of the owner's account."""
            return await open_link(request, token, page)

    @blueprint.route(card_path, name="card")
    class Card(faust_web.View):
        async def get(self, request: web.Request, token: str) -> web.Response:
            """The link's image for link previews (og:image)."""
            return await open_link(request, token, card)


def render_public_trip(view: dict, url: str, image_url: str, language: str | None) -> str:
    """The page of the trip in ``view`` (domain.trips.sharing.public_view's output, never the trip itself),
    published at ``url`` with its image at ``image_url`` (both absolute, as crawlers need), in ``language``
    (a tag, as runtime.i18n.negotiate gives). The template (sharing/public_trip.html) escapes every text, in the body
    and in the tags."""
    lang = resolve(language)
    title = view.get("name") or word(lang, "trip")
    summary = description(view, lang.locale)
    return environment(lang.catalog).get_template("sharing/public_trip.html").render(
        lang=lang.tag.replace("_", "-"), locale=lang.tag, title=title, description=summary, url=web_url(url),
        image=web_url(image_url), width=CARD_SIZE[0], height=CARD_SIZE[1],
        image_alt=" · ".join(filter(None, (title, summary))), dates=dates_text(view, lang.locale),
        items=[_item(r, lang) for r in view.get("reservations", ())],
        footer=message(lang, "text.footer"), read_only=word(lang, "read_only"))


def _item(reservation: dict, lang: Lang) -> dict:
    """One reservation as the template lists it: what it is, its status, and its times and places in rows."""
    kind = reservation.get("type")
    heading, kind_word, labels = _heading(reservation, lang)
    rows = [(labels[0], _when(reservation, "start", lang)), (labels[1], _when(reservation, "end", lang))]
    if kind == "flight":
        rows = _flight_rows(_details(reservation), rows, lang)
    status = reservation.get("status", "")
    return {"kind": kind if kind in ("flight", "hotel", "car") else "booking", "cancelled": status == "cancelled",
            "kind_word": kind_word, "heading": heading, "status": _status(status, lang),
            "rows": [(label, value) for label, value in rows if value]}


def _heading(reservation: dict, lang: Lang) -> tuple[str, str, tuple[str, str]]:
    """What the item is called, the word for its kind, and the words for its two ends."""
    kind, details = reservation.get("type"), _details(reservation)
    if kind == "flight":
        number = " ".join(filter(None, (details.get("airline"), details.get("number"))))
        route = " → ".join(filter(None, (details.get("from"), details.get("to"))))
        return route or number, " ".join(filter(None, (message(lang, "label.flight"), number))), (
            message(lang, "label.departure"), message(lang, "label.arrival"))
    if kind == "hotel":
        return details.get("name") or word(lang, "hotel"), word(lang, "hotel"), (
            message(lang, "label.check_in"), message(lang, "label.check_out"))
    if kind == "car":
        return details.get("company") or word(lang, "car"), word(lang, "car"), (
            message(lang, "label.pickup"), message(lang, "label.dropoff"))
    return word(lang, "booking"), word(lang, "booking"), (word(lang, "start"), word(lang, "end"))


def _details(reservation: dict) -> dict:
    """The flight's, hotel's or car's own fields; nothing for another type."""
    kind = reservation.get("type")
    details = reservation.get(kind) if kind in ("flight", "hotel", "car") else None
    return details if isinstance(details, dict) else {}


def _flight_rows(flight: dict, rows: list[tuple[str, str]], lang: Lang) -> list[tuple[str, str]]:
    """The departure and arrival times, each followed by its terminal and gate where known."""
    places = []
    for side, (label, when) in zip(("departure", "arrival"), rows, strict=True):
        where = [message(lang, f"label.{name}", value=flight[f"{side}_{name}"])
                 for name in ("terminal", "gate") if flight.get(f"{side}_{name}")]
        places.append((label, ", ".join(filter(None, (when, *where)))))
    return places


def _when(record: dict, end: str, lang: Lang) -> str:
    """The time on its place's clocks, as the app shows every time (web.pages.local_time); a zone that is not
    one leaves the offset the time was written with."""
    try:
        return local_time(record.get(end), _zone(record.get(f"{end}_time_zone")), language=lang.tag)
    except ValueError:
        return ""


def _zone(name: str | None) -> str | None:
    """``name`` if it names a time zone, else None (a trip's text is anyone's text)."""
    try:
        return name if name and ZoneInfo(name) else None
    except (ValueError, ZoneInfoNotFoundError, OSError):
        return None


def _status(status: str, lang: Lang) -> str:
    """The status in words where the catalogs know it; anything else as written (escaped by the caller)."""
    return message(lang, f"status.{status}") if status and has_message(lang, f"status.{status}") else status


class SharedTrip(NamedTuple):
    """What the link route found for a request: the public view, the page's URL and its image's URL."""

    view: dict
    url: str
    image_url: str


Finder = Callable[[web.Request], Awaitable[SharedTrip | None]]


def page_handler(find: Finder) -> Callable[[web.Request], Awaitable[web.Response]]:
    """An aiohttp handler for the public page: ``find`` looks the link up (checking its token, state and the
    trip's privacy) and returns None for anything a link holder may not see, which answers 404."""

    async def handle(request: web.Request) -> web.Response:
        shared = await find(request)
        if shared is None:
            return problem(404, "trip-not-found", "No trip behind this link", headers=PAGE_HEADERS)
        language = negotiate(request.headers.get("Accept-Language"))
        body = render_public_trip(shared.view, shared.url, shared.image_url, language)
        return web.Response(text=body, content_type="text/html", charset="utf-8",
                            headers={**PAGE_HEADERS, "Content-Language": language, "Vary": "Accept-Language"})

    return handle
