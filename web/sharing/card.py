"""The image of a shared trip that link previews show (og:image): its name, dates and route, drawn with Pillow."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path

from aiohttp import web
from PIL import Image, ImageDraw, ImageFont

from domain.trips.preview import dates_text, route
from runtime.i18n import lang as resolve
from runtime.i18n import negotiate
from web.problems import problem
from web.sharing.public_page import CARD_SIZE, PAGE_HEADERS, Finder
from web.sharing.public_words import word

# Debian's fonts (Makefile's APT_PACKAGES): DejaVu for Latin, Greek and Cyrillic; Droid Sans Fallback
# (7 MB, against 91 MB for Noto CJK) for the Japanese, Chinese and Korean a trip's name may be in.
FONTS = Path("/usr/share/fonts/truetype")
LATIN, LATIN_BOLD = FONTS / "dejavu/DejaVuSans.ttf", FONTS / "dejavu/DejaVuSans-Bold.ttf"
CJK = FONTS / "droid/DroidSansFallbackFull.ttf"
BACKGROUND, INK, MUTED, ACCENT = (16, 42, 84), (255, 255, 255), (176, 196, 230), (255, 196, 61)
MARGIN = 80
TEXT_WIDTH = CARD_SIZE[0] - 2 * MARGIN
NAME_SIZES = (84, 72, 60)  # the largest that fits; below 60 a preview is unreadable, so cut instead
MAX_STOPS = 8  # beyond this the codes would touch: the first stops, an ellipsis, the last one
ELLIPSIS = "…"


def render_trip_card(view: dict, language: str | None) -> bytes:
    """A 1200×630 PNG of the trip in ``view`` (public_view's output): its name, shortened to fit, its dates
    in ``language`` and the airports of its route on a line. The same input gives the same bytes."""
    lang = resolve(language)
    image = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    _draw(draw, (MARGIN, 84), "Road Warrior", 28, ACCENT, bold=True)
    name = view.get("name") or word(lang, "trip")
    size = next((size for size in NAME_SIZES if text_width(name, size, bold=True) <= TEXT_WIDTH), NAME_SIZES[-1])
    _draw(draw, (MARGIN, 230), fit(name, TEXT_WIDTH, size, bold=True), size, INK, bold=True)
    _draw(draw, (MARGIN, 310), fit(dates_text(view, lang.locale), TEXT_WIDTH, 40), 40, MUTED)
    _draw_route(draw, _stops(route(view)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # no timestamp or other metadata: deterministic
    return buffer.getvalue()


def fit(text: str, width: int, size: int, *, bold: bool = False) -> str:
    """``text`` if it fits in ``width`` pixels at ``size``, else its longest beginning that fits with an ellipsis."""
    if text_width(text, size, bold) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + ELLIPSIS, size, bold) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


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
        _draw(draw, (x - text_width(label, 40, bold=True) / 2, y + 70), label, 40, INK, bold=True)


def _draw(draw: ImageDraw.ImageDraw, at: tuple[float, float], text: str, size: int, fill: tuple, *,
          bold: bool = False) -> None:
    """``text`` from ``at`` (its left end on the baseline), each script in a font that has it."""
    x, baseline = at
    for run in _runs(text):
        font = _font(run, size, bold)
        draw.text((x, baseline), run, font=font, fill=fill, anchor="ls")
        x += font.getlength(run)


def text_width(text: str, size: int, bold: bool = False) -> float:
    return sum(_font(run, size, bold).getlength(run) for run in _runs(text))


def _runs(text: str) -> list[str]:
    """``text`` cut where it changes between CJK and other scripts: the CJK font has no Latin digits, and
    DejaVu no kanji, so "7月1日(火)" takes both."""
    runs: list[str] = []
    for char in text:
        if runs and _is_cjk(runs[-1][-1]) == _is_cjk(char):
            runs[-1] += char
        else:
            runs.append(char)
    return runs


def _font(run: str, size: int, bold: bool) -> ImageFont.FreeTypeFont:
    return _load(CJK if _is_cjk(run[:1]) else LATIN_BOLD if bold else LATIN, size)


@lru_cache(maxsize=32)
def _load(path: Path, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(path), size)
    except OSError as exc:
        raise OSError(f"font {path} missing: install fonts-dejavu-core and fonts-droid-fallback") from exc


def _is_cjk(char: str) -> bool:
    """Whether ``char`` is CJK punctuation, kana, an ideograph, Hangul or a fullwidth form."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF


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
