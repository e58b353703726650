"""The demo of `make run` end to end: the seeding, the simulator's demo schedule, and the demo traveller hearing
of a change to her flight through tracking and the notifications, on a real broker, worker and simulator."""

from __future__ import annotations

import pytest

from devtools import demo
from tests.integration import test_tracking as tracking
from tests.integration.conftest import Api, eventually
from tests.integration.test_tracking import ADMIN

pytestmark = pytest.mark.integration
tracker = tracking.tracker   # a worker with the simulator's administrator and a short tracking cycle
SCHEDULE = ["--demo-first-s", "2", "--demo-every-s", "3"]   # the same schedule as make run's, only sooner


@pytest.fixture
async def simulator(http, tmp_path):
    one = tracking.Simulator(http, tmp_path / "simulator.log", extra_args=SCHEDULE)
    yield one
    one.stop()


async def test_the_demo_travellers_flight_changes_at_the_provider_and_reaches_her(tracker, simulator, http):
    lines = await demo.seed(tracker.url, simulator.url, ADMIN["email"], ADMIN["password"])
    assert any(demo.DEMO_EMAIL in line and demo.DEMO_PASSWORD in line for line in lines)
    status, schedule = await simulator.call("GET", "/control/demo")
    assert status == 200 and len(schedule["subjects"]) == 2 and schedule["every_s"] == 3
    dana = Api(http, tracker.url)
    _, tokens, _ = await dana.call("POST", "/api/v1/auth/login", {"email": demo.DEMO_EMAIL,
                                                                   "password": demo.DEMO_PASSWORD})
    dana.token = tokens["access_token"]
    _, mine, _ = await dana.call("GET", "/api/v1/reservations")
    flights = {r["id"] for r in mine["items"] if r["type"] == "flight"}

    async def told_of_a_provider_change():
        _, page, _ = await dana.call("GET", "/api/v1/notifications")
        return [n for n in page["items"] if n["reservation_id"] in flights]

    heard = await eventually(told_of_a_provider_change, timeout_s=60, interval_s=0.5)
    _, changes = await simulator.call("GET", f"/control/changes?subject={schedule['subjects'][0]}")
    assert [c["source"] for c in changes["changes"]][:1] == ["demo"]
    # The schedule's first change is a 20-minute delay; the traveller has not read of it yet.
    assert "delayed" in heard[0]["title"] and "(was " in heard[0]["summary"] and heard[0]["read"] is False
