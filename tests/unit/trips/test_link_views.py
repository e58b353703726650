"""Public links over HTTP: made, listed and revoked by the trip's owner only, and the page and image they open
without a login, with the trip commands agent applying what the views send (test_context())."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from html.parser import HTMLParser

import orjson
import pytest
from PIL import Image
from yarl import URL

from agents.trips.apply_trip_commands import apply_trip_commands
from runtime.clock import trips_clock
from streams import topics
from tables.trips import trips
from tables.user_reservations import entry_key, user_reservations
from tests.unit.trips.itineraries import START, flight, rid, stay
from tests.unit.trips.serving import serving, set_clock
from tests.unit.trips.serving import signed_in as as_user

ANN, BOB = "a" * 32, "b" * 32
SECRETS = ("CONF-CODE-1", "SECRET PRICE", "Ann Traveller")
FLIGHT = {**flight(rid(1), "ZRH", "JFK", 0), "confirmation": SECRETS[0], "price": SECRETS[1],
          "travellers": [SECRETS[2]]}
HOTEL = {**stay(rid(2), 4, 48), "confirmation": SECRETS[0]}


@pytest.fixture
async def client(faust_app, sent, aiohttp_client, monkeypatch):
    """The web layer of a worker that owns every key, its trip commands agent applying what the views send,
    the trips' clock a day before Ann's trip."""
    set_clock(monkeypatch, START - timedelta(days=1))
    for reservation in (FLIGHT, HOTEL):
        user_reservations.data[entry_key(ANN, reservation["id"])] = reservation
    async with serving(faust_app, aiohttp_client, monkeypatch, {topics.trip_commands: [apply_trip_commands]}) as client:
        yield client


def signed_in(user_id: str = ANN) -> dict:
    return as_user(user_id)


async def call(client, method: str, path: str, body=None, user_id: str = ANN, **headers):
    response = await client.request(method, path, json=body, headers={**signed_in(user_id), **headers})
    payload = await response.read()
    return response.status, orjson.loads(payload) if payload else None


async def ann_trip(client, name: str = "Big Apple") -> str:
    status, trip = await call(client, "POST", "/api/v1/trips", {"name": name, "reservation_ids": [rid(1), rid(2)]})
    assert status == 201, trip
    return trip["id"]


async def new_link(client, trip_id: str, body=None, **headers) -> dict:
    status, link = await call(client, "POST", f"/api/v1/trips/{trip_id}/links", body or {}, **headers)
    assert status == 201, link
    return link


class Meta(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "meta" and (found.get("property") or found.get("name")):
            self.meta[found.get("property") or found["name"]] = found.get("content")


async def test_a_new_link_opens_the_public_page_and_its_image_without_a_login(client):
    trip_id = await ann_trip(client)
    link = await new_link(client, trip_id)
    host = f"{client.server.host}:{client.server.port}"
    path = URL(link["url"]).path
    assert link["url"] == f"http://{host}{path}" and path.startswith(f"/t/{ANN}.")
    assert set(link["share"]) == {"x", "facebook", "linkedin", "whatsapp", "telegram", "email"}
    assert "Big%20Apple" in link["share"]["x"] and link["state"] == "active" and link["expires_at"] is None
    page = await client.get(path)
    html = await page.text()
    assert page.status == 200 and page.content_type == "text/html"
    assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"
    meta = Meta(html).meta
    assert meta["og:title"] == "Big Apple" and meta["og:url"] == link["url"]
    assert meta["og:image"] == link["url"] + "/card.png" and "Hotel" in html and "JFK" in html
    assert not [secret for secret in SECRETS if secret in html]
    card = await client.get(path + "/card.png")
    assert card.status == 200 and card.content_type == "image/png"
    assert Image.open(io.BytesIO(await card.read())).size == (1200, 630)


async def test_behind_a_tls_proxy_the_links_are_https(client):
    trip_id = await ann_trip(client)
    link = await new_link(client, trip_id, **{"X-Forwarded-Proto": "https", "X-RoadWarrior-Base": "https://evil"})
    assert link["url"].startswith(f"https://{client.server.host}:") and "evil" not in repr(link)
    page = await client.get(URL(link["url"]).path, headers={"X-Forwarded-Proto": "https"})
    assert Meta(await page.text()).meta["og:image"] == link["url"] + "/card.png"


async def test_the_listing_shows_every_link_without_its_token(client):
    trip_id = await ann_trip(client)
    made = [await new_link(client, trip_id), await new_link(client, trip_id, {"expires_at": "2030-01-01T00:00:00Z"})]
    status, listed = await call(client, "GET", f"/api/v1/trips/{trip_id}/links")
    assert status == 200
    assert [item["id"] for item in listed["items"]] == [link["id"] for link in made]
    assert listed["items"][1]["expires_at"] == "2030-01-01T00:00:00Z"
    assert not [link for link in made if URL(link["url"]).path.split(".")[1] in repr(listed)]
    assert not [link for link in made if URL(link["url"]).path.split(".")[1] in repr(dict(trips.data))]


async def test_revoking_closes_the_link_at_once_and_leaves_the_others(client):
    trip_id = await ann_trip(client)
    gone, kept = await new_link(client, trip_id), await new_link(client, trip_id)
    status, _ = await call(client, "DELETE", f"/api/v1/trips/{trip_id}/links/{gone['id']}")
    assert status == 204
    page = await client.get(URL(gone["url"]).path)
    assert page.status == 404 and page.content_type == "application/problem+json"
    assert (await client.get(URL(gone["url"]).path + "/card.png")).status == 404
    assert (await client.get(URL(kept["url"]).path)).status == 200
    _, listed = await call(client, "GET", f"/api/v1/trips/{trip_id}/links")
    assert [item["state"] for item in listed["items"]] == ["revoked", "active"]


async def test_a_link_expires_by_the_trips_clock_and_a_past_expiry_is_refused(client):
    trip_id = await ann_trip(client)
    expires = trips_clock.now() + timedelta(hours=1)
    link = await new_link(client, trip_id, {"expires_at": expires.isoformat()})
    assert (await client.get(URL(link["url"]).path)).status == 200
    trips_clock.advance(3600)
    assert (await client.get(URL(link["url"]).path)).status == 404
    status, refused = await call(client, "POST", f"/api/v1/trips/{trip_id}/links", {"expires_at": expires.isoformat()})
    assert status == 422 and refused["errors"] == [{"field": "expires_at", "message": "must be in the future"}]


async def test_a_private_trip_refuses_links_and_its_links_open_nothing(client):
    trip_id = await ann_trip(client)
    link = await new_link(client, trip_id)
    status, _ = await call(client, "PATCH", f"/api/v1/trips/{trip_id}", {"private": True})
    assert status == 200
    assert (await client.get(URL(link["url"]).path)).status == 404
    status, refused = await call(client, "POST", f"/api/v1/trips/{trip_id}/links", {})
    assert status == 422 and refused["type"].endswith("/trip-private")


async def test_another_traveller_can_neither_make_nor_list_nor_revoke_links(client):
    trip_id = await ann_trip(client)
    link = await new_link(client, trip_id)
    for method, path in (("POST", f"/api/v1/trips/{trip_id}/links"), ("GET", f"/api/v1/trips/{trip_id}/links"),
                         ("DELETE", f"/api/v1/trips/{trip_id}/links/{link['id']}")):
        status, problem = await call(client, method, path, {} if method == "POST" else None, user_id=BOB)
        assert status == 404 and problem["type"].endswith("/not-found"), (method, path)
        assert (await client.request(method, path)).status == 401
    assert (await client.get(URL(link["url"]).path)).status == 200


async def test_unknown_malformed_and_other_owners_tokens_answer_404(client):
    trip_id = await ann_trip(client)
    secret = URL((await new_link(client, trip_id))["url"]).path.split(".")[1]
    for path in (f"/t/{BOB}.{secret}", f"/t/{ANN}.{'A' * 43}", f"/t/{secret}", "/t/short", f"/t/{ANN}.{secret}x"):
        response = await client.get(path)
        assert response.status == 404, path
        assert orjson.loads(await response.read())["type"].endswith("/trip-not-found")


async def test_guessing_is_slowed_down_with_429(client):
    for n in range(30):
        assert (await client.get(f"/t/{ANN}.{str(n).rjust(43, 'A')}")).status == 404
    trip_id = await ann_trip(client)
    link = await new_link(client, trip_id)
    blocked = await client.get(URL(link["url"]).path)
    assert blocked.status == 429 and int(blocked.headers["Retry-After"]) > 0


async def test_no_token_reaches_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    trip_id = await ann_trip(client)
    link = await new_link(client, trip_id)
    path = URL(link["url"]).path
    await client.get(path)
    await call(client, "DELETE", f"/api/v1/trips/{trip_id}/links/{link['id']}")
    await client.get(path)
    secret = path.split(".")[1]
    digest = trips[ANN]["trips"][trip_id]["links"][0]["digest"]
    assert not [r for r in caplog.records if secret in r.getMessage() or digest in r.getMessage()]
