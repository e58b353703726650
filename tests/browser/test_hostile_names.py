"""A hotel and a trip named like an HTML attack render as text on every page, the public page's preview tags
included: nothing runs (no dialog), no element is made of them, and the reader sees the literal name."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.browser.journey import add_hotel, seen, sign_up, trip_on_dashboard
from tests.integration.conftest import TRIP_DAY

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]
XSS = "<img src=x onerror=alert(1)>"
HOTEL = {"Hotel name": XSS, "Address": "1 Rue de Rivoli", "Check-in (local time)": f"{TRIP_DAY}T15:00",
         "Check-out (local time)": f"{TRIP_DAY}T23:00", "Time zone of the hotel": "Europe/Paris",
         "Confirmation code": "HX-1"}
PREVIEW_TAGS = ('meta[property="og:title"]', 'meta[name="twitter:title"]')


def watched(page: Page) -> list[str]:
    """The messages of any dialog the page opens (each dismissed, so the page goes on)."""
    opened: list[str] = []

    async def dismiss(dialog):
        opened.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", dismiss)
    return opened


async def no_markup_made(page: Page) -> None:
    await expect(page.locator('img[src="x"]')).to_have_count(0)


async def test_a_hostile_hotel_and_trip_name_render_as_text_everywhere(worker, context, browser, shot):
    page = await context.new_page()
    dialogs = watched(page)
    await sign_up(page, shot, worker.url)
    detail = await add_hotel(page, shot, worker.url, HOTEL)
    await expect(page.get_by_role("heading", level=1, name=XSS)).to_be_visible()
    await no_markup_made(page)
    await seen(page, shot, "reservation page")

    card = await trip_on_dashboard(page, worker.url, holding=XSS)
    await card.get_by_role("heading", level=2).get_by_role("link").click()
    await page.get_by_label("Trip name").fill(XSS)
    await page.get_by_role("button", name="Save").first.click()
    await expect(page.get_by_role("heading", level=1, name=XSS)).to_be_visible()
    await expect(page.get_by_role("link", name=XSS)).to_have_attribute("href", detail)   # the hotel in it
    await no_markup_made(page)
    await seen(page, shot, "trip page")

    await page.goto(worker.url + "/")
    trip = page.get_by_role("article", name=XSS)
    await expect(trip.get_by_role("link", name=XSS)).to_have_count(2)   # the trip's name and the hotel's
    await no_markup_made(page)
    await seen(page, shot, "dashboard")

    await trip.get_by_role("heading", level=2).get_by_role("link").click()
    await page.get_by_role("button", name="Make a public link").click()
    url = await page.get_by_label("Your new link (copy it now: it is shown only once)").input_value()
    await no_markup_made(page)
    await seen(page, shot, "trip page with its link")
    assert dialogs == []

    stranger = await browser.new_context()
    try:
        public = await stranger.new_page()
        strangers_dialogs = watched(public)
        response = await public.goto(url)
        assert response.status == 200
        assert XSS not in await response.text()   # escaped in the markup sent, attributes included
        await expect(public.get_by_role("heading", level=1, name=XSS)).to_be_visible()
        await expect(public.get_by_role("listitem")).to_contain_text(XSS)
        assert XSS in await public.title()
        for tag in PREVIEW_TAGS:
            assert XSS in await public.locator(tag).get_attribute("content"), tag
        await no_markup_made(public)
        await seen(public, shot, "public page")
        assert strangers_dialogs == []
    finally:
        await stranger.close()
