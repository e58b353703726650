"""The traveller's year in a browser: the page in English (miles, en-GB) and German (kilometres), its charts
drawn as SVG with bars, its card served as a PNG, and axe-core finding nothing serious."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import axe_check
from tests.browser.journey import PASSWORD
from tests.integration.conftest import Api
from tests.integration.test_year_pages import YEAR, flown

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def log_in(page: Page, base: str, email: str, words: dict[str, str]) -> None:
    await page.goto(base + "/login")
    await page.get_by_label(words["email"]).fill(email)
    await page.get_by_label(words["password"]).fill(PASSWORD)
    async with page.expect_navigation():
        await page.get_by_role("button", name=words["log_in"]).click()


async def a_travellers_year(worker, http, browser, locale: str, words: dict[str, str]) -> Page:
    api = Api(http, worker.url)
    ann = await api.sign_up_and_log_in("Ann")
    # The profile's language rules the page (the browser's only until one is set): en-GB reads miles.
    assert (await api.call("PATCH", "/api/v1/me", {"locale": locale}))[0] == 200
    await flown(api)
    context = await browser.new_context(viewport={"width": 360, "height": 740}, locale=locale)
    page = await context.new_page()
    await log_in(page, worker.url, ann["email"], words)
    await page.goto(f"{worker.url}/year/{YEAR}")
    return page


async def charts_drawn(page: Page) -> None:
    charts = page.get_by_role("img").filter(has=page.locator("rect.bar"))
    await expect(charts).to_have_count(4)
    await expect(page.locator("svg.chart").first.locator("rect.bar")).to_have_count(12)
    heights = await page.locator("svg.chart").nth(0).locator("rect.bar").evaluate_all(
        "bars => bars.map(b => b.getBBox().height)")
    assert max(heights) > 0   # the month of the flight has its bar


async def card_served(page: Page) -> None:
    card = page.get_by_role("img", name=f"{YEAR}", exact=False).and_(page.locator("img.year-card"))
    await card.scroll_into_view_if_needed()
    assert await card.evaluate("img => img.complete && img.naturalWidth") == 1200
    response = await page.request.get(await card.evaluate("img => img.src"))
    assert response.status == 200 and response.headers["content-type"] == "image/png"


async def test_the_year_in_english_with_miles(worker, http, browser, shot):
    page = await a_travellers_year(worker, http, browser, "en-GB",
                                   {"email": "E-mail", "password": "Password", "log_in": "Log in"})
    try:
        await expect(page.get_by_role("heading", level=1, name=f"{YEAR} in travel")).to_be_visible()
        await expect(page.locator("dl.figures")).to_contain_text(" mi")
        await charts_drawn(page)
        await card_served(page)
        await shot(page, "year page, English, phone width")
        await axe_check(page)
    finally:
        await page.context.close()


async def test_the_year_in_german_with_kilometres(worker, http, browser, shot):
    page = await a_travellers_year(worker, http, browser, "de-DE",
                                   {"email": "E-Mail", "password": "Passwort", "log_in": "Anmelden"})
    try:
        await expect(page.locator("html")).to_have_attribute("lang", "de-DE")
        await expect(page.get_by_role("heading", level=2, name="Diagramme")).to_be_visible()
        await expect(page.locator("dl.figures")).to_contain_text(" km")
        await expect(page.locator("dl.figures")).to_contain_text("Flüge")
        await charts_drawn(page)
        await card_served(page)
        await shot(page, "year page, German, phone width")
        await axe_check(page)
    finally:
        await page.context.close()
