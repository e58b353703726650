"""Who may do what to a trip, over HTTP: every trip, share, link and calendar route against every role, each
answering exactly what the role allows, with the real agents applying what the views send (test_context()).

One table, read a row at a time: the route, then what each role gets (its status, and what of the owner's trip
the answer shows). Every cell runs against a fresh world: Ann's trip shared with an editor and a viewer, with
a working, an expired and a revoked public link, and her calendar feed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote

import pytest
from yarl import URL

from agents.reservations.apply_reservation_commands import apply_reservation_commands
from agents.reservations.index_user_reservations import index_user_reservations
from agents.trips.apply_feed_commands import apply_feed_commands
from agents.trips.apply_trip_commands import apply_trip_commands
from agents.trips.index_shared_trips import index_shared_trips
from agents.trips.resolve_share_addresses import resolve_share_addresses
from runtime.clock import trips_clock
from streams import topics
from tables.logins import logins
from tables.reservations import reservations
from tables.user_reservations import entry_key, user_reservations
from tests.unit.trips.itineraries import START, flight, rid, stay
from tests.unit.trips.serving import serving, set_clock, signed_in

ANN, EDITOR, VIEWER, STRANGER = "a" * 32, "e" * 32, "7" * 32, "5" * 32
NAME = "Big Apple"
SECRETS = ("CONF-CODE-1", "SECRET PRICE", "Ann Traveller", "ann@example.com")
FLIGHT = {**flight(rid(1), "ZRH", "JFK", 0), "confirmation": SECRETS[0], "price": SECRETS[1],
          "travellers": [SECRETS[2]], "notes": f"write to {SECRETS[3]}"}
HOTEL = {**stay(rid(2), 4, 48), "confirmation": SECRETS[0]}
BACK = flight(rid(3), "JFK", "ZRH", 60)

ROLES = ("owner", "editor", "viewer", "stranger", "link", "expired", "revoked")
_PEOPLE = {"owner": ANN, "editor": EDITOR, "viewer": VIEWER, "stranger": STRANGER}   # the roles that sign in
# status, then what of Ann's trip the answer must show: "all" (its name and booking secrets), "trip" (its
# name, no booking secret), "secrets" (booking secrets, not its name: a trip split off it); else nothing of it.
MATRIX = {
    ("GET", "/api/v1/trips"): ("200 all", "200", "200", "200", "401", "401", "401"),
    ("POST", "/api/v1/trips"): ("201", "201", "201", "201", "401", "401", "401"),
    ("GET", "/api/v1/trips/{trip}"): ("200 all", "404", "404", "404", "401", "401", "401"),
    ("PATCH", "/api/v1/trips/{trip}"): ("200 all", "404", "404", "404", "401", "401", "401"),
    ("DELETE", "/api/v1/trips/{trip}"): ("204", "404", "404", "404", "401", "401", "401"),
    ("POST", "/api/v1/trips/{trip}/reservations"): ("200 all", "404", "404", "404", "401", "401", "401"),
    ("DELETE", "/api/v1/trips/{trip}/reservations/{out}"): ("200 all", "404", "404", "404", "401", "401", "401"),
    ("POST", "/api/v1/trips/{trip}/merge"): ("200 all", "404", "404", "404", "401", "401", "401"),
    ("POST", "/api/v1/trips/{trip}/split"): ("201 secrets", "404", "404", "404", "401", "401", "401"),
    ("POST", "/api/v1/trips/{trip}/links"): ("201 trip", "404", "404", "404", "401", "401", "401"),
    ("GET", "/api/v1/trips/{trip}/links"): ("200", "404", "404", "404", "401", "401", "401"),
    ("DELETE", "/api/v1/trips/{trip}/links/{link}"): ("204", "404", "404", "404", "401", "401", "401"),
    ("POST", "/api/v1/trips/{trip}/shares"): ("201", "404", "404", "404", "401", "401", "401"),
    ("GET", "/api/v1/trips/{trip}/shares"): ("200", "404", "404", "404", "401", "401", "401"),
    ("DELETE", "/api/v1/trips/{trip}/shares/{share}"): ("204", "404", "404", "404", "401", "401", "401"),
    # shared-with-me lists the names and dates of what is shared with the caller
    ("GET", "/api/v1/shared-trips"): ("200", "200 trip", "200 trip", "200", "401", "401", "401"),
    ("GET", "/api/v1/shared-trips/{owner}/{trip}"): ("200 all", "200 all", "200 trip", "404", "401", "401", "401"),
    ("PATCH", "/api/v1/shared-trips/{owner}/{trip}"): ("200 all", "200 all", "403", "404", "401", "401", "401"),
    ("DELETE", "/api/v1/shared-trips/{owner}/{trip}"): ("404", "204", "204", "404", "401", "401", "401"),
    # Ann's other trip, shared with nobody: a share of one trip gives nothing on the owner's others.
    ("GET", "/api/v1/shared-trips/{owner}/{other}"): ("200", "404", "404", "404", "401", "401", "401"),
    ("PATCH", "/api/v1/shared-trips/{owner}/{other}"): ("200 trip", "404", "404", "404", "401", "401", "401"),
    ("DELETE", "/api/v1/shared-trips/{owner}/{other}"): ("404", "404", "404", "404", "401", "401", "401"),
    # An editor adds, changes and deletes the trip's reservations (the owner's), never one of another trip.
    ("POST", "/api/v1/shared-trips/{owner}/{trip}/reservations"): ("201", "201", "403", "404", "401", "401", "401"),
    ("PATCH", "/api/v1/shared-trips/{owner}/{trip}/reservations/{out}"): (
        "202", "202", "403", "404", "401", "401", "401"),
    ("DELETE", "/api/v1/shared-trips/{owner}/{trip}/reservations/{out}"): (
        "202", "202", "403", "404", "401", "401", "401"),
    ("DELETE", "/api/v1/shared-trips/{owner}/{other}/reservations/{back}"): (
        "202", "404", "404", "404", "401", "401", "401"),
    ("DELETE", "/api/v1/shared-trips/{owner}/{trip}/reservations/{back}"): (
        "404", "404", "403", "404", "401", "401", "401"),
    ("GET", "/t/{token}"): ("404", "404", "404", "404", "200 trip", "404", "404"),
    ("GET", "/t/{token}/card.png"): ("404", "404", "404", "404", "200", "404", "404"),
    ("GET", "/api/v1/me/calendar"): ("200", "200", "200", "200", "401", "401", "401"),
    ("POST", "/api/v1/me/calendar/regenerate"): ("200", "200", "200", "200", "401", "401", "401"),
    ("GET", "/calendar/{feed}.ics"): ("200 all", "200", "200", "200", "404", "404", "404"),
}
BODIES = {"/api/v1/trips": {"name": "Mine"}, "/api/v1/trips/{trip}": {"name": f"{NAME} in May"},
          "/api/v1/trips/{trip}/reservations": {"reservation_id": BACK["id"]},
          "/api/v1/trips/{trip}/merge": {"trip_id": "{other}"},
          "/api/v1/trips/{trip}/split": {"reservation_ids": [HOTEL["id"]]},
          "/api/v1/trips/{trip}/links": {},
          "/api/v1/trips/{trip}/shares": {"email": "new@example.com", "role": "viewer"},
          "/api/v1/shared-trips/{owner}/{trip}": {"name": f"{NAME} in May"},
          "/api/v1/shared-trips/{owner}/{trip}/reservations": {
              "type": "hotel", "start": "2025-01-07T15:00", "end": "2025-01-08T11:00",
              "start_time_zone": "America/New_York", "hotel": {"name": "Hotel Chelsea"}},
          "/api/v1/shared-trips/{owner}/{trip}/reservations/{out}": {"notes": "Late check-in"},
          "/api/v1/shared-trips/{owner}/{other}": {"name": f"{NAME} in May"}}


@dataclass
class World:
    """Ann's trip and what each role holds: a login, a public-link token, a calendar feed token."""

    trip: str
    other: str
    link: str
    share: str
    tokens: dict[str, str]
    feeds: dict[str, str]


@pytest.fixture
async def client(faust_app, sent, aiohttp_client, monkeypatch):
    """The web layer of a worker that owns every key, each trips agent applying what is sent to its topic,
    the trips' clock a day before Ann's trip."""
    set_clock(monkeypatch, START - timedelta(days=1))
    readers = {topics.share_address_lookups: [resolve_share_addresses], topics.trip_commands: [apply_trip_commands],
               topics.share_events: [index_shared_trips], topics.calendar_feed_commands: [apply_feed_commands],
               topics.reservation_commands: [apply_reservation_commands],
               topics.user_reservation_events: [index_user_reservations]}
    async with serving(faust_app, aiohttp_client, monkeypatch, readers) as client:
        yield client


async def made(client, method: str, path: str, body=None, user_id: str = ANN, status: int = 201) -> dict:
    response = await client.request(method, path, json=body, headers=signed_in(user_id))
    assert response.status == status, await response.text()
    return await response.json() if response.status != 204 else {}


@pytest.fixture
async def world(client) -> World:
    for reservation in (FLIGHT, HOTEL, BACK):   # as the reservations agent and the index hold them
        reservations.data[reservation["id"]] = {**reservation, "version": 1, "user_id": ANN, "commands": []}
        user_reservations.data[entry_key(ANN, reservation["id"])] = {**reservation, "version": 1}
    for user_id, email in ((EDITOR, "editor@example.com"), (VIEWER, "viewer@example.com")):
        logins.data[email] = {"user_id": user_id, "password_hash": "x", "role": "traveller"}
    trip = (await made(client, "POST", "/api/v1/trips", {"name": NAME, "reservation_ids": [rid(1), rid(2)]}))["id"]
    other = (await made(client, "POST", "/api/v1/trips", {"reservation_ids": [rid(3)]}))["id"]
    links = f"/api/v1/trips/{trip}/links"
    working = await made(client, "POST", links)
    expired = await made(client, "POST", links, {"expires_at": (trips_clock.now() + timedelta(hours=1)).isoformat()})
    revoked = await made(client, "POST", links)
    await made(client, "DELETE", f"{links}/{revoked['id']}", status=204)
    trips_clock.advance(2 * 3600)
    shares = f"/api/v1/trips/{trip}/shares"
    share = await made(client, "POST", shares, {"email": "editor@example.com", "role": "editor"})
    await made(client, "POST", shares, {"email": "viewer@example.com", "role": "viewer"})
    feeds = {role: URL((await made(client, "GET", "/api/v1/me/calendar", user_id=user_id, status=200))["url"]).name
             .removesuffix(".ics") for role, user_id in _PEOPLE.items()}
    tokens = {role: URL(link["url"]).path.removeprefix("/t/")
              for role, link in (("link", working), ("expired", expired), ("revoked", revoked))}
    return World(trip, other, working["id"], share["id"], tokens, feeds)


def request_of(world: World, role: str, method: str, template: str) -> tuple[str, dict, dict | None]:
    """The path, headers and body of ``role``'s request: a person signs in and, lacking a link, tries a
    guessed token; a link holder has the token alone, and offers it as a login too."""
    token = world.tokens.get(role) or f"{ANN}.{secrets.token_urlsafe(32)}"
    headers = signed_in(_PEOPLE[role]) if role in _PEOPLE else {"Authorization": f"Bearer {token}"}
    fill = {"trip": world.trip, "other": world.other, "out": rid(2), "back": rid(3), "link": world.link,
            "share": world.share, "owner": ANN, "token": token, "feed": world.feeds.get(role, token)}
    path = template.format(**fill)
    body = BODIES.get(template) if method in ("POST", "PATCH") else None
    body = {k: (v.format(**fill) if isinstance(v, str) else v) for k, v in body.items()} if body else body
    return path, headers, body


CELLS = [pytest.param(method, template, role, expected, id=f"{method} {template} as {role}")
         for (method, template), row in MATRIX.items() for role, expected in zip(ROLES, row, strict=True)]


@pytest.mark.parametrize(("method", "template", "role", "expected"), CELLS)
async def test_each_role_gets_what_it_may_on_each_route(client, world, method, template, role, expected):
    status, _, shows = expected.partition(" ")
    path, headers, body = request_of(world, role, method, template)
    response = await client.request(method, path, json=body, headers=headers)
    text = unquote((await response.read()).decode(errors="replace"))   # share intents encode the name
    assert response.status == int(status), text
    assert (NAME in text) == (shows in ("all", "trip")), text
    leaked = [secret for secret in SECRETS if secret in text]
    assert bool(leaked) == (shows in ("all", "secrets")), leaked
    if shows in ("all", "secrets"):
        assert SECRETS[0] in text


async def test_an_empty_change_is_still_a_change_a_viewer_may_not_make(client, world):
    path = f"/api/v1/shared-trips/{ANN}/{world.trip}"
    refused = await client.patch(path, json={}, headers=signed_in(VIEWER))
    assert refused.status == 403, await refused.text()
    assert (await client.patch(path, json={}, headers=signed_in(EDITOR))).status == 200


async def test_a_private_trip_shows_nothing_to_its_followers_and_link_holders(client, world):
    await made(client, "PATCH", f"/api/v1/trips/{world.trip}", {"private": True}, status=200)
    path = f"/api/v1/shared-trips/{ANN}/{world.trip}"
    for user_id in (EDITOR, VIEWER):
        assert (await client.get(path, headers=signed_in(user_id))).status == 404
        assert (await client.patch(path, json={"name": "Ours"}, headers=signed_in(user_id))).status == 404
        assert await made(client, "GET", "/api/v1/shared-trips", user_id=user_id, status=200) == {"items": []}
    for suffix in ("", "/card.png"):
        assert (await client.get(f"/t/{world.tokens['link']}{suffix}")).status == 404


async def test_a_follower_has_the_rights_of_their_share_now(client, world):
    path = f"/api/v1/shared-trips/{ANN}/{world.trip}"
    await made(client, "POST", f"/api/v1/trips/{world.trip}/shares", {"email": "editor@example.com", "role": "viewer"})
    assert (await client.patch(path, json={"name": "Ours"}, headers=signed_in(EDITOR))).status == 403
    seen = await made(client, "GET", path, user_id=EDITOR, status=200)
    assert seen["role"] == "viewer" and SECRETS[0] not in repr(seen)
    await made(client, "DELETE", f"/api/v1/trips/{world.trip}/shares/{world.share}", status=204)
    assert (await client.get(path, headers=signed_in(EDITOR))).status == 404


async def test_a_calendar_token_opens_no_trip_page_and_a_link_token_no_calendar(client, world):
    assert (await client.get(f"/t/{world.feeds['owner']}")).status == 404
    assert (await client.get(f"/t/{world.feeds['owner']}/card.png")).status == 404
    assert (await client.get(f"/calendar/{world.tokens['link']}.ics")).status == 404
