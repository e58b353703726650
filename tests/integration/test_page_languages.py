"""A traveller who chose a language in the profile reads every page in it, the ones a refused save sends back
included (a form with the API's messages, the error page), whatever the browser's Accept-Language says."""

from __future__ import annotations

import aiohttp
import pytest

from runtime.i18n import translator
from tests.integration.conftest import TRIP_DAY, Api, eventually
from tests.integration.test_reservation_pages import Browser, visible

pytestmark = pytest.mark.integration
HOTEL = {"type": "hotel", "start": f"{TRIP_DAY}T15:00", "end": f"{TRIP_DAY}T23:00", "start_time_zone": "Europe/Paris",
         "hotel": {"name": "Hôtel du Nord"}}


@pytest.fixture
def worker(module_worker):
    return module_worker   # one worker for this module's tests (conftest.module_worker)


async def signed_in_speaking(locale: str, worker, http: aiohttp.ClientSession, pages: Browser) -> Api:
    """A traveller whose profile says ``locale``, signed in to the pages from an English browser."""
    api = Api(http, worker.url)
    user = await api.sign_up_and_log_in("Ann")
    status, me, _ = await api.call("PATCH", "/api/v1/me", {"locale": locale})
    assert status == 200 and me["locale"] == locale, me
    await pages.get("/login")
    status, page, location = await pages.post("/login", {"email": user["email"], "password": "correct horse battery"})
    assert (status, location) == (200, "/"), page
    assert f'<html lang="{locale}">' in page   # the dashboard already read the profile
    return api


@pytest.mark.parametrize("locale", ["ja", "es"])
async def test_a_refused_save_answers_in_the_profiles_language_not_the_browsers(locale, worker, http):
    words = translator(locale).gettext
    assert words("Something went wrong") != "Something went wrong"   # the catalog has the words checked below
    jar = aiohttp.CookieJar(unsafe=True)   # the worker is on 127.0.0.1: aiohttp keeps no IP cookies otherwise
    async with aiohttp.ClientSession(cookie_jar=jar, headers={"Accept-Language": "en-GB,en;q=0.9"},
                                     timeout=aiohttp.ClientTimeout(total=30)) as own:
        pages = Browser(own, worker.url)
        api = await signed_in_speaking(locale, worker, http, pages)

        await pages.get("/reservations/new?type=flight")
        status, page, _ = await pages.post("/reservations/new", {
            "type": "flight", "airline": "LH", "number": "400", "from": "XXX", "to": "JFK",
            "start": f"{TRIP_DAY}T08:30", "end": f"{TRIP_DAY}T11:05"})
        assert status == 422 and 'id="e-from"' in page   # the form sent back with the API's message
        assert f'<html lang="{locale}">' in page and words("Add a flight") in visible(page)

        status, hotel, _ = await api.call("POST", "/api/v1/reservations", HOTEL)
        assert status == 201, hotel
        path = f"/reservations/{hotel['id']}"
        await eventually(lambda: _shown(pages, path))
        status, page, _ = await pages.post(f"{path}/edit", {   # read at a version that is not the current one
            "version": "7", "name": "Stale", "start": f"{TRIP_DAY}T16:00", "end": f"{TRIP_DAY}T23:00",
            "start_time_zone": "Europe/Paris"})
        assert status == 412 and f'<html lang="{locale}">' in page
        assert words("This reservation changed while you were editing it. Check the values below and save "
                     "again.") in visible(page)

        status, page, _ = await pages.post(f"{path}/delete", {"version": "7"})
        assert status == 412 and f'<html lang="{locale}">' in page
        assert words("Something went wrong") in visible(page) and "Something went wrong" not in page


async def _shown(pages: Browser, path: str) -> bool:
    status, _ = await pages.get(path)   # also keeps the CSRF token the forms below send
    return status == 200
