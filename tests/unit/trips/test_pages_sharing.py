"""The sharing pages rendered with hand-made data: a trip's links and people, "shared with me", a shared trip as
a viewer and an editor see it, the calendar page; user text stays text; the one-time link rides in a cookie."""

from __future__ import annotations

import re

from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from lxml import html as lxml_html

from domain.trips.intents import share_intents
from web.pages import environment
from web.sharing import flash
from web.sharing.pages import link_to_show

XSS = "<img src=x onerror=alert(1)>"
TRIP_ID, OWNER_ID = "a" * 32, "b" * 32
TRIP = {"id": TRIP_ID, "name": "Lisbon", "private": False, "start": "2026-12-01T08:30:00+01:00",
        "start_time_zone": "Europe/Lisbon", "end": "2026-12-04T18:00:00+00:00", "end_time_zone": "Europe/Lisbon"}
URL = f"https://rw.example/t/{OWNER_ID}.secret"


def render(template: str, **context) -> str:
    base = {"csrf_token": "CSRF", "signed_in": True, "profile": {"time_zone": "Europe/Berlin"}, "path": "/trips/x"}
    return environment("en").get_template(template).render(**{**base, **context})


def sharing(**more) -> dict:
    return {"links": [], "shares": [], "new_link": None, "form": None, "errors": {}, "values": {}, "message": None,
            "roles": ("viewer", "editor"), "expiries": ["1", "7", "30"], **more}


def text_of(page: str) -> str:
    return " ".join(lxml_html.fromstring(page).text_content().split())


def test_alink_to_show_is_shown_once_with_copy_web_share_and_every_intent():
    new_link = {"id": "1" * 32, "url": URL, "share": share_intents(URL, "Lisbon")}
    page = render("sharing/trip_sharing.html", trip=TRIP, sharing=sharing(new_link=new_link))
    doc = lxml_html.fromstring(page)
    assert doc.get_element_by_id("new-link-url").value == URL
    assert doc.xpath("//button[@data-copy]")[0].get("data-copy") == URL
    web_share = doc.xpath("//button[@data-web-share]")[0]
    assert web_share.get("data-web-share") == URL and web_share.get("hidden") is not None   # app.js reveals it
    hrefs = [a.get("href") for a in doc.xpath("//ul[@class='intents']//a")]
    assert hrefs == [share_intents(URL, "Lisbon")[n] for n in ("x", "facebook", "linkedin", "whatsapp", "telegram",
                                                                "email")]
    assert "shown only once" in text_of(page)
    without = render("sharing/trip_sharing.html", trip=TRIP, sharing=sharing())
    assert URL not in without and "data-copy" not in without


def test_links_and_people_are_listed_with_their_state_and_their_forms():
    links = [{"id": "1" * 32, "created_at": "2026-11-01T10:00:00Z", "expires_at": None, "revoked_at": None,
              "state": "active"},
             {"id": "2" * 32, "created_at": "2026-11-02T10:00:00Z", "expires_at": None,
              "revoked_at": "2026-11-03T10:00:00Z", "state": "revoked"}]
    shares = [{"id": "3" * 32, "email": "bob@example.com", "role": "editor", "status": "active",
               "created_at": "2026-11-01T10:00:00Z"}]
    page = render("sharing/trip_sharing.html", trip=TRIP, sharing=sharing(links=links, shares=shares))
    doc = lxml_html.fromstring(page)
    actions = [f.get("action") for f in doc.xpath("//form")]
    assert actions == [f"/trips/{TRIP_ID}/links", f"/trips/{TRIP_ID}/links/{'1' * 32}/revoke",
                       f"/trips/{TRIP_ID}/shares", f"/trips/{TRIP_ID}/shares/{'3' * 32}/withdraw"]
    assert all(f.xpath(".//input[@name='csrf_token']/@value") == ["CSRF"] for f in doc.xpath("//form"))
    assert all(f.xpath(".//input[@name='back']/@value") == ["/trips/x"] for f in doc.xpath("//form"))
    text = text_of(page)
    assert "works until revoked" in text and "revoked" in text and "bob@example.com" in text
    assert "Made Sun, Nov 1, 11:00 AM CET" in text   # in the traveller's zone
    for control in doc.xpath("//input[not(@type='hidden')] | //select"):
        assert doc.xpath(f"//label[@for='{control.get('id')}']"), control.get("name")


def test_a_refused_share_shows_the_apis_message_next_to_the_field_and_keeps_the_values():
    page = render("sharing/trip_sharing.html", trip=TRIP, sharing=sharing(
        form="share", errors={"email": "must be an e-mail address"}, values={"email": "nope", "role": "editor"},
        message="The request is not valid."))
    doc = lxml_html.fromstring(page)
    email = doc.get_element_by_id("f-share-email")
    assert email.get("aria-invalid") == "true" and email.value == "nope"
    assert doc.get_element_by_id("e-share-email").text_content() == "must be an e-mail address"
    assert doc.xpath("//select[@name='role']/option[@selected]/@value") == ["editor"]
    assert doc.xpath("//*[@role='alert']")[0].text_content() == "The request is not valid."


def test_a_private_trip_says_it_cannot_be_shared_and_offers_no_form():
    page = render("sharing/trip_sharing.html", trip={**TRIP, "private": True}, sharing=sharing())
    assert "cannot be shared" in text_of(page) and "<form" not in page


def test_user_text_on_the_sharing_section_and_shared_pages_stays_text():
    shares = [{"id": "3" * 32, "email": XSS, "role": "viewer", "status": "invited",
               "created_at": "2026-11-01T10:00:00Z"}]
    section = render("sharing/sharing_page.html", trip={**TRIP, "name": XSS}, sharing=sharing(shares=shares))
    listed = render("sharing/shared_list.html", trips=[{"owner_id": OWNER_ID, "trip_id": TRIP_ID, "role": "viewer",
                                                         "name": XSS, "start": None}])
    shared = render("sharing/shared_trip.html", **shared_context("editor", name=XSS, hotel=XSS))
    for page in (section, listed, shared):
        assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        assert XSS in text_of(page)


def shared_context(role: str, name: str = "Lisbon", hotel: str = "Hotel Avenida") -> dict:
    flight = {"id": "4" * 32, "type": "flight", "start": "2026-12-01T08:30:00+01:00",
              "start_time_zone": "Europe/Berlin", "end": "2026-12-01T10:45:00+00:00",
              "end_time_zone": "Europe/Lisbon", "confirmation": "ABC123",
              "flight": {"airline": "LH", "number": "1166", "from": "FRA", "to": "LIS"},
              "tracked": {"kind": "not-tracked"}, "day_mark": 0}
    stay = {"id": "5" * 32, "type": "hotel", "start": "2026-12-01T15:00:00+00:00", "start_time_zone": "Europe/Lisbon",
            "end": "2026-12-04T11:00:00+00:00", "end_time_zone": "Europe/Lisbon", "hotel": {"name": hotel},
            "tracked": {"kind": "not-tracked"}, "day_mark": 0}
    if role == "viewer":
        flight = {k: v for k, v in flight.items() if k != "confirmation"}
    return {"trip": {**TRIP, "name": name, "role": role, "reservations": [flight, stay]}, "owner_id": OWNER_ID,
            "feed": {"url": "https://rw.example/calendar/trips/x.ics", "webcal_url": "webcal://rw.example/calendar/trips/x.ics"},
            "form": None, "errors": {}, "values": {}, "message": None}


def test_a_viewer_reads_the_trip_in_local_times_without_codes_or_edit_forms():
    page = render("sharing/shared_trip.html", **shared_context("viewer"))
    text = text_of(page)
    assert "LH 1166" in text and "Tue, Dec 1, 8:30 AM CET" in text and "10:45 AM WET" in text
    assert "ABC123" not in page and "You can view" in text
    actions = lxml_html.fromstring(page).xpath("//main//form/@action")
    assert actions == [f"/shared/{OWNER_ID}/{TRIP_ID}/leave"]
    assert 'href="webcal://rw.example/calendar/trips/x.ics"' in page


def test_an_editor_gets_the_rename_and_add_a_flight_forms_with_labelled_fields():
    page = render("sharing/shared_trip.html", **shared_context("editor"))
    doc = lxml_html.fromstring(page)
    assert doc.xpath("//main//form/@action") == [f"/shared/{OWNER_ID}/{TRIP_ID}/rename",
                                           f"/shared/{OWNER_ID}/{TRIP_ID}/reservations",
                                           f"/shared/{OWNER_ID}/{TRIP_ID}/leave"]
    assert doc.get_element_by_id("f-name").value == "Lisbon"
    for name in ("airline", "number", "from", "to", "start", "end", "confirmation"):
        assert doc.xpath(f"//label[@for='f-{name}']"), name
    assert "Confirmation ABC123" in text_of(page)


def test_the_calendar_page_offers_subscribe_copy_and_a_confirmed_regenerate():
    feed = {"url": "https://rw.example/calendar/u.s.ics", "webcal_url": "webcal://rw.example/calendar/u.s.ics",
            "created_at": "2026-11-01T10:00:00Z"}
    doc = lxml_html.fromstring(render("sharing/calendar.html", feed=feed))
    assert doc.xpath("//a[text()='Subscribe']/@href") == [feed["webcal_url"]]
    assert doc.xpath("//button[@data-copy]/@data-copy") == [feed["url"]]
    form = doc.xpath("//form[@action='/calendar']")[0]
    assert form.get("data-confirm") and form.xpath(".//input[@name='csrf_token']")


async def test_the_flash_cookie_is_scoped_to_the_trip_read_once_and_cleared():
    response = web.Response(status=303)
    request = make_mocked_request("POST", f"/trips/{TRIP_ID}/links")
    flash.keep(request, response, TRIP_ID, {"new_link": {"id": "1", "url": URL}})
    cookie = response.headers["Set-Cookie"]
    assert f"Path=/trips/{TRIP_ID}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Max-Age=60" in cookie and "secret" not in cookie   # encoded, and never in the Location
    value = re.match(rf"{flash.NAME}=([^;]+)", cookie).group(1)
    page_request = make_mocked_request("GET", f"/trips/{TRIP_ID}", headers={"Cookie": f"{flash.NAME}={value}"})
    assert flash.take(page_request, TRIP_ID) == {"new_link": {"id": "1", "url": URL}}
    page = web.Response()
    await flash.on_prepare(page_request, page)
    assert "Max-Age=0" in page.headers["Set-Cookie"] and f"Path=/trips/{TRIP_ID}" in page.headers["Set-Cookie"]
    forged = make_mocked_request("GET", f"/trips/{TRIP_ID}", headers={"Cookie": f"{flash.NAME}=%%%"})
    assert flash.take(forged, TRIP_ID) == {}


async def test_a_link_url_from_the_cookie_that_is_not_ours_is_not_shown():
    request = make_mocked_request("GET", f"/trips/{TRIP_ID}", headers={"Host": "rw.example"})
    for made in ({"id": "1", "url": "javascript:alert(1)"}, {"id": "1", "url": "https://evil.example/t/x"},
                 {"id": "1", "url": "http://rw.example/calendar/x"}, {"id": "1"}, "text", None):
        assert await link_to_show(request, TRIP_ID, made) is None
