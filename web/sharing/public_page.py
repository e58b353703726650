"""The public page of a shared trip: server-rendered HTML from its public view, with the tags link previews read."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from html import escape
from typing import NamedTuple

from aiohttp import web

from domain.notify.locales import Lang, has_message, language_tag, message
from domain.notify.moments import when_text
from domain.trips.intents import web_url
from domain.trips.preview import dates_text, description, local_time
from runtime.i18n import lang as resolve
from web.problems import problem
from web.sharing.public_words import word

STYLE = ("body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1a1a1a;background:#f5f6f8}"
         "main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem}h1{font-size:1.75rem;margin:0}"
         ".dates{color:#555;margin:.25rem 0 1.5rem}ol{list-style:none;margin:0;padding:0}"
         "li{background:#fff;border-radius:.5rem;padding:1rem;margin:0 0 .75rem;box-shadow:0 1px 2px #0002}"
         "h2{font-size:1.125rem;margin:0}.kind{color:#555;font-size:.875rem}"
         ".status{display:inline-block;font-size:.8125rem;padding:0 .5rem;border-radius:1rem;background:#e6f4ea}"
         ".status::first-letter{text-transform:uppercase}.cancelled .status{background:#fde8e8}"
         ".cancelled h2{text-decoration:line-through}dl{display:grid;grid-template-columns:auto 1fr;gap:0 1rem;"
         "margin:.5rem 0 0}dt{color:#555}dd{margin:0}footer{color:#555;font-size:.875rem}"
         "@media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.25rem}}")
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
# No script, no frame, no form, no outside resource: the one inline stylesheet, allowed by its hash.
CONTENT_SECURITY_POLICY = (f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; "
                           "form-action 'none'; frame-ancestors 'none'")
# The token is the page's URL: never sent on as a referrer, never cached once the link is revoked.
PAGE_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
CARD_SIZE = (1200, 630)

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<meta name="description" content="{description}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="Road Warrior">
<meta property="og:locale" content="{locale}">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{description}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="{image}">
<meta property="og:image:type" content="image/png">
<meta property="og:image:width" content="{width}">
<meta property="og:image:height" content="{height}">
<meta property="og:image:alt" content="{image_alt}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{title}">
<meta name="twitter:description" content="{description}">
<meta name="twitter:image" content="{image}">
<meta name="twitter:image:alt" content="{image_alt}">
<style>{style}</style>
</head>
<body>
<main>
<header><h1>{title}</h1><p class="dates">{dates}</p></header>
<ol>
{items}
</ol>
<footer><p>{footer}</p><p>{read_only}</p></footer>
</main>
</body>
</html>
"""
ITEM = ('<li class="{kind}{cancelled}"><span class="kind">{kind_word}</span><h2>{heading}</h2>'
        '<span class="status">{status}</span><dl>{rows}</dl></li>')
ROW = "<dt>{}</dt><dd>{}</dd>"


def render_public_trip(view: dict, url: str, image_url: str, language: str | None) -> str:
    """The page of the trip in ``view`` (domain.trips.sharing.public_view's output, never the trip itself),
    published at ``url`` with its image at ``image_url`` (both absolute, as crawlers need), in ``language``
    (a tag, as language_from gives). Every text from the view is escaped, in the body and in the tags."""
    lang = resolve(language)
    title = view.get("name") or word(lang, "trip")
    summary = description(view, lang.locale)
    return PAGE.format(
        lang=escape(lang.tag.replace("_", "-")), locale=escape(lang.tag), title=escape(title),
        description=escape(summary), url=escape(web_url(url)), image=escape(web_url(image_url)),
        width=CARD_SIZE[0], height=CARD_SIZE[1], image_alt=escape(" · ".join(filter(None, (title, summary)))),
        style=STYLE, dates=escape(dates_text(view, lang.locale)),
        items="\n".join(_item(r, lang) for r in view.get("reservations", ())),
        footer=escape(message(lang, "text.footer")), read_only=escape(word(lang, "read_only")))


def _item(reservation: dict, lang: Lang) -> str:
    kind = reservation.get("type")
    heading, kind_word, labels = _heading(reservation, lang)
    rows = [(labels[0], _when(reservation, "start", lang)), (labels[1], _when(reservation, "end", lang))]
    if kind == "flight":
        rows = _flight_rows(_details(reservation), rows, lang)
    status = reservation.get("status", "")
    return ITEM.format(
        kind=escape(kind if kind in ("flight", "hotel", "car") else "booking"),
        cancelled=" cancelled" if status == "cancelled" else "", kind_word=escape(kind_word),
        heading=escape(heading), status=escape(_status(status, lang)),
        rows="".join(ROW.format(escape(label), escape(value)) for label, value in rows if value))


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
    moment: datetime | None = local_time(record, end)
    return when_text(moment, lang.locale) if moment else ""


def _status(status: str, lang: Lang) -> str:
    """The status in words where the catalogs know it; anything else as written (escaped by the caller)."""
    return message(lang, f"status.{status}") if status and has_message(lang, f"status.{status}") else status


def language_from(accept_language: str | None) -> str:
    """The page's language from an Accept-Language header: the most preferred tag whose language the
    catalogs speak (en, es, de, fr, ja, pt), region kept for its date conventions ("pt-BR"); else English."""
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = _quality(params)
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    for _, _, tag in sorted(ranked):
        if (known := language_tag(tag)) is not None:
            return known
    return "en"


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


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
        language = language_from(request.headers.get("Accept-Language"))
        body = render_public_trip(shared.view, shared.url, shared.image_url, language)
        return web.Response(text=body, content_type="text/html", charset="utf-8",
                            headers={**PAGE_HEADERS, "Content-Language": language, "Vary": "Accept-Language"})

    return handle
