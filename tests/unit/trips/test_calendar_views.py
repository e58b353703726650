"""The feed URL views and the feed itself over HTTP, with the feeds agent applying the commands (test_context())."""

from __future__ import annotations

import logging

import icalendar
import orjson
import pytest
from yarl import URL

from agents.trips.apply_feed_commands import apply_feed_commands
from domain.reservations.fields import check
from domain.trips.book import empty_book, settle
from domain.trips.commands import apply
from streams import topics
from tables.calendar_feeds import calendar_feeds
from tables.trips import trips
from tables.user_reservations import entry_key, user_reservations
from tests.unit.trips.itineraries import START, flight, rid
from tests.unit.trips.serving import serving
from tests.unit.trips.serving import signed_in as as_user

ANN, BOB = "a" * 32, "b" * 32


def reservation(rid: str, **fields) -> dict:
    return {"id": rid, "version": 2, "created_at": "2027-02-01T10:00:00Z", "updated_at": "2027-02-02T10:00:00Z",
            **check(fields)}


FLIGHT = reservation("r1", type="flight", confirmation="ABC123", start="2027-06-01T08:30", end="2027-06-01T11:05",
                     flight={"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"})
HOTEL = reservation("h1", type="hotel", start="2027-06-01T15:00", end="2027-06-04T11:00",
                    start_time_zone="America/New_York", hotel={"name": "The Jane"})


@pytest.fixture
async def client(faust_app, sent, aiohttp_client, monkeypatch):
    """The web layer of a worker that owns every key, its feeds agent applying what the views send."""
    async with serving(faust_app, aiohttp_client, monkeypatch,
                       {topics.calendar_feed_commands: [apply_feed_commands]}) as client:
        yield client


def signed_in(user_id: str = ANN) -> dict:
    return as_user(user_id)


async def urls(client, method: str = "GET", path: str = "/api/v1/me/calendar", **headers) -> dict:
    response = await client.request(method, path, headers={**signed_in(), **headers})
    assert response.status == 200, await response.text()
    return await response.json()


def feed_path(url: str) -> str:
    return URL(url).path


async def test_the_feed_url_is_made_once_and_shown_again(client):
    first, again = await urls(client), await urls(client)
    assert first == again
    host = f"{client.server.host}:{client.server.port}"
    path = feed_path(first["url"])
    assert first["url"] == f"http://{host}{path}" and first["webcal_url"] == f"webcal://{host}{path}"
    user_id, secret = path.removeprefix("/calendar/").removesuffix(".ics").split(".")
    assert user_id == ANN and len(secret) == 43
    assert secret not in repr(dict(calendar_feeds.data))   # kept as a digest, and sealed


async def test_behind_a_tls_proxy_the_url_is_https_and_a_client_cannot_set_the_base(client):
    shown = await urls(client, **{"X-Forwarded-Proto": "https", "X-RoadWarrior-Base": "https://evil.example"})
    assert shown["url"].startswith(f"https://{client.server.host}:") and "evil" not in shown["webcal_url"]


async def test_the_feed_holds_the_users_reservations_in_their_zones(client):
    for key, entry in ((entry_key(ANN, "r1"), FLIGHT), (entry_key(ANN, "h1"), HOTEL),
                       (entry_key(ANN, "r0"), {"version": 3, "deleted": True}),
                       (entry_key(BOB, "r2"), {**FLIGHT, "id": "r2"})):
        user_reservations.data[key] = entry
    response = await client.get(feed_path((await urls(client))["url"]))
    assert response.status == 200 and response.content_type == "text/calendar" and response.charset == "utf-8"
    calendar = icalendar.Calendar.from_ical(await response.read())
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert sorted(found) == ["h1@roadwarrior.example", "r1@roadwarrior.example"]
    flight = found["r1@roadwarrior.example"]
    assert (flight["DTSTART"].params["TZID"], flight["DTEND"].params["TZID"]) == ("Europe/Berlin", "America/New_York")
    assert "ABC123" in str(flight["DESCRIPTION"])   # the owner's own feed keeps the confirmation code


async def test_regenerating_closes_the_old_url_at_once(client):
    old = feed_path((await urls(client))["url"])
    new = feed_path((await urls(client, "POST", "/api/v1/me/calendar/regenerate"))["url"])
    assert new != old
    gone = await client.get(old)
    assert gone.status == 404 and gone.content_type == "application/problem+json"
    assert (await client.get(new)).status == 200
    assert feed_path((await urls(client))["url"]) == new


async def test_unknown_malformed_and_other_users_tokens_answer_404(client):
    bobs = feed_path((await urls(client, **signed_in(BOB)))["url"])
    anns = feed_path((await urls(client))["url"])
    assert bobs != anns and (await client.get(bobs)).status == 200
    secret = anns.removesuffix(".ics").split(".")[1]
    for path in (f"/calendar/{BOB}.{secret}.ics", f"/calendar/{ANN}.{'A' * 43}.ics", f"/calendar/{secret}.ics",
                 "/calendar/short.ics", f"/calendar/{ANN}.{'%2F' * 43}.ics"):
        response = await client.get(path)
        assert response.status == 404, path
        assert orjson.loads(await response.read())["type"].endswith("/not-found")


async def test_the_urls_need_a_login_and_the_feed_does_not(client):
    assert (await client.get("/api/v1/me/calendar")).status == 401
    assert (await client.post("/api/v1/me/calendar/regenerate")).status == 401


async def test_no_token_reaches_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    path = feed_path((await urls(client))["url"])
    await client.get(path)
    await urls(client, "POST", "/api/v1/me/calendar/regenerate")
    await client.get(path)
    secret = path.removesuffix(".ics").split(".")[1]
    assert not [r for r in caplog.records if secret in r.getMessage()]


async def test_each_event_of_the_owners_feed_names_its_trip(client):
    """The trips are the book the trips agent keeps (here settled by its pure rules): one renamed, one named
    after its destination, and a reservation in no trip, which gets no trip line."""
    out, back, paris = (flight(rid(1), "ZRH", "JFK", 0), flight(rid(3), "JFK", "ZRH", 20),
                        flight(rid(4), "ZRH", "CDG", 24 * 10))
    for entry in (out, back, paris):
        user_reservations.data[entry_key(ANN, entry["id"])] = entry
    book, _ = settle(empty_book(ANN), empty_book(ANN), [out, back, paris], START, "2025-01-01T00:00:00Z")
    new_york = next(trip_id for trip_id, trip in book["trips"].items() if rid(1) in trip["reservations"])
    renamed = apply(book, [out, back, paris], {"command_id": "c1", "kind": "update", "user_id": ANN,
                                               "data": {"trip_id": new_york, "name": "Conference"},
                                               "issued_at": "2025-01-01T00:00:01Z"}, START)
    removed = apply(renamed.book, [out, back, paris], {
        "command_id": "c2", "kind": "remove-reservation", "user_id": ANN,
        "data": {"trip_id": new_york, "reservation_id": rid(3)}, "issued_at": "2025-01-01T00:00:02Z"}, START)
    assert removed.reply["ok"], removed.reply
    trips.data[ANN] = removed.book
    response = await client.get(feed_path((await urls(client))["url"]))
    events = {str(e["UID"]).split("@")[0]: str(e.get("DESCRIPTION", "")) for e in
              icalendar.Calendar.from_ical(await response.read()).walk("VEVENT")}
    assert events[rid(1)].splitlines()[0] == "Trip: Conference"
    assert events[rid(4)].splitlines()[0] == "Trip: Paris"
    assert "Trip:" not in events[rid(3)]
