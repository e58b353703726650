"""The reservation and trip pages on a real broker and worker, as a browser without script uses them: forms
posted with the session cookie and CSRF token, the API's messages next to the fields, 303s followed."""

from __future__ import annotations

import html
import re
import uuid
from datetime import date, timedelta

import aiohttp
import pytest

from tests.integration.conftest import TRIP_DAY, eventually

pytestmark = pytest.mark.integration
XSS = "<img src=x onerror=alert(1)>"
DAY = date.fromisoformat(TRIP_DAY)


def on(days: int, clock: str) -> str:
    return f"{DAY + timedelta(days=days)}T{clock}"


class Browser:
    """Pages over HTTP with a cookie jar; every form posts the CSRF token the last page carried."""

    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http, self.base, self.csrf = http, base, ""

    async def get(self, path: str) -> tuple[int, str]:
        async with self.http.get(self.base + path) as response:
            text = await response.text()
            if found := re.search(r'name="csrf_token" value="([^"]+)"', text):
                self.csrf = found.group(1)
            return response.status, text

    async def post(self, path: str, form: dict | list) -> tuple[int, str, str]:
        """(status, page, where a 303 pointed); the 303 is followed like a browser does."""
        fields = list(form.items()) if isinstance(form, dict) else list(form)
        async with self.http.post(self.base + path, data=[("csrf_token", self.csrf), *fields],
                                  allow_redirects=False) as response:
            if response.status != 303:
                return response.status, await response.text(), ""
            location = response.headers["Location"]
        status, page = await self.get(location)
        return status, page, location


def visible(page: str) -> str:
    """The page's text as a reader sees it: tags dropped, entities read."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def worker(module_worker):
    return module_worker   # one worker for this module's tests (conftest.module_worker)


@pytest.fixture
async def browser(worker):
    # unsafe=True: the cookie jar keeps cookies from an IP address (127.0.0.1), as a browser does.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                     timeout=aiohttp.ClientTimeout(total=30)) as http:
        one = Browser(http, worker.url)

        async def signed_up():
            # A worker that just joined its group may still be rebalancing: its API answers 503 until settled.
            await one.get("/signup")
            status, page, location = await one.post("/signup", {
                "name": "Ann", "email": f"ann-{uuid.uuid4().hex[:8]}@example.com",
                "password": "correct horse battery", "time_zone": "Europe/Paris"})
            assert status in (200, 503), page
            return (status, location) == (200, "/")

        await eventually(signed_up, timeout_s=90, interval_s=1)
        yield one


async def add_hotel(browser: Browser, name: str, days: int) -> str:
    status, page = await browser.get("/reservations/new?type=hotel")
    assert status == 200 and 'value="Europe/Paris"' in page   # the traveller's zone to start with
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    form = {"type": "hotel", "name": name, "address": "1 Rue de Rivoli", "start": on(days, "15:00"),
            "end": on(days + 2, "11:00"), "start_time_zone": "Europe/Paris", "confirmation": "",
            "idempotency_key": key}

    async def added():
        # A loaded worker may answer "not confirmed in time" (503): the page keeps the key, so sending the
        # form again meets the first reservation instead of adding a second one.
        status, page, location = await browser.post("/reservations/new", form)
        assert status in (200, 503) and (status == 503 or location.startswith("/reservations/")), page
        if status == 503:
            assert f'name="idempotency_key" value="{key}"' in page
        return location
    return (await eventually(added, timeout_s=60, interval_s=1)).rsplit("/", 1)[-1]


async def trip_of(browser: Browser, reservation_id: str) -> str:
    """The trip holding the reservation, from the dashboard's links."""
    async def find():
        _, page = await browser.get("/")
        for trip_id, body in re.findall(r'<article class="card trip" aria-labelledby="trip-(\w+)">(.*?)</article>',
                                        page, re.S):
            if f"/reservations/{reservation_id}" in body:
                return trip_id
        return None
    return await eventually(find)


async def test_add_edit_and_delete_a_reservation_with_the_apis_messages_at_the_fields(browser):
    rid = await add_hotel(browser, XSS, 0)
    status, page = await browser.get(f"/reservations/{rid}")
    assert status == 200 and XSS not in page and f"<h1 id=\"r-title\">{html.escape(XSS, quote=False)}</h1>" in page
    assert "Check-in" in visible(page) and "3:00 PM CET" in visible(page)   # the hotel's local time and zone
    assert "No changes so far." in visible(page)

    await browser.get("/reservations/new?type=flight")
    status, page, _ = await browser.post("/reservations/new", {
        "type": "flight", "airline": "LH", "number": "400", "from": "XXX", "to": "JFK",
        "start": on(0, "08:30"), "end": on(0, "11:05")})
    assert status == 422
    assert re.search(r'id="f-from"[^>]*aria-invalid="true"', page, re.S)
    assert '<p class="error" id="e-from">must be a known IATA airport code</p>' in page
    assert 'value="XXX"' in page and 'value="LH"' in page   # what was typed comes back

    status, page = await browser.get(f"/reservations/{rid}/edit")
    assert status == 200 and 'name="version" value="1"' in page
    status, page, location = await browser.post(f"/reservations/{rid}/edit", {
        "version": "1", "name": "Hôtel du Louvre", "address": "", "start": on(0, "16:00"), "end": on(2, "11:00"),
        "start_time_zone": "Europe/Paris", "confirmation": "ZX81"})
    assert (status, location) == (200, f"/reservations/{rid}"), page
    text = visible(page)
    assert "Hôtel du Louvre" in text and "4:00 PM CET" in text and "ZX81" in text and "Rivoli" not in text

    # The form read at version 1 again: the API refuses to overwrite the change made since.
    status, page, _ = await browser.post(f"/reservations/{rid}/edit", {
        "version": "1", "name": "Stale", "start": on(0, "16:00"), "end": on(2, "11:00"),
        "start_time_zone": "Europe/Paris"})
    assert status == 412 and "changed while you were editing it" in page and 'name="version" value="2"' in page

    status, page = await browser.get(f"/reservations/{rid}")
    status, page, location = await browser.post(f"/reservations/{rid}/delete", {"version": "2"})
    assert (status, location) == (200, "/")
    status, page = await browser.get(f"/reservations/{rid}")
    assert status == 404


async def test_a_trip_is_renamed_merged_split_moved_into_and_out_of_and_deleted(browser):
    first = await add_hotel(browser, "Hotel One", 0)
    second = await add_hotel(browser, "Hotel Two", 40)
    trip, other = await trip_of(browser, first), await trip_of(browser, second)
    assert trip != other

    await browser.get(f"/trips/{trip}")
    status, page, location = await browser.post(f"/trips/{trip}/edit", {"name": XSS, "private": "on"})
    assert (status, location) == (200, f"/trips/{trip}")
    assert XSS not in page and f'<h1 id="trip-title">{html.escape(XSS, quote=False)}</h1>' in page
    assert re.search(r'id="f-private"[^>]*checked', page)

    status, page, _ = await browser.post(f"/trips/{trip}/merge", {"other_trip_id": other})
    assert status == 200 and f"/reservations/{second}" in page and f"/reservations/{first}" in page

    status, page, location = await browser.post(f"/trips/{trip}/split", [("reservation_ids", second)])
    assert status == 200 and location.startswith("/trips/") and location != f"/trips/{trip}"
    assert f"/reservations/{second}" in page and f"/reservations/{first}" not in page

    await browser.get(f"/trips/{trip}")
    status, page, _ = await browser.post(f"/trips/{trip}/move", {"reservation_id": second, "target": trip})
    assert status == 200 and f"/reservations/{second}" in page   # brought in from the split-off trip
    status, page, _ = await browser.post(f"/trips/{trip}/move", {"reservation_id": second, "target": "none"})
    assert status == 200 and f"/reservations/{second}" not in page and f"/reservations/{first}" in page

    status, page, _ = await browser.post(f"/trips/{trip}/merge", {"other_trip_id": trip})
    assert status == 422 and 'role="alert"' in page   # the API's refusal, shown on the trip page

    status, page, location = await browser.post(f"/trips/{trip}/delete", {})
    assert (status, location) == (200, "/")
    status, _ = await browser.get(f"/trips/{trip}")
    assert status == 404
    status, page = await browser.get("/trips?status=upcoming")
    assert status == 200 and "Upcoming trips" in visible(page) and f"/trips/{trip}\"" not in page
