"""The public page of a shared trip: escaped, without secrets, with its preview tags, times on local clocks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from aiohttp import web

from domain.trips.sharing import PUBLIC_DETAILS, new_link, public_view
from runtime.i18n import negotiate
from web.sharing.public_page import CONTENT_SECURITY_POLICY, SharedTrip, page_handler, render_public_trip

URL, IMAGE = "https://rw.example/t/tok", "https://rw.example/t/tok/card.png"
PAYLOAD = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&amp;"


class Page(HTMLParser):
    """The page as a browser reads it: its tags, its meta tags by name or property, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.meta: dict[str, str] = {}
        self.attributes: list[str] = []
        self.text: list[str] = []
        self.root: dict[str, str | None] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        found = dict(attrs)
        self.attributes.extend(value for value in found.values() if value)
        if tag == "html":
            self.root = found
        if tag == "meta" and (found.get("property") or found.get("name")):
            self.meta[found.get("property") or found["name"]] = found.get("content")

    def handle_data(self, data):
        self.text.append(data)


def flight(**more) -> dict:
    return {"id": "2" * 32, "type": "flight", "status": "confirmed", "start": "2025-07-01T10:00:00+02:00",
            "start_time_zone": "Europe/Paris", "end": "2025-07-01T12:30:00-04:00",
            "end_time_zone": "America/New_York",
            "flight": {"airline": "AF", "number": "22", "from": "CDG", "to": "JFK", "departure_terminal": "2E",
                       "departure_gate": "K41", "arrival_terminal": "1", "seat": "SEAT-12A"}, **more}


def hotel(**more) -> dict:
    return {"id": "1" * 32, "type": "hotel", "status": "cancelled", "start": "2025-07-01T15:00:00-04:00",
            "start_time_zone": "America/New_York", "end": "2025-07-03T11:00:00-04:00",
            "end_time_zone": "America/New_York",
            "hotel": {"name": "The Standard", "address": "ADDRESS-848 Washington St", "phone": "PHONE-+1 212"},
            **more}


def car(**more) -> dict:
    return {"id": "3" * 32, "type": "car", "status": "confirmed", "start": "2025-07-02T09:00:00-04:00",
            "start_time_zone": "America/New_York", "end": "2025-07-02T18:00:00-04:00",
            "end_time_zone": "America/New_York", "car": {"company": "Hertz"}, **more}


TRIP = {"id": "t" * 32, "owner_id": "o", "owner_email": "owner@example.com", "name": "New York",
        "start": "2025-07-01T10:00:00+02:00", "start_time_zone": "Europe/Paris", "end": "2025-07-03T11:00:00-04:00",
        "end_time_zone": "America/New_York", "shares": [{"user_id": "v", "email": "viewer@example.com"}],
        "links": [new_link("2025-06-01T00:00:00Z")[1]], "private": False}


def page(reservations: list[dict], language: str = "en", trip: dict = TRIP) -> str:
    return render_public_trip(public_view(trip, reservations), URL, IMAGE, language)


def test_an_xss_payload_in_every_text_field_comes_out_as_text():
    marked = {}

    def mark(field: str) -> str:
        marked[field] = f"{PAYLOAD}{field}"
        return marked[field]

    trip = {**TRIP, "name": mark("name")}
    reservations = []
    for maker in (flight, hotel, car):
        record = maker()
        kind = record["type"]
        record[kind] = {name: mark(f"{kind}.{name}") for name in PUBLIC_DETAILS[kind]}
        record["status"] = mark(f"{kind}.status")
        record["end_time_zone"] = PAYLOAD  # not a zone: the time keeps the offset it was written with
        reservations.append(record)
    html = page(reservations, trip=trip)
    read = Page(html)
    assert set(read.tags) <= {"html", "head", "meta", "title", "link", "body", "main", "header", "article", "h1",
                              "p", "ol", "li", "span", "strong", "dl", "dt", "dd", "footer"}
    assert "<script" not in html and "<img" not in html and "<style" not in html
    shown = "".join(read.text) + "".join(read.attributes)
    for field, value in marked.items():
        assert value in shown, field  # there, whole, as text
    assert read.meta["og:title"] == marked["name"]


def test_no_confirmation_price_email_or_other_secret_reaches_the_page():
    secrets = {"confirmation": "CONF-XY12Z", "price": "PRICE-420 EUR", "travellers": ["TRAVELLER Ada Lovelace"],
               "notes": "NOTE call owner@example.com", "provider": "PROVIDER-amadeus", "user_id": "USER-o"}
    reservations = [flight(**secrets), hotel(**secrets), car(**secrets)]
    html = page(reservations, trip={**TRIP, "notes": "NOTE trip", "price": "PRICE-1200"})
    for secret in ("CONF-XY12Z", "PRICE-", "TRAVELLER", "NOTE", "@example.com", "PROVIDER", "USER-o", "SEAT-",
                   "ADDRESS-", "PHONE-", "t" * 32, "2" * 32, TRIP["links"][0]["digest"]):
        assert secret not in html, secret


def test_open_graph_and_twitter_tags_are_there_and_absolute():
    read = Page(page([hotel(), flight()]))
    meta = read.meta
    assert meta["og:title"] == meta["twitter:title"] == "New York"
    assert meta["og:type"] == "website"
    assert meta["og:url"] == URL
    assert meta["og:image"] == meta["twitter:image"] == IMAGE
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:description"] == meta["twitter:description"] == meta["description"]
    assert "CDG → JFK" in meta["og:description"]
    assert meta["robots"] == "noindex"
    assert meta["viewport"].startswith("width=device-width")
    for name in ("og:url", "og:image", "twitter:image"):
        assert meta[name].startswith("https://")


@pytest.mark.parametrize("url, image", [("/t/tok", IMAGE), (URL, "card.png"), ("javascript:alert(1)", IMAGE)])
def test_a_relative_or_foreign_url_is_refused(url, image):
    with pytest.raises(ValueError):
        render_public_trip(public_view(TRIP, []), url, image, "en")


def test_reservations_in_time_order_with_local_times_zones_terminals_and_gates():
    html = page([hotel(), car(), flight()])
    text = "".join(Page(html).text)
    assert text.index("CDG → JFK") < text.index("The Standard") < text.index("Hertz")  # by start, not as given
    assert "AF 22" in text
    # Times as every page of the app writes them (web.pages.local_time), each on its place's clocks.
    assert "Tue, Jul 1, 12:30\u202fPM EDT, Terminal 1" in text  # arrival on New York's clocks
    assert "Tue, Jul 1, 10:00\u202fAM CEST, Terminal 2E, Gate K41" in text
    assert "Check-in" in text and "Pick-up" in text
    assert re.search(r'<li class="item item-hotel is-cancelled">.*?<p class="status status-cancelled">cancelled</p>',
                     html, re.S)


def test_the_page_speaks_the_travellers_language():
    german = Page(page([flight()], "de-DE"))
    assert german.root["lang"] == "de-DE"
    assert "Abflug" in "".join(german.text) and "Juli, 10:00 MESZ" in "".join(german.text)
    japanese = Page(page([flight()], "ja"))
    assert japanese.root["lang"] == "ja"
    assert "出発" in "".join(japanese.text)
    assert Page(page([flight()], "xx")).root["lang"] == "en"


def test_a_trip_without_a_name_gets_the_generic_word():
    assert Page(page([], "fr", {**TRIP, "name": None})).meta["og:title"] == "Voyage"


@pytest.mark.parametrize("header, language", [
    ("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5", "fr-CH"),
    ("zh-CN,zh;q=0.9,ja;q=0.8,en;q=0.7", "ja"),
    ("en;q=0.2, pt-BR;q=0.9", "pt-BR"),
    ("de;q=0, es", "es"),
    ("ja;q=0", "en"),
    ("*", "en"),
    ("q=1;;,,", "en"),
    ("es;q=abc, de", "de"),
    ("", "en"),
    (None, "en"),
])
def test_the_language_comes_from_accept_language_among_the_six(header, language):
    assert negotiate(header) == language


async def test_the_handler_serves_the_page_with_its_policy_and_404_for_no_trip(aiohttp_client):
    async def find(request: web.Request) -> SharedTrip | None:
        if request.match_info["token"] != "tok":
            return None
        return SharedTrip(public_view(TRIP, [flight()]), URL, IMAGE)

    app = web.Application()
    app.router.add_get("/t/{token}", page_handler(find))
    client = await aiohttp_client(app)
    response = await client.get("/t/tok", headers={"Accept-Language": "pt-BR,pt;q=0.9"})
    assert response.status == 200
    assert response.content_type == "text/html"
    assert response.headers["Content-Language"] == "pt-BR"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    html = await response.text()
    # The app's stylesheet, which the policy lets in; no script at all.
    assert re.search(r'<link rel="stylesheet" href="/static/app\.css\?v=[0-9a-f]{12}">', html)
    assert "style-src 'self'" in CONTENT_SECURITY_POLICY and "script-src" not in CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "Partida" in html

    missing = await client.get("/t/guess")
    assert missing.status == 404
    assert missing.content_type == "application/problem+json"
    assert missing.headers["Cache-Control"] == "no-store"
