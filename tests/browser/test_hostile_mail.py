"""A booking that arrives by e-mail with script and markup in its hotel's name, address and phone and in the
traveller's name renders as text on the dashboard, the reservation and trip pages and the public page: the mail
comes through a real IMAP server (Dovecot) that the worker polls, as a traveller's confirmation mail would."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from playwright.async_api import Page, expect

from tests.browser.journey import seen, sign_up, trip_on_dashboard
from tests.browser.test_hostile_names import no_markup_made, watched
from tests.integration.conftest import TRIP_DAY
from tests.integration.test_email_discovery import mail_env
from tests.unit.mail.fixtures import dovecot_server

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]
HOTEL = "<img src=x onerror=alert(1)>"
STREET = "</title><script>alert(2)</script>"
TRAVELLER = "<script>alert(3)</script>"
PHONE = '"><svg onload=alert(4)>'
PAYLOADS = (HOTEL, STREET, TRAVELLER, PHONE)
SENDER = "hotel-mail.example"
CHECK_IN = datetime.fromisoformat(f"{TRIP_DAY}T15:00:00+01:00")   # Paris in December


def hostile_mail() -> bytes:
    """A hotel's confirmation with schema.org JSON-LD whose text fields are attacks. ``<`` is written ``\\u003c``
    in the JSON, as a sender must to keep ``</script>`` from closing the markup's own script element."""
    booking = {
        "@context": "http://schema.org", "@type": "LodgingReservation", "reservationNumber": "HXMAIL1",
        "reservationStatus": "http://schema.org/Confirmed", "underName": {"@type": "Person", "name": TRAVELLER},
        "reservationFor": {"@type": "LodgingBusiness", "name": HOTEL, "telephone": PHONE, "address": {
            "@type": "PostalAddress", "streetAddress": STREET, "addressLocality": "Paris", "addressCountry": "FR"}},
        "checkinTime": CHECK_IN.isoformat(), "checkoutTime": (CHECK_IN + timedelta(hours=8)).isoformat()}
    markup = json.dumps(booking).replace("<", "\\u003c")
    html = (f'<html><head><script type="application/ld+json">{markup}</script></head>'
            f"<body><p>Your stay is booked.</p></body></html>")
    return (f"From: The Hotel <bookings@{SENDER}>\r\nTo: ann@example.com\r\nSubject: Your booking\r\n"
            f"Message-ID: <hostile@{SENDER}>\r\nDate: {format_datetime(datetime.now(UTC))}\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n").encode()


@pytest.fixture
def dovecot():
    with dovecot_server(mailboxes=1) as server:
        yield server


@pytest.fixture
def mail_worker(cluster, dovecot):
    """A worker that polls mailboxes every few seconds and trusts the test's Dovecot certificate."""
    worker = cluster.worker("w1", ROADWARRIOR_REQUEST_TIMEOUT_S="20",
                            **mail_env(ROADWARRIOR_MAIL_CA_FILE=str(dovecot.root / "cert.pem"))).start()
    worker.wait_ready()
    return worker


async def connect_mailbox(page: Page, shot, base: str, dovecot) -> None:
    """The sender allowed and the IMAP mailbox connected on the mailbox settings page."""
    user, password = dovecot.users[0]
    await page.goto(base + "/settings/mailboxes")
    await page.get_by_label("Also read mail from").fill(SENDER)
    await page.get_by_role("button", name="Save senders").click()
    await expect(page.get_by_label("Also read mail from")).to_have_value(SENDER)
    await page.get_by_label("User name").fill(user)
    await page.get_by_label("App password").fill(password)
    await page.get_by_label("IMAP server").fill(dovecot.host)
    await page.get_by_label("Port").fill(str(dovecot.port))
    await page.get_by_role("button", name="Connect", exact=True).click()
    await expect(page.get_by_text(user).first).to_be_visible()
    await seen(page, shot, "mailbox connected")


async def all_text(page: Page) -> None:
    """Nothing of the mail became an element, and the page as the server sent it has every payload escaped
    (the DOM's own serialisation would show ``<`` inside attributes raw, so the sent markup is read again)."""
    await no_markup_made(page)
    await expect(page.locator("svg, script:not([src])")).to_have_count(0)
    sent = await (await page.request.get(page.url)).text()
    assert not any(payload in sent for payload in PAYLOADS)


async def test_a_hostile_booking_found_in_mail_renders_as_text_everywhere(mail_worker, dovecot, context, browser,
                                                                         shot):
    base = mail_worker.url
    page = await context.new_page()
    dialogs = watched(page)
    await sign_up(page, shot, base)
    await connect_mailbox(page, shot, base, dovecot)
    user, password = dovecot.users[0]
    dovecot.deliver(user, password, hostile_mail())

    card = await trip_on_dashboard(page, base, holding=HOTEL)   # reloaded until the poll found it
    await all_text(page)
    await seen(page, shot, "dashboard")

    await card.get_by_role("link", name=HOTEL).click()
    await expect(page.get_by_role("heading", level=1, name=HOTEL)).to_be_visible()
    await expect(page.get_by_text(f"{STREET}, Paris, FR")).to_be_visible()   # the address, as text
    await all_text(page)
    await seen(page, shot, "reservation page")

    await page.goto(base + "/")
    await card.get_by_role("heading", level=2).get_by_role("link").click()
    await expect(page.get_by_role("link", name=HOTEL)).to_be_visible()
    await all_text(page)
    await seen(page, shot, "trip page")
    await page.get_by_role("button", name="Make a public link").click()
    url = await page.get_by_label("Your new link (copy it now: it is shown only once)").input_value()
    await all_text(page)
    assert dialogs == []

    stranger = await browser.new_context()
    try:
        public = await stranger.new_page()
        strangers_dialogs = watched(public)
        response = await public.goto(url)
        assert response.status == 200
        sent = await response.text()
        assert not any(payload in sent for payload in PAYLOADS)   # escaped in the markup sent, head included
        await expect(public.get_by_role("listitem")).to_contain_text(HOTEL)
        for tag in ('meta[property="og:title"]', 'meta[property="og:description"]', 'meta[name="twitter:title"]'):
            assert "<" not in await public.locator(tag).get_attribute("content"), tag
        await all_text(public)
        await seen(public, shot, "public page")
        assert strangers_dialogs == []
    finally:
        await stranger.close()

