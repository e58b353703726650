"""The year's image card: a 1200×630 PNG, in the reader's language and unit, CJK drawn, long text kept inside."""

from __future__ import annotations

import io

from PIL import Image

from tests.unit.reports.summaries import empty, summary
from web.card_text import BACKGROUND
from web.reports.card import MARGIN, card_title, render_year_card


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_png_of_the_size_link_previews_want():
    image = opened(render_year_card(summary(), "en"))
    assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "RGB")


def test_the_same_year_gives_the_same_bytes_another_language_or_unit_others():
    assert render_year_card(summary(), "en") == render_year_card(summary(), "en")
    assert render_year_card(summary(), "en") != render_year_card(summary(), "en-US")   # miles
    assert render_year_card(summary(), "en") != render_year_card(summary(), "ja")
    assert render_year_card(summary(), "en") != render_year_card(empty(), "en")


def test_the_title_is_in_the_readers_language():
    assert card_title(summary(), "en") == "2026 in travel"
    assert "2026" in card_title(summary(), "ja") and card_title(summary(), "ja") != "2026 in travel"


def test_nothing_runs_into_the_right_margin():
    huge = {**summary(), "distance_km": 10**12, "trips": 10**9, "flights": 10**9}
    image = opened(render_year_card(huge, "de"))
    strip = image.crop((1200 - MARGIN + 1, 0, 1200, 630))
    assert [colour for _, colour in strip.getcolors()] == [BACKGROUND]
