"""The image of a shared trip that link previews show (og:image): its name, dates and route, drawn with Pillow."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web
from PIL import ImageDraw

from domain.trips.preview import dates_text, route
from runtime.i18n import lang as resolve
from runtime.i18n import negotiate
from web.card_text import ACCENT, ELLIPSIS, INK, MUTED, blank, draw_text, fit, png, text_width
from web.problems import problem
from web.sharing.public_page import CARD_SIZE, PAGE_HEADERS, Finder
from web.sharing.public_words import word

MARGIN = 80
TEXT_WIDTH = CARD_SIZE[0] - 2 * MARGIN
NAME_SIZES = (84, 72, 60)  # the largest that fits; below 60 a preview is unreadable, so cut instead
MAX_STOPS = 8  # beyond this the codes would touch: the first stops, an ellipsis, the last one


def render_trip_card(view: dict, language: str | None) -> bytes:
    """A 1200×630 PNG of the trip in ``view`` (public_view's output): its name, shortened to fit, its dates
    in ``language`` and the airports of its route on a line. The same input gives the same bytes."""
    lang = resolve(language)
    image, draw = blank()
    draw_text(draw, (MARGIN, 84), "Road Warrior", 28, ACCENT, bold=True)
    name = view.get("name") or word(lang, "trip")
    size = next((size for size in NAME_SIZES if text_width(name, size, bold=True) <= TEXT_WIDTH), NAME_SIZES[-1])
    draw_text(draw, (MARGIN, 230), fit(name, TEXT_WIDTH, size, bold=True), size, INK, bold=True)
    draw_text(draw, (MARGIN, 310), fit(dates_text(view, lang.locale), TEXT_WIDTH, 40), 40, MUTED)
    _draw_route(draw, _stops(route(view)))
    return png(image)


def _stops(codes: list[str]) -> list[str]:
    if len(codes) <= MAX_STOPS:
        return codes
    return [*codes[: MAX_STOPS - 2], ELLIPSIS, codes[-1]]


def _draw_route(draw: ImageDraw.ImageDraw, stops: list[str]) -> None:
    """The airports as dots on one line across the card, each code centred under its dot."""
    if not stops:
        return
    y, left, right = 450, MARGIN + 40, CARD_SIZE[0] - MARGIN - 40
    step = (right - left) / (len(stops) - 1) if len(stops) > 1 else 0
    if len(stops) > 1:
        draw.line((left, y, right, y), fill=MUTED, width=6)
    for index, code in enumerate(stops):
        x = left + index * step if step else (left + right) / 2
        draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=ACCENT if code != ELLIPSIS else MUTED)
        label = fit(code, int(step - 8) if step else TEXT_WIDTH, 40, bold=True)
        draw_text(draw, (x - text_width(label, 40, bold=True) / 2, y + 70), label, 40, INK, bold=True)


def card_handler(find: Finder) -> Callable[[web.Request], Awaitable[web.Response]]:
    """An aiohttp handler for the trip's image, found as page_handler finds the page (None answers 404).

    Drawing takes tens of milliseconds of CPU, so it runs in a thread and leaves the worker's loop free.
    """

    async def handle(request: web.Request) -> web.Response:
        shared = await find(request)
        if shared is None:
            return problem(404, "trip-not-found", "No trip behind this link", headers=PAGE_HEADERS)
        language = negotiate(request.headers.get("Accept-Language"))
        body = await asyncio.to_thread(render_trip_card, shared.view, language)
        return web.Response(body=body, content_type="image/png",
                            headers={**PAGE_HEADERS, "Vary": "Accept-Language"})

    return handle
