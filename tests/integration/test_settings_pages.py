"""The settings pages, the notification centre and the installable app, driven over HTTP like a browser
without script: GET the form, send it back with its CSRF token, follow the redirect, read the page."""

from __future__ import annotations

import re

import aiohttp
import pytest
from lxml import html

from tests.integration.conftest import Api, eventually, flight

pytestmark = pytest.mark.integration


@pytest.fixture
def worker(module_worker):
    return module_worker   # one worker for this module's tests (conftest.module_worker)


class Browser:
    """A cookie jar and the pages it reads; forms posted with the token the page carries."""

    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http, self.base = http, base

    async def get(self, path: str) -> tuple[int, html.HtmlElement, aiohttp.ClientResponse]:
        async with self.http.get(self.base + path) as response:
            return response.status, html.fromstring(await response.text()), response

    async def submit(self, path: str, action: str, fields: dict | list) -> tuple[int, html.HtmlElement, str]:
        _, page, _ = await self.get(path)
        token = page.xpath(f"//form[@action='{action}']//input[@name='csrf_token']/@value")[0]
        data = [("csrf_token", token), *(fields.items() if isinstance(fields, dict) else fields)]
        async with self.http.post(self.base + action, data=data) as response:
            return response.status, html.fromstring(await response.text()), str(response.url.path_qs)


@pytest.fixture
async def browser(worker):
    jar = aiohttp.CookieJar(unsafe=True)   # the worker is on 127.0.0.1: aiohttp keeps no IP cookies otherwise
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=30)) as http:
        yield Browser(http, worker.url)


async def signed_in(browser: Browser, http, worker) -> Api:
    api = Api(http, worker.url)
    user = await api.sign_up_and_log_in("Ann")
    status, _, landed = await browser.submit("/login", "/login", {"email": user["email"],
                                                                  "password": "correct horse battery"})
    assert (status, landed) == (200, "/")
    return api


def text(page: html.HtmlElement, xpath: str) -> str:
    return " ".join(" ".join(e.text_content().split()) for e in page.xpath(xpath))


async def test_a_new_language_zone_and_home_show_on_the_dashboard(browser, http, worker):
    api = await signed_in(browser, http, worker)
    status, page, landed = await browser.submit("/settings", "/settings", {
        "locale": "es", "time_zone": "America/Mexico_City", "home": "fra, muc"})
    assert (status, landed) == (200, "/settings?saved=1")
    assert page.get("lang") == "es"
    assert page.xpath("//select[@id='f-time_zone']/option[@selected]/text()") == ["America/Mexico_City"]
    assert page.xpath("//input[@id='f-home']/@value") == ["FRA, MUC"]
    _, dashboard, _ = await browser.get("/")
    assert dashboard.get("lang") == "es"
    _, me, _ = await api.call("GET", "/api/v1/me")
    assert (me["locale"], me["time_zone"], me["home"]) == ("es", "America/Mexico_City", ["FRA", "MUC"])

    status, page, _ = await browser.submit("/settings", "/settings", {"locale": "es", "time_zone": "UTC",
                                                                      "home": "Atlantis"})
    assert status == 422
    assert text(page, "//p[@id='e-home']")            # the API's word, next to the field
    assert page.xpath("//input[@id='f-home']/@value") == ["Atlantis"]


async def test_notification_preferences_and_quiet_hours_are_saved(browser, http, worker):
    api = await signed_in(browser, http, worker)
    _, page, _ = await browser.get("/settings/notifications")
    assert page.xpath("//input[@name='email.info']/@checked") == []
    status, page, landed = await browser.submit("/settings/notifications", "/settings/notifications", [
        ("web.critical", "on"), ("web.major", "on"), ("email.info", "on"), ("webpush.critical", "on"),
        ("quiet", "on"), ("quiet_start", "23:30"), ("quiet_end", "06:15"), ("locale", "fr")])
    assert (status, landed) == (200, "/settings/notifications?saved=1")
    assert page.xpath("//input[@name='email.info']/@checked") and not page.xpath("//input[@name='web.info']/@checked")
    assert page.xpath("//input[@id='f-quiet_start']/@value") == ["23:30"]
    _, prefs, _ = await api.call("GET", "/api/v1/me/notification-preferences")
    assert prefs["channels"]["email"] == {"critical": False, "major": False, "info": True}
    assert (prefs["quiet_hours"], prefs["locale"]) == ({"start": "23:30", "end": "06:15"}, "fr")

    status, page, _ = await browser.submit("/settings/notifications", "/settings/notifications", [
        ("quiet", "on"), ("quiet_start", "06:15"), ("quiet_end", "06:15")])
    assert status == 422 and text(page, "//p[@role='alert']")
    status, page, _ = await browser.submit("/settings/notifications", "/settings/notifications", [])
    assert status == 200
    _, prefs, _ = await api.call("GET", "/api/v1/me/notification-preferences")
    assert prefs["quiet_hours"] is None and not any(any(c.values()) for c in prefs["channels"].values())


async def test_a_device_is_listed_and_removed(browser, http, worker):
    api = await signed_in(browser, http, worker)
    subscription = {"endpoint": "https://push.example/sub/1", "keys": {"p256dh": "BAbc", "auth": "xyz"}}
    status, device, _ = await api.call("POST", "/api/v1/me/devices", {"kind": "webpush", "name": "My laptop",
                                                                       "subscription": subscription})
    assert status == 201
    _, page, _ = await browser.get("/settings/notifications")
    assert "My laptop" in text(page, "//ul[@class='rows']")
    status, page, landed = await browser.submit("/settings/notifications",
                                                f"/settings/devices/{device['id']}/delete", {})
    assert (status, landed) == (200, "/settings/notifications")
    assert not page.xpath("//ul[@class='rows']") and "My laptop" not in text(page, "//main")


async def test_the_centre_lists_notifications_and_marks_them_read(browser, http, worker):
    api = await signed_in(browser, http, worker)
    for code in ("AAA111", "BBB222"):   # two reservations: two notifications, never collapsed into one
        status, booking, _ = await api.call("POST", "/api/v1/reservations", flight(confirmation=code))
        assert status == 201
        status, _, _ = await api.call("PATCH", f"/api/v1/reservations/{booking['id']}",
                                      {"flight": {"departure_gate": "B22"}})
        assert status == 200

    async def notified():
        _, feed, _ = await api.call("GET", "/api/v1/notifications")
        return feed["unread_count"] == 2 and feed

    feed = await eventually(notified)
    _, page, _ = await browser.get("/notifications")
    assert text(page, "//p[@class='unread-count']") == "2 unread notifications"
    assert len(page.xpath("//li[contains(@class, 'unread')]")) == 2
    status, page, landed = await browser.submit("/notifications", f"/notifications/{feed['items'][0]['id']}/read", {})
    assert (status, landed) == (200, "/notifications")
    assert text(page, "//p[@class='unread-count']") == "1 unread notification"
    status, page, _ = await browser.submit("/notifications", "/notifications/read-all", {})
    assert status == 200
    assert text(page, "//p[@class='unread-count']") == "0 unread notifications"
    assert not page.xpath("//li[contains(@class, 'unread')]")
    assert not page.xpath("//form[@action='/notifications/read-all']")
    _, after, _ = await api.call("GET", "/api/v1/notifications")
    assert after["unread_count"] == 0


async def test_mailbox_filters_are_saved_and_a_bad_entry_is_named(browser, http, worker):
    api = await signed_in(browser, http, worker)
    status, page, landed = await browser.submit("/settings/mailboxes", "/settings/mailboxes/filters", {
        "allow": "corp.example\ntrips@me.example", "block": "spam.example"})
    assert (status, landed) == (200, "/settings/mailboxes?saved=1")
    assert page.xpath("//textarea[@id='f-allow']/text()") == ["corp.example\ntrips@me.example"]
    _, filters, _ = await api.call("GET", "/api/v1/me/email-filters")
    assert (filters["allow"], filters["block"], filters["use_defaults"]) == (
        ["corp.example", "trips@me.example"], ["spam.example"], False)
    status, page, _ = await browser.submit("/settings/mailboxes", "/settings/mailboxes/filters",
                                           {"allow": "not a@domain", "use_defaults": "on"})
    assert status == 422 and "a@domain" in text(page, "//p[@id='e-allow']")


async def test_a_form_without_its_token_is_refused(browser, http, worker):
    await signed_in(browser, http, worker)
    async with browser.http.post(worker.url + "/settings", data={"locale": "ja"}) as response:
        assert response.status == 403


async def test_signed_out_the_settings_lead_to_the_login(browser):
    async with browser.http.get(browser.base + "/settings/notifications", allow_redirects=False) as response:
        assert response.status == 303 and response.headers["Location"] == "/login?next=/settings/notifications"


async def test_the_app_installs_from_its_manifest_and_service_worker(browser):
    async with browser.http.get(browser.base + "/manifest.webmanifest") as response:
        assert response.status == 200 and response.content_type == "application/manifest+json"
        manifest = await response.json(content_type=None)
    assert (manifest["start_url"], manifest["display"]) == ("/", "standalone")
    assert {icon.get("purpose", "any") for icon in manifest["icons"]} == {"any", "maskable"}
    for icon in manifest["icons"]:
        async with browser.http.get(browser.base + icon["src"]) as response:
            assert response.status == 200 and response.content_type == "image/png"
    async with browser.http.get(browser.base + "/sw.js") as response:
        assert response.status == 200 and response.content_type == "application/javascript"
        assert response.headers["Cache-Control"] == "no-cache"
        worker_source = await response.text()
    shell = re.search(r"const SHELL = (\[.*?\]);", worker_source).group(1)
    for url in re.findall(r'"(/static/[^"]+)"', shell):
        async with browser.http.get(browser.base + url) as response:
            assert response.status == 200, url
