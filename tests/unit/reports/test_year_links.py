"""A year's card shared by link, over HTTP: made and revoked by its traveller only, opened by anyone with the
link (page and PNG), nothing personal on it; the year cards agent applies what the views send."""

from __future__ import annotations

import io

import orjson
import pytest
from PIL import Image

import web.reports.public as public
from agents.reports.apply_year_card_commands import apply_year_card_commands
from streams import topics
from tests.unit.reports.summaries import summary
from tests.unit.trips.serving import serving, signed_in

ANN, BOB = "a" * 32, "b" * 32


@pytest.fixture
async def client(faust_app, sent, aiohttp_client, monkeypatch):
    async def owner_is_here(request, table_name, key, headers=None):
        return None

    monkeypatch.setattr(public, "forward_to_owner", owner_is_here)
    monkeypatch.setattr(public, "summary_of", lambda user_id, year, now: summary(year))
    async with serving(faust_app, aiohttp_client, monkeypatch,
                       {topics.year_card_commands: [apply_year_card_commands]}) as client:
        yield client


async def call(client, method: str, path: str, user_id: str = ANN):
    response = await client.request(method, path, headers=signed_in(user_id))
    payload = await response.read()
    return response.status, orjson.loads(payload) if payload else None


async def opened(client, url: str):
    response = await client.get("/" + url.split("://", 1)[1].split("/", 1)[1])   # no login
    return response.status, response.content_type, await response.read()


async def test_a_link_opens_the_years_page_and_card_until_revoked(client):
    status, link = await call(client, "POST", "/api/v1/me/summary/2026/links")
    assert status == 201 and link["state"] == "active" and link["year"] == 2026
    token = link["url"].rsplit("/y/", 1)[1]
    user_id, secret = token.split(".")
    assert user_id == ANN and len(secret) >= 43   # 256 bits, base64url
    status, kind, page = await opened(client, link["url"])
    text = page.decode()
    assert status == 200 and kind == "text/html"
    assert f'<meta property="og:image" content="{link["url"]}/card.png">' in text
    assert "2026 in travel" in text and "Tokyo" not in text and "Frankfurt" not in text
    status, kind, png = await opened(client, link["image_url"])
    assert status == 200 and kind == "image/png" and Image.open(io.BytesIO(png)).size == (1200, 630)

    status, listed = await call(client, "GET", "/api/v1/me/summary/2026/links")
    assert [item["id"] for item in listed["items"]] == [link["id"]] and secret not in repr(listed)
    assert (await call(client, "DELETE", f"/api/v1/me/summary/2026/links/{link['id']}", BOB))[0] == 404
    assert (await call(client, "DELETE", f"/api/v1/me/summary/2025/links/{link['id']}"))[0] == 404
    assert (await call(client, "DELETE", f"/api/v1/me/summary/2026/links/{link['id']}"))[0] == 204
    assert (await opened(client, link["url"]))[0] == 404
    assert (await opened(client, link["image_url"]))[0] == 404
    status, listed = await call(client, "GET", "/api/v1/me/summary/2026/links")
    assert listed["items"][0]["state"] == "revoked"


async def test_a_guessed_or_malformed_token_opens_nothing(client):
    status, link = await call(client, "POST", "/api/v1/me/summary/2026/links")
    assert status == 201
    guessed = link["url"][:-4] + ("AAAA" if not link["url"].endswith("AAAA") else "BBBB")
    assert (await opened(client, guessed))[0] == 404
    assert (await client.get(f"/y/{ANN}.short")).status == 404


async def test_a_year_that_is_not_one_is_404_and_the_links_are_the_travellers_own(client):
    assert (await call(client, "POST", "/api/v1/me/summary/99999/links"))[0] == 404
    assert (await call(client, "POST", "/api/v1/me/summary/2199/links"))[0] == 404   # not begun
    assert (await call(client, "GET", "/api/v1/me/summary/abc/links"))[0] == 404
    await call(client, "POST", "/api/v1/me/summary/2026/links")
    status, listed = await call(client, "GET", "/api/v1/me/summary/2026/links", BOB)
    assert status == 200 and listed["items"] == []
