"""The year's figures in words: kilometres or miles by the locale's territory, numbers the locale's way, trends."""

from __future__ import annotations

import pytest

from domain.reports import figures
from runtime.i18n import lang
from tests.unit.reports.summaries import empty, summary


@pytest.mark.parametrize(("tag", "text"), [
    ("en-US", "25,622 mi"), ("en-GB", "25,622 mi"), ("en", "41,234 km"), ("de-DE", "41.234 km"),
    ("fr-FR", "41 234 km"), ("ja", "41,234 km"), ("en-AU", "41,234 km"), ("es-US", "25,622 mi"),
])
def test_distance_is_in_miles_only_where_the_territory_measures_roads_in_miles(tag, text):
    assert figures.distance(41234, lang(tag).locale).replace("\u202f", " ").replace("\xa0", " ") == text


def test_the_chart_unit_is_the_same_unit():
    assert figures.unit_name(lang("en-US").locale) == "mi"
    assert figures.unit_name(lang("de").locale) == "km"
    assert figures.in_unit(1609.344, lang("en-GB").locale) == 1000
    assert figures.in_unit(1609.344, lang("de").locale) == 1609


def test_headline_figures_compare_with_the_previous_year():
    shown = {f.key: f for f in figures.headline(summary(), lang("de"))}
    assert shown["trips"].label == "Reisen" and shown["trips"].value == "7" and shown["trips"].previous == "9"
    assert shown["trips"].trend == figures.DOWN
    assert shown["flights"].trend == figures.SAME
    assert shown["distance_km"].value == "41.234 km" and shown["distance_km"].trend == figures.UP
    assert shown["air_hours"].value == "61,5"
    assert shown["countries"].value == "3"   # a list counts by its length


def test_a_summary_without_a_previous_year_has_no_trend():
    without = {k: v for k, v in summary().items() if k != "previous"}
    assert all(f.trend is None and f.previous is None for f in figures.headline(without, lang("en")))


def test_an_empty_year_is_all_zeros():
    assert [f.value for f in figures.headline(empty(), lang("en"))] == ["0", "0", "0 km", "0.0", "0", "0"]


def test_months_are_named_in_the_readers_language():
    assert figures.month_name(3, lang("de").locale) == "März"
    assert figures.month_name(3, lang("ja").locale) == "3月"
    assert figures.month_name(3, lang("en").locale, "abbreviated") == "Mar"
