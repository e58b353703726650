"""The sharing pages on a real broker and worker, driven as a browser would (cookie session, CSRF form posts):
the owner makes a public link on the trip's sharing page, anyone opens it, the owner revokes it and it answers
404; the owner shares the trip with a registered person, who finds it under "Shared with me" until the owner
withdraws the share."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import aiohttp
import pytest
from lxml import html as lxml_html

from tests.integration.conftest import TRIP_DAY, Api, eventually, flight

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery"


class Browser:
    """One person's browser: its own cookie jar (unsafe: the worker is on an IP address), no redirects followed
    unless asked, so each 303 can be read."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          timeout=aiohttp.ClientTimeout(total=30),
                                          connector=aiohttp.TCPConnector(force_close=True))

    async def get(self, path: str) -> tuple[int, str]:
        async with self.http.get(self.base + path) as response:
            return response.status, await response.text()

    async def post_form(self, page_path: str, action: str, fields: dict) -> aiohttp.ClientResponse:
        """Submit the form with ``action`` on the page at ``page_path``, with its hidden fields and ``fields``."""
        status, page = await self.get(page_path)
        assert status == 200, page
        form = next(f for f in lxml_html.fromstring(page).xpath("//form") if f.get("action") == action)
        data = {i.get("name"): i.get("value") or "" for i in form.xpath(".//input[@type='hidden']")}
        async with self.http.post(self.base + action, data={**data, **fields}, allow_redirects=False) as response:
            await response.read()
            return response

    async def log_in(self, email: str) -> None:
        response = await self.post_form("/login", "/login", {"email": email, "password": PASSWORD})
        assert response.status == 303, response.status

    async def close(self) -> None:
        await self.http.close()


async def a_trip(api: Api) -> dict:
    status, created, _ = await api.call("POST", "/api/v1/reservations", flight())
    assert status == 201, created

    async def grouped():
        status, page, _ = await api.call("GET", "/api/v1/trips")
        assert status == 200, page
        return next((t for t in page["items"] if created["id"] in t["reservation_ids"]), None)

    return await eventually(grouped)


@pytest.fixture
def worker(module_worker):
    return module_worker   # one worker for this module's tests (conftest.module_worker)


def visible(page: str) -> str:
    return " ".join(lxml_html.fromstring(page).text_content().split())


async def test_the_owner_makes_a_link_on_the_page_anyone_opens_it_and_revoking_it_closes_it(worker, http):
    ann = Api(http, worker.url)
    owner = await ann.sign_up_and_log_in("Ann")
    trip = await a_trip(ann)
    browser, stranger = Browser(worker.url), Browser(worker.url)
    try:
        await browser.log_in(owner["email"])
        page_path = f"/trips/{trip['id']}/sharing"
        made = await browser.post_form(page_path, f"/trips/{trip['id']}/links", {"expires_in": "7"})
        assert made.status == 303 and made.headers["Location"] == f"{page_path}#sharing"
        status, page = await browser.get(page_path)
        assert status == 200
        url = lxml_html.fromstring(page).get_element_by_id("new-link-url").value
        assert url.startswith(worker.url + "/t/") and url not in made.headers["Location"]
        assert f'data-copy="{url}"' in unescape(page) and "x.com/intent/tweet" in page
        assert "works until" in visible(page)
        _, again = await browser.get(page_path)
        assert url not in again   # shown once

        status, public = await stranger.get(url.removeprefix(worker.url))
        assert status == 200 and "LH 400" in visible(public) and "ABC123" not in public
        assert re.search(r'<link rel="stylesheet" href="/static/app\.css\?v=\w+">', public) and "<script" not in public

        (link_id,) = re.findall(rf'action="/trips/{trip["id"]}/links/(\w+)/revoke"', again)
        revoked = await browser.post_form(page_path, f"/trips/{trip['id']}/links/{link_id}/revoke", {})
        assert revoked.status == 303
        status, _ = await stranger.get(url.removeprefix(worker.url))
        assert status == 404
        _, after = await browser.get(page_path)
        assert "revoked" in visible(after) and f"/links/{link_id}/revoke" not in after
    finally:
        await browser.close()
        await stranger.close()


async def test_a_trip_shared_on_the_page_appears_under_shared_with_me_until_withdrawn(worker, http):
    ann, bob = Api(http, worker.url), Api(http, worker.url)
    owner = await ann.sign_up_and_log_in("Ann")
    follower = await bob.sign_up_and_log_in("Bob")
    trip = await a_trip(ann)
    owners, followers = Browser(worker.url), Browser(worker.url)
    try:
        await owners.log_in(owner["email"])
        await followers.log_in(follower["email"])
        page_path = f"/trips/{trip['id']}/sharing"
        refused = await owners.post_form(page_path, f"/trips/{trip['id']}/shares",
                                         {"email": "nobody", "role": "viewer"})
        assert refused.status == 303
        _, page = await owners.get(page_path)
        assert lxml_html.fromstring(page).get_element_by_id("f-share-email").get("aria-invalid") == "true"

        shared = await owners.post_form(page_path, f"/trips/{trip['id']}/shares",
                                        {"email": follower["email"], "role": "viewer"})
        assert shared.status == 303
        _, page = await owners.get(page_path)
        assert follower["email"] in visible(page) and "can view" in visible(page)

        async def listed():
            status, page = await followers.get("/shared")
            return page if status == 200 and trip["name"] in visible(page) else None

        shared_page = await eventually(listed)
        (href,) = re.findall(r'href="(/shared/\w+/\w+)"', shared_page)
        status, seen = await followers.get(href)
        assert status == 200 and "LH 400" in visible(seen) and "ABC123" not in seen
        assert "webcal://" in seen and "/rename" not in seen   # a viewer's page: the feed, no edit form

        (share_id,) = re.findall(rf'action="/trips/{trip["id"]}/shares/(\w+)/withdraw"', page)
        withdrawn = await owners.post_form(page_path, f"/trips/{trip['id']}/shares/{share_id}/withdraw", {})
        assert withdrawn.status == 303
        status, gone = await followers.get(href)
        assert status == 404 and "no longer shared" in visible(gone)
    finally:
        await owners.close()
        await followers.close()


async def test_an_editor_renames_the_shared_trip_and_adds_a_flight_on_its_page(worker, http):
    ann, cy = Api(http, worker.url), Api(http, worker.url)
    await ann.sign_up_and_log_in("Ann")
    editor = await cy.sign_up_and_log_in("Cy")
    trip = await a_trip(ann)
    status, _, _ = await ann.call("POST", f"/api/v1/trips/{trip['id']}/shares",
                                  {"email": editor["email"], "role": "editor"})
    assert status == 201
    browser = Browser(worker.url)
    try:
        await browser.log_in(editor["email"])

        async def listed():
            status, page = await browser.get("/shared")
            return re.findall(r'href="(/shared/\w+/\w+)"', page) if status == 200 else None

        (href,) = await eventually(listed)
        renamed = await browser.post_form(href, f"{href}/rename", {"name": "Family visit"})
        assert renamed.status == 303 and renamed.headers["Location"] == href
        refused = await browser.post_form(href, f"{href}/reservations", {
            "airline": "LH", "number": "401", "from": "JFK", "to": "JFK", "start": "", "end": ""})
        assert refused.status in (400, 422)
        next_day = (date.fromisoformat(TRIP_DAY) + timedelta(days=1)).isoformat()
        added = await browser.post_form(href, f"{href}/reservations", {
            "airline": "LH", "number": "401", "from": "JFK", "to": "FRA", "start": f"{TRIP_DAY}T18:00",
            "end": f"{next_day}T07:55", "confirmation": ""})
        assert added.status == 303, added.status
        status, page = await browser.get(href)
        assert status == 200 and "Family visit" in visible(page) and "LH 401" in visible(page), visible(page)
        status, owner_view, _ = await ann.call("GET", f"/api/v1/trips/{trip['id']}")
        assert owner_view["name"] == "Family visit" and len(owner_view["reservation_ids"]) == 2
    finally:
        await browser.close()
