"""What the traveller's browser tests do again and again: sign up, add a reservation, find a trip, through the pages.

Every page a helper lands on is photographed and checked with axe-core (``seen``), so no page goes unchecked.
"""

from __future__ import annotations

import uuid

from playwright.async_api import Page, expect

from tests.browser.conftest import axe_check
from tests.integration.conftest import TRIP_DAY, eventually

PASSWORD = "correct horse battery"
# LH 400 FRA → JFK on the trip day, as the simulator's airline knows it (scheduled 08:30 CET → 11:05 EST):
# a flight typed in by hand is tracked against the default flight provider under the same subject.
FLIGHT = {"Airline code": "LH", "Flight number": "400", "From (airport code)": "FRA", "To (airport code)": "JFK",
          "Departure (local time at the airport)": f"{TRIP_DAY}T08:30",
          "Arrival (local time at the airport)": f"{TRIP_DAY}T11:05", "Confirmation code": "ABC123"}


async def seen(page: Page, shot, step: str) -> None:
    """A step's screenshot, and axe-core over the page as it is now."""
    await shot(page, step)
    await axe_check(page)


async def sign_up(page: Page, shot, base: str, name: str = "Ann") -> str:
    """An account made on the sign-up page; the dashboard shows afterwards. Returns the e-mail."""
    async def signed_up():
        # A worker still settling its group answers 503 for a while: the page says so, and one tries again.
        email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
        await page.goto(base + "/signup")
        await page.get_by_label("Name").fill(name)
        await page.get_by_label("E-mail").fill(email)
        await page.get_by_label("Password").fill(PASSWORD)
        async with page.expect_navigation():
            await page.get_by_role("button", name="Create an account").click()
        return email if page.url == base + "/" else None

    await page.goto(base + "/signup")
    await seen(page, shot, "sign-up page")
    email = await eventually(signed_up, timeout_s=90, interval_s=1)
    await expect(page.get_by_role("heading", level=1, name="Your trips")).to_be_visible()
    return email


async def add_flight(page: Page, shot, base: str, fields: dict[str, str] = FLIGHT) -> str:
    """A flight added through the form (after choosing "A flight"); returns its detail page's path."""
    await page.goto(base + "/reservations/new")
    await seen(page, shot, "choose what was booked")
    await page.get_by_label("A flight").check()
    await page.get_by_role("button", name="Continue").click()
    await expect(page.get_by_role("heading", level=1, name="Add a flight")).to_be_visible()
    await seen(page, shot, "flight form")
    return await _saved(page, fields)


async def add_hotel(page: Page, shot, base: str, fields: dict[str, str]) -> str:
    await page.goto(base + "/reservations/new?type=hotel")
    await expect(page.get_by_role("heading", level=1, name="Add a hotel")).to_be_visible()
    await seen(page, shot, "hotel form")
    return await _saved(page, fields)


async def _saved(page: Page, fields: dict[str, str]) -> str:
    for label, value in fields.items():
        await page.get_by_label(label, exact=True).fill(value)

    async def saved():
        # A loaded worker may answer "not confirmed in time": the form keeps its idempotency key, so saving
        # again meets the first reservation rather than adding a second.
        async with page.expect_navigation():
            await page.get_by_role("button", name="Save").click()
        return "/reservations/new" not in page.url

    await eventually(saved, timeout_s=60, interval_s=1)
    return "/" + page.url.split("://", 1)[1].split("/", 1)[1]


async def trip_on_dashboard(page: Page, base: str, name: str | None = None, *, holding: str | None = None):
    """The dashboard's card of the trip called ``name`` (or holding the reservation linked as ``holding``), once
    grouping has made it: the page is reloaded until then, as grouping runs after the reservation is saved."""
    card = page.get_by_role("article", name=name) if name else page.get_by_role("article").filter(
        has=page.get_by_role("link", name=holding))

    async def grouped():
        await page.goto(base + "/")
        return await card.count() == 1

    await eventually(grouped, timeout_s=60, interval_s=0.5)
    return card
