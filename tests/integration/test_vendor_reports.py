"""Vendor reports end to end: tracked reservations and injected provider changes make the month's report."""

from __future__ import annotations

import uuid

import orjson
import pytest
from aiokafka import AIOKafkaProducer
from argon2 import PasswordHasher

from domain.common.timestamps import now_iso
from tests.integration.conftest import TRIP_DAY, Api, eventually
from tests.integration.test_tracking import (
    CYCLE_S,
    HOTEL,
    TRACKING_ENV,
    baselines,
    register_providers,
    simulator,  # noqa: F401, F811 (a fixture; http is conftest's)
    traveller_with,
)

pytestmark = pytest.mark.integration
SUPPORT = {"email": "support@tracking.test", "password": "support-password-123"}
FLIGHT = f"flight/LH/400/{TRIP_DAY}"
OTHER = f"flight/LH/402/{TRIP_DAY}"


@pytest.fixture
def reporter(cluster):
    cluster.extra_env.update({**TRACKING_ENV, "ROADWARRIOR_VENDOR_REPORTS_PUBLISH_S": "0",
                              "ROADWARRIOR_VENDOR_REPORTS_TICK_S": "0.5"})
    one = cluster.worker("w1").start()
    one.wait_ready()
    return one


async def support_user(cluster, http, worker) -> Api:
    """A support account, registered as the admin bootstrap registers the admin (no API makes one)."""
    user_id = uuid.uuid4().hex
    command = {"command_id": f"support-{user_id}", "kind": "register", "user_id": user_id, "role": "support",
               "password_hash": PasswordHasher().hash(SUPPORT["password"]),
               "profile": {"name": "Support", "locale": "en", "time_zone": "UTC"}, "issued_at": now_iso()}
    producer = AIOKafkaProducer(bootstrap_servers=cluster.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(cluster.topic("login-commands"), key=orjson.dumps(SUPPORT["email"]),
                                     value=orjson.dumps(command))
    finally:
        await producer.stop()
    api = Api(http, worker.url)

    async def logged_in():
        status, tokens, _ = await api.call("POST", "/api/v1/auth/login", SUPPORT)
        return tokens["access_token"] if status == 200 else None

    api.token = await eventually(logged_in, timeout_s=30, interval_s=0.2)
    return api


async def test_tracked_reservations_and_their_changes_make_the_vendor_report(cluster, reporter, simulator, http):  # noqa: F811
    await register_providers(http, reporter, simulator, "airline-sim", "hotel-sim")
    ann, _ = await traveller_with(http, reporter, simulator, [("airline-sim", FLIGHT), ("hotel-sim", HOTEL)])
    bob, _ = await traveller_with(http, reporter, simulator, [("airline-sim", FLIGHT), ("airline-sim", OTHER)])
    await baselines(reporter, ann, 4)
    await simulator.change(FLIGHT, {"type": "delay", "minutes": 90})
    await simulator.change(OTHER, {"type": "cancel"})
    support = await support_user(cluster, http, reporter)

    async def report():
        status, body, _ = await support.call("GET", "/api/v1/support/vendor-reports")
        assert status == 200, body
        rows = {(r["kind"], r["vendor"]): r for r in body["items"]}
        airline = rows.get(("airline", "LH"))
        done = airline and airline["cancellations"] == 1 and airline["delay_minutes"]["max"]
        return rows if done and ("hotel", "hotel-sim") in rows else None

    rows = await eventually(report, timeout_s=6 * CYCLE_S + 20, interval_s=0.5)
    airline, hotel = rows[("airline", "LH")], rows[("hotel", "hotel-sim")]
    assert (airline["reservations"], airline["travellers"], airline["provider"]) == (3, 2, "airline-sim")
    assert airline["delay_minutes"] == {"p50": 90, "p90": 90, "max": 90}
    assert airline["changes"]["total"] >= 3 and airline["changes"]["by_severity"]["critical"] >= 1
    assert (hotel["reservations"], hotel["travellers"], hotel["changes"]["total"]) == (1, 1, 0)
    assert airline["closed"] is False

    async def calls_counted():
        status, body, _ = await support.call("GET", "/api/v1/support/vendor-reports")
        lh = next(r for r in body["items"] if r["vendor"] == "LH")
        return lh if lh["api"]["calls"] > 0 else None

    lh = await eventually(calls_counted, timeout_s=20, interval_s=0.5)
    assert lh["api"]["error_rate"] == 0 and lh["api"]["latency_ms"]["p50"] is not None

    async with http.get(reporter.url + "/api/v1/support/vendor-reports?format=csv",
                        headers={"Authorization": f"Bearer {support.token}"}) as response:
        text = await response.text()
    assert response.status == 200 and response.content_type == "text/csv"
    header, *lines = text.splitlines()
    assert header.startswith("kind,vendor,month,provider,reservations,travellers")
    assert any(line.startswith("airline,LH,") for line in lines)

    status, problem, _ = await ann.call("GET", "/api/v1/support/vendor-reports")
    assert status == 403 and problem["type"].endswith("/forbidden")
