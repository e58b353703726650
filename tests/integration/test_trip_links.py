"""Public trip links on a real broker and worker: a link opens the trip's page and image without a login and
without its secrets, only the owner manages links, and a revoked or expired link answers 404 at once."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from PIL import Image

from tests.integration.conftest import TRIP_DAY, Api, eventually, flight

pytestmark = pytest.mark.integration
HOTEL = {"type": "hotel", "confirmation": "HX-1", "start": f"{TRIP_DAY}T15:00",
         "end": (datetime.fromisoformat(TRIP_DAY) + timedelta(days=3)).date().isoformat() + "T11:00",
         "start_time_zone": "America/New_York", "hotel": {"name": "The Jane"}}


class Meta(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "meta" and found.get("property"):
            self.meta[found["property"]] = found.get("content")


@pytest.fixture
def clocked_worker(cluster):
    one = cluster.worker("w1", ROADWARRIOR_TRIPS_TEST_CLOCK="1").start()
    one.wait_ready()
    return one


async def a_trip(api: Api) -> dict:
    for body in (flight(), HOTEL):
        status, created, _ = await api.call("POST", "/api/v1/reservations", body)
        assert status == 201, created

    async def grouped():
        status, page, _ = await api.call("GET", "/api/v1/trips")
        assert status == 200, page
        return next((t for t in page["items"] if len(t["reservation_ids"]) == 2), None)

    return await eventually(grouped)


async def get(http, url: str):
    async with http.get(url) as response:   # no login: the link is the credential
        return response.status, response.content_type, await response.read()


async def test_a_link_opens_the_trip_to_anyone_until_revoked_or_expired(clocked_worker, http):
    ann, bob = Api(http, clocked_worker.url), Api(http, clocked_worker.url)
    await ann.sign_up_and_log_in("Ann")
    await bob.sign_up_and_log_in("Bob")
    trip = await a_trip(ann)
    links = f"/api/v1/trips/{trip['id']}/links"

    status, link, headers = await ann.call("POST", links, {})
    assert status == 201, link
    assert link["url"].startswith(f"{clocked_worker.url}/t/") and set(link["share"]) >= {"x", "email"}
    status, kind, body = await get(http, link["url"])
    html = body.decode()
    assert status == 200 and kind == "text/html"
    meta = Meta(html).meta
    assert meta["og:title"] == trip["name"] == "New York" and meta["og:url"] == link["url"]
    assert meta["og:image"] == link["url"] + "/card.png" and "The Jane" in html
    assert "ABC123" not in html and "HX-1" not in html and "Ann Traveller" not in html
    status, kind, png = await get(http, meta["og:image"])
    assert status == 200 and kind == "image/png" and Image.open(io.BytesIO(png)).format == "PNG"

    for method, path in (("POST", links), ("GET", links), ("DELETE", f"{links}/{link['id']}")):
        status, problem, _ = await bob.call(method, path, {} if method == "POST" else None)
        assert status == 404, (method, path, problem)
    status, listed, _ = await ann.call("GET", links)
    assert status == 200 and [item["id"] for item in listed["items"]] == [link["id"]]
    assert link["url"].rsplit(".", 1)[1] not in repr(listed)

    status, _, _ = await ann.call("DELETE", f"{links}/{link['id']}")
    assert status == 204
    assert (await get(http, link["url"]))[0] == 404   # at once: no polling
    assert (await get(http, meta["og:image"]))[0] == 404


async def test_a_link_expires_on_the_trips_clock_and_cannot_be_made_already_expired(clocked_worker, http):
    ann = Api(http, clocked_worker.url)
    await ann.sign_up_and_log_in("Ann")
    trip = await a_trip(ann)
    links = f"/api/v1/trips/{trip['id']}/links"
    in_an_hour = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    status, link, _ = await ann.call("POST", links, {"expires_at": in_an_hour})
    assert status == 201, link
    assert (await get(http, link["url"]))[0] == 200
    status, moved, _ = await ann.call("POST", "/api/v1/test-clock", {"advance_s": 3601})
    assert status == 200, moved
    assert (await get(http, link["url"]))[0] == 404
    status, refused, _ = await ann.call("POST", links, {"expires_at": in_an_hour})
    assert status == 422 and refused["errors"][0]["field"] == "expires_at"
    status, refused, _ = await ann.call("PATCH", f"/api/v1/trips/{trip['id']}", {"private": True})
    assert status == 200
    status, refused, _ = await ann.call("POST", links, {})
    assert status == 422 and refused["type"].endswith("/trip-private")


async def test_a_link_works_through_either_worker_in_one_hop(cluster, http):
    first, second = cluster.worker("w1").start(), cluster.worker("w2").start()
    first.wait_ready()
    second.wait_ready()

    async def both_own_partitions():
        async with http.get(first.url + "/router/") as response:
            router = await response.json()
        return len([url for url in router if router[url]]) == 2 and second.health()[0] == 200

    await eventually(both_own_partitions, timeout_s=60, interval_s=0.5)
    ann = Api(http, first.url)
    await ann.sign_up_and_log_in("Ann")
    trip = await a_trip(ann)
    links = f"/api/v1/trips/{trip['id']}/links"
    made = {}
    for worker in (first, second):   # one of them owns Ann's trips, the other forwards
        status, link, _ = await ann.call("POST", links, {}, base=worker.url)
        assert status == 201 and link["url"].startswith(worker.url + "/t/"), link
        made[worker.url] = link
    for worker in (first, second):
        for link in made.values():
            path = "/t/" + link["url"].split("/t/", 1)[1]
            async with http.get(worker.url + path) as response:
                html = await response.text()
                assert response.status == 200 and response.headers["Referrer-Policy"] == "no-referrer"
            assert Meta(html).meta["og:url"] == worker.url + path   # the host the reader used, not the owner's
    status, _, _ = await ann.call("DELETE", f"{links}/{made[first.url]['id']}", base=second.url)
    assert status == 204
    for worker in (first, second):
        assert (await get(http, worker.url + "/t/" + made[first.url]["url"].split("/t/", 1)[1]))[0] == 404
