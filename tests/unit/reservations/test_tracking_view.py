"""GET /api/v1/reservations/{id} says what tracking knows: tracked or not, trusted, and when last checked."""

from __future__ import annotations

import orjson
import pytest
from aiohttp.test_utils import TestServer

import web
import web.reservations.api as views
from agents.tracking.detect_changes import checks
from tables.reservations import reservations
from tables.tracking import tracking
from web.auth import access_token

ANN, RID = "a" * 32, "1" * 32
SUBJECT = "flight/LH/400/2027-03-01"
STATE = {"id": RID, "user_id": ANN, "type": "flight", "version": 1, "status": "confirmed", "source": "manual",
         "start": "2027-03-01T10:00:00+01:00", "end": "2027-03-01T13:00:00-05:00",
         "start_time_zone": "Europe/Berlin", "end_time_zone": "America/New_York",
         "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}}


@pytest.fixture
async def client(faust_app, aiohttp_client, monkeypatch):
    async def owner_is_here(request, table_name, key, headers=None):
        return None

    monkeypatch.setattr(views, "forward_to_owner", owner_is_here)
    reservations.data[RID] = STATE
    checks.forget()
    faust_app.__dict__.pop("web", None)
    web.register(faust_app)
    server = TestServer(faust_app.web.web_app)
    await server.start_server(access_log=None)
    yield await aiohttp_client(server)
    checks.forget()
    faust_app.__dict__.pop("web", None)


async def read(client) -> dict:
    response = await client.get(f"/api/v1/reservations/{RID}",
                                headers={"Authorization": f"Bearer {access_token(ANN, 'traveller', 's1')}"})
    assert response.status == 200
    return orjson.loads(await response.read())["tracking"]


async def test_an_untracked_reservation_says_so(client):
    assert await read(client) == {"tracked": False, "verification": None, "last_checked_at": None}


async def test_a_tracked_reservation_never_answered_has_no_check_time(client):
    tracking.data[RID] = {"subject": SUBJECT, "fetched_at": None, "verification": "unverified"}
    assert await read(client) == {"tracked": True, "verification": "unverified", "last_checked_at": None}


async def test_the_latest_answer_seen_by_the_diff_stage_is_the_check_time(client):
    tracking.data[RID] = {"subject": SUBJECT, "fetched_at": 1_800_000_000.0, "verification": "verified"}
    assert (await read(client))["last_checked_at"] == "2027-01-15T08:00:00Z"   # the record's: after a restart
    checks.seen({SUBJECT: {"fetched_at": 1_800_000_300.0}}, now=1_800_000_300.0)   # a poll that changed nothing
    assert (await read(client))["last_checked_at"] == "2027-01-15T08:05:00Z"
