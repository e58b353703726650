"""The year's charts: SVG that parses, a bar per month sized by its value, named for assistive technology."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from domain.reports import charts
from domain.reports.charts import Bar
from domain.reports.year_view import year_charts
from runtime.i18n import lang
from tests.unit.reports.summaries import empty, summary

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{SVG}rect")


def test_a_column_per_month_its_height_by_its_value():
    root = parsed(charts.columns("c", "Trips", "Most in March", [Bar(str(m), m % 3, str(m % 3)) for m in range(12)]))
    heights = [float(r.get("height")) for r in bars(root)]
    assert len(heights) == 12
    assert heights[0] == 0 and heights[1] * 2 == heights[2] and heights[2] == max(heights)
    assert all(float(r.get("width")) > 0 for r in bars(root))


def test_a_chart_is_an_image_named_and_described():
    root = parsed(charts.columns("c", "Trips by month", "Most in March: 2", [Bar("Jan", 1, "1")]))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").text == "Trips by month" and root.find(f"{SVG}desc").text == "Most in March: 2"
    assert bars(root)[0].find(f"{SVG}title").text == "Jan: 1"
    assert root.get("viewBox") == "0 0 360 190" and root.get("width") == "100%"


def test_text_is_escaped():
    root = parsed(charts.rows("c", "<b>&", "x", [Bar("<script>", 1, "1")]))
    assert root.find(f"{SVG}title").text == "<b>&"
    assert bars(root)[0].find(f"{SVG}title").text == "<script>: 1"


def test_rows_keep_the_first_eight_and_the_longest_bar_spans_the_space():
    root = parsed(charts.rows("c", "t", "d", [Bar(f"X{i}", 20 - i, str(20 - i)) for i in range(12)]))
    widths = [float(r.get("width")) for r in bars(root)]
    assert len(widths) == charts.MAX_ROWS and widths == sorted(widths, reverse=True)
    assert 150 < widths[0] <= 360


def test_an_empty_year_draws_empty_charts_that_still_parse():
    for chart in year_charts(empty(), lang("en")):
        root = parsed(chart.svg)
        assert all(float(r.get("height")) == 0 for r in bars(root))
        assert root.find(f"{SVG}desc").text == "Nothing this year yet"


def test_the_years_charts_in_the_readers_language_and_unit():
    trips, distance, airlines, countries = year_charts(summary(), lang("en-US"))
    assert trips.rows[2] == ("March", "2") and parsed(trips.svg).find(f"{SVG}desc").text == "Most in March: 2"
    assert distance.title == "Distance by month (mi)" and distance.rows[2] == ("March", "7,456")
    assert airlines.rows == [("LH", "9"), ("AF", "4")]
    assert countries.rows[0] == ("Germany", "10")
    german = year_charts(summary(), lang("de"))[3]
    assert german.rows[0] == ("Deutschland", "10")
