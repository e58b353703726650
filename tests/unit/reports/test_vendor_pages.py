"""The vendor report page: rendered on the server from the API's rows, sortable by links, charts in SVG."""

from __future__ import annotations

from web.pages import Answer
from web.reports import vendor_pages
from web.reports.vendor_pages import sort_links

ROW = {"kind": "airline", "vendor": "LH", "month": "2026-03", "provider": "airline-sim", "reservations": 4,
       "travellers": 3, "changes": {"total": 6, "by_kind": {"time": 6}, "by_severity": {"info": 0, "major": 6,
                                                                                       "critical": 0}},
       "changes_per_reservation": 1.5, "delay_minutes": {"p50": 20, "p90": 45, "max": 45}, "cancellations": 1,
       "diversions": 0, "api": {"calls": 10, "errors": 1, "error_rate": 0.1, "latency_ms": {"p50": 80, "p99": 300}},
       "freshness_s": {"p50": 30, "p99": 60}, "closed": False}


def test_the_sorted_column_links_to_the_other_direction_the_others_to_descending():
    links = sort_links("2026-03", "reservations", "desc")
    assert links["reservations"].endswith("sort=reservations&dir=asc")
    assert links["vendor"].endswith("sort=vendor&dir=desc")


async def test_the_page_shows_the_rows_a_table_sorted_by_links_and_two_svg_charts(faust_app, monkeypatch,
                                                                                 aiohttp_client):
    asked = []

    async def api(request, method, path, body=None, query=None, **_):
        asked.append((path, query))
        if path == "/api/v1/me":
            return Answer(200, {"role": "support", "locale": "en"})
        return Answer(200, {"month": "2026-03", "items": [ROW, {**ROW, "vendor": "AF", "changes": {
            **ROW["changes"], "total": 2}, "delay_minutes": {"p50": None, "p90": None, "max": None}}]})

    monkeypatch.setattr(vendor_pages, "call_api", api)
    monkeypatch.setattr(vendor_pages, "profile_of", lambda request: _me())
    monkeypatch.setattr(vendor_pages, "login_first", lambda request: None)   # signed in: the API decides the role
    from tests.unit.reports.test_vendor_agents import client
    async with client(faust_app, aiohttp_client) as http:
        response = await http.get("/support/vendor-reports?month=2026-03&sort=changes_total&dir=desc",
                                  allow_redirects=False)
        html = await response.text()
    assert asked[0] == ("/api/v1/support/vendor-reports", {"sort": "changes_total", "dir": "desc", "month": "2026-03"})
    assert response.status == 200, html
    assert html.count("<svg") == 2 and 'aria-sort="descending"' in html
    assert "LH (airline): 6; AF (airline): 2" in html and "LH (airline): 45</desc>" in html


async def _me():
    return {"role": "support", "locale": "en"}
