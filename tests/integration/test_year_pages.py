"""A traveller's year on a real broker and worker: the year page over HTTP with a cookie session, its card,
a public link made on the page, opened without a login and revoked (404 at once); and the 1 January mail,
sent once the traveller's own clock reads the new year, caught by a local SMTP server."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from lxml import html as lxml_html
from PIL import Image

from tests.integration import test_notifications_support as support
from tests.integration.conftest import Api, eventually, flight
from tests.integration.test_sharing_pages import Browser
from tests.integration.test_trip_links import Meta

pytestmark = pytest.mark.integration
mailbox = support.mailbox
# A flight flown three days ago: in the summary of its year (this one, unless this is 1 to 3 January).
FLOWN = (datetime.now(UTC) - timedelta(days=3)).date()
YEAR = FLOWN.year
PAST_FLIGHT = flight(start=f"{FLOWN}T08:30", end=f"{FLOWN}T11:05")


async def flown(api: Api) -> dict:
    status, created, _ = await api.call("POST", "/api/v1/reservations", PAST_FLIGHT)
    assert status == 201, created

    async def counted():
        status, summary, _ = await api.call("GET", f"/api/v1/me/summary/{YEAR}")
        assert status in (200, 503), summary
        return summary if status == 200 and summary["flights"] == 1 else None

    return await eventually(counted, timeout_s=60, interval_s=0.3)


async def test_the_year_page_its_card_and_a_public_link_until_revoked(worker, http):
    ann = Api(http, worker.url)
    owner = await ann.sign_up_and_log_in("Ann")
    await flown(ann)
    browser, stranger = Browser(worker.url), Browser(worker.url)
    try:
        await browser.log_in(owner["email"])
        page_path = f"/year/{YEAR}"
        status, page = await browser.get(page_path)
        assert status == 200, page
        doc = lxml_html.fromstring(page)
        assert doc.xpath("string(//h1)") == f"{YEAR} in travel"
        flights = doc.xpath("//dl[@class='figures']/div[dt='Flights']/dd/span[@class='value']/text()")
        assert flights == ["1"]
        assert len(doc.xpath("//*[local-name()='svg'][@role='img']")) == 4
        async with browser.http.get(worker.url + f"/year/{YEAR}/card.png") as response:
            assert response.content_type == "image/png"
            assert Image.open(io.BytesIO(await response.read())).size == (1200, 630)

        made = await browser.post_form(page_path, f"/year/{YEAR}/links", {})
        assert made.status == 303 and made.headers["Location"] == f"{page_path}#card"
        _, page = await browser.get(page_path)
        url = lxml_html.fromstring(page).get_element_by_id("new-link-url").value
        assert url.startswith(worker.url + "/y/")

        status, public = await stranger.get(url.removeprefix(worker.url))
        meta = Meta(public).meta
        assert status == 200 and meta["og:image"] == url + "/card.png" and meta["og:url"] == url
        assert owner["email"] not in public and "ABC123" not in public and "Ann" not in public
        async with stranger.http.get(meta["og:image"]) as response:
            assert response.status == 200 and response.content_type == "image/png"

        (link_id,) = re.findall(rf'action="/year/{YEAR}/links/(\w+)/revoke"', page)
        revoked = await browser.post_form(page_path, f"/year/{YEAR}/links/{link_id}/revoke", {})
        assert revoked.status == 303
        assert (await stranger.get(url.removeprefix(worker.url)))[0] == 404   # at once: no polling
        async with stranger.http.get(meta["og:image"]) as response:
            assert response.status == 404
    finally:
        await browser.close()
        await stranger.close()


def new_year(year: int, zone: str) -> datetime:
    """Half past midnight on 1 January of ``year`` in ``zone``, in UTC."""
    return datetime(year, 1, 1, 0, 30, tzinfo=ZoneInfo(zone)).astimezone(UTC)


async def test_on_new_year_in_the_travellers_zone_last_year_is_mailed_once(cluster, http, mailbox):
    cluster.extra_env.update({
        "ROADWARRIOR_SMTP_HOST": "127.0.0.1", "ROADWARRIOR_SMTP_PORT": str(mailbox.port),
        "ROADWARRIOR_SMTP_TLS": "none", "ROADWARRIOR_TRIPS_TEST_CLOCK": "1",
        "ROADWARRIOR_YEAR_SUMMARY_TICK_S": "0.5", "ROADWARRIOR_NOTIFY_TICK_S": "0.1"})
    worker = cluster.worker("w1").start()
    worker.wait_ready()
    api = Api(http, worker.url)
    ann = await api.sign_up_and_log_in("Ann")
    # The first zone to see the new year: its 1 January begins ten hours before London's.
    assert (await api.call("PATCH", "/api/v1/me", {"time_zone": "Pacific/Kiritimati", "locale": "de"}))[0] == 200
    status, prefs, _ = await api.call("PUT", "/api/v1/me/notification-preferences",
                                      {"year_summary": True, "quiet_hours": None})
    assert status == 200 and prefs["year_summary"] is True
    # Next year's flight, then the clock moved to the new year after it: right on any day, 1 January too.
    year = datetime.now(ZoneInfo("Pacific/Kiritimati")).year + 1
    status, created, _ = await api.call("POST", "/api/v1/reservations",
                                        flight(start=f"{year}-01-10T08:30", end=f"{year}-01-10T11:05"))
    assert status == 201, created

    status, moved, _ = await api.call("POST", "/api/v1/test-clock", {
        "advance_s": (new_year(year + 1, "Pacific/Kiritimati") - datetime.now(UTC)).total_seconds()})
    assert status == 200, moved
    await eventually(lambda: _arrived(mailbox, 1), timeout_s=60, interval_s=0.2)
    (message,) = mailbox.messages
    assert message["To"] == ann["email"] and message["Content-Language"] == "de"
    assert str(year) in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert f"/year/{year}" in text and "Flüge: 1" in text


async def _arrived(mailbox, count: int) -> bool:
    return len(mailbox.messages) >= count
