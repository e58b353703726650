"""The image card of a traveller's year (PNG, 1200×630): the year's headline figures in their language."""

from __future__ import annotations

from domain.common.words import N_
from domain.reports.figures import headline
from runtime.i18n import lang as resolve
from web.card_text import ACCENT, CARD_SIZE, INK, MUTED, blank, draw_text, fit, png

MARGIN, COLUMNS, ROW_TOPS = 80, 3, (330, 510)
COLUMN_WIDTH = (CARD_SIZE[0] - 2 * MARGIN) // COLUMNS
TITLE = N_("%(year)s in travel")


def card_title(summary: dict, language: str | None) -> str:
    lang = resolve(language)
    return lang.words.gettext(TITLE) % {"year": summary.get("year", "")}


def render_year_card(summary: dict, language: str | None) -> bytes:
    """The card of ``summary`` (the /api/v1/me/summary JSON): a title and six figures in two rows of three,
    each cut to its column. No names or places: only counts, which is all a public link shows. The same
    summary gives the same bytes."""
    lang = resolve(language)
    image, draw = blank()
    draw_text(draw, (MARGIN, 84), "Road Warrior", 28, ACCENT, bold=True)
    title = card_title(summary, language)
    draw_text(draw, (MARGIN, 190), fit(title, CARD_SIZE[0] - 2 * MARGIN, 72, bold=True), 72, INK, bold=True)
    for index, figure in enumerate(headline(summary, lang)):
        x, top = MARGIN + (index % COLUMNS) * COLUMN_WIDTH, ROW_TOPS[index // COLUMNS]
        draw_text(draw, (x, top), fit(figure.value, COLUMN_WIDTH - 24, 60, bold=True), 60, INK, bold=True)
        draw_text(draw, (x, top + 48), fit(figure.label, COLUMN_WIDTH - 24, 30), 30, MUTED)
    return png(image)
