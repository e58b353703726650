"""The year page rendered from hand-made summaries: figures against last year, charts with their data, the card."""

from __future__ import annotations

from lxml import html

from tests.unit.reports.summaries import empty, summary
from web.pages import environment
from web.reports.pages import this_year, year_context

PROFILE = {"id": "u1", "locale": "en", "time_zone": "Europe/Berlin"}
BASE = {"csrf_token": "tok", "signed_in": True, "profile": PROFILE, "rendered_at": "2026-12-07T10:00:00+00:00",
        "path": "/year/2026", "new_link": None}


def page(data: dict, language: str = "en", links=(), **extra):
    context = year_context(data, language, data["year"], 2026, list(links))
    text = environment(language).get_template("reports/year.html").render(**(BASE | context | extra))
    return text, html.fromstring(text)


def figures(doc) -> dict[str, str]:
    return {div.xpath("string(dt)"): " ".join(div.xpath("string(dd)").split())
            for div in doc.xpath("//dl[@class='figures']/div")}


def test_headline_figures_with_last_year_for_comparison():
    _, doc = page(summary(), "en-US")
    shown = figures(doc)
    assert shown["Trips"] == "7 ▼ down from 9"
    assert shown["Flights"] == "23 as in 2025"
    assert shown["Distance flown"] == "25,622 mi ▲ up from 18,641 mi"
    assert doc.xpath("string(//h1)") == "2026 in travel"


def test_four_charts_each_an_svg_image_with_bars_and_its_data_table():
    _, doc = page(summary())
    svgs = doc.xpath("//figure[@class='chart-figure']/*[local-name()='svg']")
    assert len(svgs) == 4 and all(svg.get("role") == "img" for svg in svgs)
    assert len(svgs[0].xpath(".//*[local-name()='rect']")) == 12
    tables = doc.xpath("//details[@class='chart-data']/table")
    assert tables[0].xpath("string(.//tr[3]/th)") == "March" and tables[0].xpath("string(.//tr[3]/td)") == "2"


def test_in_german_with_kilometres():
    _, doc = page(summary(), "de-DE")
    assert "41.234 km" in " ".join(figures(doc).values())
    assert doc.xpath("string(//details[@class='chart-data']//tr[3]/th)") == "März"


def test_the_card_and_its_links_with_a_revoke_form_each():
    link = {"id": "ab" * 16, "year": 2026, "created_at": "2026-12-01T08:00:00Z", "revoked_at": None, "state": "active"}
    _, doc = page(summary(), links=[link], new_link={"url": "http://x/y/tok"})
    assert doc.xpath("//img[@class='year-card']/@src") == ["/year/2026/card.png"]
    assert doc.xpath("//form[@action='/year/2026/links']")
    assert doc.xpath(f"//form[@action='/year/2026/links/{link['id']}/revoke']")
    assert doc.xpath("//input[@id='new-link-url']/@value") == ["http://x/y/tok"]


def test_an_empty_year_renders_and_text_is_escaped():
    hostile = {**summary(), "longest_trip": {"trip_id": "x", "name": "<script>alert(1)</script>", "days": 2}}
    text, doc = page(hostile)
    assert "<script>alert" not in text and "Longest trip: <script>alert(1)</script> (2 days)" in doc.text_content()
    _, doc = page(empty())
    assert figures(doc)["Trips"] == "0 as in 2025"


def test_this_year_is_the_travellers_year():
    from datetime import UTC, datetime

    new_year_in_tokyo = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert this_year({"time_zone": "Asia/Tokyo"}, new_year_in_tokyo) == 2027
    assert this_year({"time_zone": "America/New_York"}, new_year_in_tokyo) == 2026
    assert this_year(None, new_year_in_tokyo) == 2026
