"""The public page of a shared trip, opened by someone with only the link, in a fresh browser context."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.conftest import axe_check
from tests.integration.conftest import Api, eventually, flight
from tests.integration.test_trip_links import HOTEL

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def shared_trip_link(api: Api) -> str:
    await api.sign_up_and_log_in("Ann")
    for body in (flight(), HOTEL):
        status, created, _ = await api.call("POST", "/api/v1/reservations", body)
        assert status == 201, created

    async def grouped():
        _, page, _ = await api.call("GET", "/api/v1/trips")
        return next((t for t in page["items"] if len(t["reservation_ids"]) == 2), None)

    trip = await eventually(grouped)
    status, link, _ = await api.call("POST", f"/api/v1/trips/{trip['id']}/links", {})
    assert status == 201, link
    return link["url"]


async def test_a_link_holder_sees_the_trip_without_its_secrets(worker, http, browser, shot):
    url = await shared_trip_link(Api(http, worker.url))
    stranger = await browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    try:
        page = await stranger.new_page()
        response = await page.goto(url)
        assert response.status == 200
        await expect(page.get_by_role("heading", level=1, name="New York")).to_be_visible()
        # Each item names itself as the app's itinerary does (kind, then route or name), times as en-GB writes them.
        items = page.get_by_role("listitem")
        await expect(items).to_have_count(2)
        await expect(items.nth(0)).to_contain_text("FRA → JFK")
        await expect(items.nth(0)).to_contain_text("08:30 CET")
        await expect(items.nth(1)).to_contain_text("The Jane")
        await shot(page, "public page, phone width")
        body = await page.locator("body").inner_text()
        assert "ABC123" not in body and "HX-1" not in body and "Ann Traveller" not in body
        await axe_check(page)
        await page.set_viewport_size({"width": 1280, "height": 800})
        await shot(page, "public page, desktop width")
    finally:
        await stranger.close()


async def test_a_revoked_link_shows_no_trip(worker, http, browser, shot):
    api = Api(http, worker.url)
    url = await shared_trip_link(api)
    _, links, _ = await api.call("GET", "/api/v1/trips")
    trip_id = links["items"][0]["id"]
    _, listed, _ = await api.call("GET", f"/api/v1/trips/{trip_id}/links")
    status, _, _ = await api.call("DELETE", f"/api/v1/trips/{trip_id}/links/{listed['items'][0]['id']}")
    assert status == 204
    stranger = await browser.new_context()
    try:
        page = await stranger.new_page()
        response = await page.goto(url)
        assert response.status == 404
        await expect(page.get_by_text("New York")).to_have_count(0)
        await shot(page, "revoked link")
    finally:
        await stranger.close()
