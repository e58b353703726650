"""GET /api/v1/me/summary/{year} on the web layer: the caller's own figures, bad and future years refused."""

from __future__ import annotations

import pytest

import web.reports.api as reports_api
from agents.reports.record_reservation_facts import record_reservation_facts
from tables.users import users
from tests.unit.reports.making import NOW
from tests.unit.reports.test_agents import HOTEL, OUT, USER, event, put
from tests.unit.trips.serving import serving, set_clock, signed_in

OTHER = "b" * 32


@pytest.fixture
async def client(faust_app, sent, aiohttp_client, monkeypatch):
    async def owner_is_here(request, table_name, key, headers=None):
        return None

    monkeypatch.setattr(reports_api, "forward_to_owner", owner_is_here)
    set_clock(monkeypatch, NOW)
    users.data[USER] = {"id": USER, "time_zone": "America/New_York", "home": ["JFK"]}
    async with serving(faust_app, aiohttp_client, monkeypatch, {}) as served:
        yield served


async def get(client, path: str, user: str | None = USER):
    response = await client.get(path, headers=signed_in(user) if user else {})
    return response.status, await response.json(content_type=None)


async def test_the_callers_year_with_the_year_before_on_their_clock(client):
    await put(record_reservation_facts, event(OUT), event(HOTEL))
    status, body = await get(client, "/api/v1/me/summary/2026")
    assert status == 200, body
    assert (body["year"], body["time_zone"], body["as_of"]) == (2026, "America/New_York", "2026-12-31T12:00:00Z")
    assert (body["flights"], body["airports"], body["countries"], body["hotel_nights"]) == (1, ["FRA", "JFK"],
                                                                                          ["DE", "US"], 3)
    assert body["previous"]["year"] == 2025 and body["previous"]["flights"] == 0
    status, past = await get(client, "/api/v1/me/summary/2025")
    assert status == 200 and past["flights"] == 0 and past["previous"]["year"] == 2024


async def test_another_traveller_sees_only_their_own_empty_year(client):
    await put(record_reservation_facts, event(OUT))
    status, body = await get(client, "/api/v1/me/summary/2026", OTHER)
    assert status == 200 and body["flights"] == 0 and body["time_zone"] == "UTC"


@pytest.mark.parametrize("year", ["abc", "1899", "2201", "20x6", "٢٠٢٦"])
async def test_a_year_that_is_not_one_is_a_400_problem(client, year):
    status, body = await get(client, f"/api/v1/me/summary/{year}")
    assert status == 400 and body["type"].endswith("/invalid-year")


async def test_a_year_not_begun_on_the_travellers_clock_is_a_404_problem(client, monkeypatch):
    status, body = await get(client, "/api/v1/me/summary/2027")
    assert status == 404 and body["type"].endswith("/year-not-reached")
    # Noon on 31 December UTC is already New Year in Kiritimati (UTC+14).
    users.data[USER] = {**users.data[USER], "time_zone": "Pacific/Kiritimati"}
    assert (await get(client, "/api/v1/me/summary/2027"))[0] == 200


async def test_without_a_token_it_is_401(client):
    assert (await get(client, "/api/v1/me/summary/2026", None))[0] == 401
