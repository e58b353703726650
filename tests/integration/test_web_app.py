"""The web app's shell on a real worker: sign up and log in through the pages, the dashboard, CSRF, log out."""

from __future__ import annotations

import re
import uuid

import aiohttp
import pytest
from yarl import URL

from tests.integration.conftest import eventually, flight

pytestmark = pytest.mark.integration


@pytest.fixture
def worker(module_worker):
    return module_worker   # one worker for this module's tests (conftest.module_worker)
PASSWORD = "correct horse battery"


class Browser:
    """A cookie-keeping client that reads forms the way a browser without JavaScript would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          connector=aiohttp.TCPConnector(force_close=True))

    async def get(self, path: str) -> tuple[int, str, str]:
        async with self.http.get(self.base + path) as answer:
            return answer.status, await answer.text(), str(answer.url.path)

    async def submit(self, path: str, fields: dict) -> tuple[int, str, str]:
        """GET the page, then POST its form with the CSRF token it carries, following the redirect."""
        _, html, _ = await self.get(path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        async with self.http.post(self.base + path, data={**fields, "csrf_token": token}) as answer:
            return answer.status, await answer.text(), str(answer.url.path)

    def cookie(self, name: str) -> str | None:
        found = [c.value for c in self.http.cookie_jar if c.key == name]
        return found[0] if found else None

    async def close(self) -> None:
        await self.http.close()


@pytest.fixture
async def browser(worker):
    one = Browser(worker.url)
    yield one
    await one.close()


async def test_sign_up_see_a_trip_on_the_dashboard_and_log_out(browser):
    email = f"ann-{uuid.uuid4().hex[:8]}@example.com"
    status, html, path = await browser.submit("/signup", {"name": "Ann", "email": email, "password": PASSWORD,
                                                          "time_zone": "Europe/Berlin"})
    assert (status, path) == (200, "/") and "Your trips" in html and "No trips yet" in html
    async with browser.http.post(browser.base + "/api/v1/reservations", json=flight(),
                                 headers={"X-CSRF-Token": browser.cookie("rw_csrf")}) as created:
        assert created.status == 201   # the API takes the session cookie with the CSRF header

    async def dashboard_shows_the_flight():
        _, html, _ = await browser.get("/")
        return "LH 400" in html and html
    html = await eventually(dashboard_shows_the_flight)
    assert "FRA → JFK" in html and "8:30\u202fAM CET" in html

    _, html, _ = await browser.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    async with browser.http.post(browser.base + "/logout", data={"csrf_token": token}) as answer:
        assert str(answer.url.path) == "/login"
    _, _, path = await browser.get("/")
    assert path == "/login" and browser.cookie("rw_access") in (None, "")


async def test_a_wrong_password_is_said_next_to_the_form_and_a_right_one_signs_in(browser, worker):
    email = f"bob-{uuid.uuid4().hex[:8]}@example.com"
    async with browser.http.post(worker.url + "/api/v1/auth/signup",
                                 json={"email": email, "password": PASSWORD, "name": "Bob"}) as answer:
        assert answer.status == 201
    status, html, path = await browser.submit("/login", {"email": email, "password": "wrong password!"})
    assert status == 401 and path == "/login" and "E-mail or password is wrong." in html and 'role="alert"' in html
    status, html, path = await browser.submit("/login", {"email": email, "password": PASSWORD})
    assert (status, path) == (200, "/") and "Your trips" in html


async def test_a_form_post_from_another_site_is_refused(browser, worker):
    async with browser.http.post(worker.url + "/login", data={"email": "a@b.c", "password": "x"}) as answer:
        assert answer.status == 403


async def test_an_expired_access_cookie_is_refreshed_from_the_refresh_cookie(browser):
    email = f"cy-{uuid.uuid4().hex[:8]}@example.com"
    await browser.submit("/signup", {"name": "Cy", "email": email, "password": PASSWORD})
    old_refresh = browser.cookie("rw_refresh")
    browser.http.cookie_jar.update_cookies({"rw_access": "expired-or-garbage"}, URL(browser.base))
    status, html, path = await browser.get("/")
    assert (status, path) == (200, "/") and "Your trips" in html
    assert browser.cookie("rw_refresh") not in (None, old_refresh)   # rotated


async def test_the_faust_monitor_moved_to_monitor(browser):
    status, _, path = await browser.get("/")
    assert path == "/login"          # / is the app's now
    async with browser.http.get(browser.base + "/monitor/") as answer:
        assert answer.status == 200 and "messages_received_total" in await answer.text()
