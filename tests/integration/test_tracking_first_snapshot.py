"""News from before a reservation's first poll, end to end: a real broker, a real worker and the simulator process.

A provider change made before tracking first heard of the flight must reach the traveller, whether the first
snapshot comes by the provider's push or by our poll (domain/tracking/baseline.py compares it with the booking).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.integration import test_tracking as tracking
from tests.integration.conftest import Api, eventually
from tests.integration.test_tracking import ADMIN, CYCLE_S

pytestmark = pytest.mark.integration
# The shared fixtures, by name, for the tests below.
simulator, tracker, feed = tracking.simulator, tracking.tracker, tracking.feed
DAY = (date.today() + timedelta(days=30)).isoformat()   # a trip ahead, whenever the tests run
HELD = 100_000   # failed answers the airline gives until told otherwise: far more than a test's polls


async def metric(http, worker, name: str, **labels: str) -> float:
    """The worker's figure for ``name`` with (at least) these labels, summed; 0 when it has none yet."""
    async with http.get(worker.url + "/metrics") as response:
        text = await response.text()
    wanted = [f'{key}="{value}"' for key, value in labels.items()]
    total = 0.0
    for line in text.splitlines():
        series, _, value = line.rpartition(" ")
        if (series == name or series.startswith(name + "{")) and all(w in series for w in wanted):
            total += float(value)
    return total


async def diffed(http, worker, count: int) -> None:
    """Wait until the diff stage has taken ``count`` snapshots for reservations (every poll or push it got)."""
    async def enough():
        return await metric(http, worker, "roadwarrior_tracking_snapshots_diffed_total") >= count
    await eventually(enough, timeout_s=3 * CYCLE_S + 10, interval_s=0.2)


async def register_pushing_airline(http, worker, simulator) -> None:
    """The simulator's airline as our provider, pushing its changes to our webhook (as `make run` sets it up)."""
    admin = Api(http, worker.url)

    async def logged_in():
        status, tokens, _ = await admin.call("POST", "/api/v1/auth/login", ADMIN)
        return tokens["access_token"] if status == 200 else None

    admin.token = await eventually(logged_in, timeout_s=30, interval_s=0.2)
    status, body, _ = await admin.call("POST", "/api/v1/admin/providers", {
        "provider_id": "airline-sim", "kind": "standard", "base_url": f"{simulator.url}/p/airline-sim",
        "quota": {"per_second": 50, "per_day": 1_000_000}, "batch_size": 50, "timeout_s": 2, "can_push": True})
    assert status == 201 and body["webhook_secret"], body
    status, refused = await simulator.call("POST", "/control/webhooks", {
        "provider": "airline-sim", "url": worker.url + body["webhook_url"], "secret": body["webhook_secret"]})
    assert status == 204, refused


async def book(http, worker, booking: dict) -> tuple[Api, str]:
    api = Api(http, worker.url)
    await api.sign_up_and_log_in()
    status, created, _ = await api.call("POST", "/api/v1/reservations", booking)
    assert status == 201, created
    return api, created["id"]


async def told(feed, reservation_id: str) -> dict:
    """The one change published for the reservation, once it is on reservation-changes."""
    async def published():
        await feed.read()
        return feed.about(reservation_id)
    (change,) = await eventually(published, timeout_s=3 * CYCLE_S + 10)
    return change


async def in_the_travellers_feed(api: Api, reservation_id: str, change_id: str) -> dict:
    async def notified():
        status, page, _ = await api.call("GET", "/api/v1/notifications")
        assert status == 200, page
        return [item for item in page["items"]
                if item["reservation_id"] == reservation_id and change_id in item["change_ids"]]
    (item,) = await eventually(notified, timeout_s=30)
    return item


async def test_a_delay_made_before_the_first_poll_is_told_by_that_poll(tracker, simulator, feed, http):
    subject = f"flight/LH/420/{DAY}"
    await tracking.register_providers(http, tracker, simulator, "airline-sim")
    booking = await simulator.reservation("airline-sim", subject)      # the flight as the traveller booked it
    # Delayed before the reservation exists: nothing can have polled it yet.
    entry = await simulator.change(subject, {"type": "delay", "minutes": 95})
    api, rid = await book(http, tracker, booking)

    change = await told(feed, rid)
    assert change["source"] == "poll" and change["severity"] == "major" and change["provider_changed_at"] == entry["at"]
    assert {c["path"] for c in change["changes"]} >= {"status", "departure.estimated"}
    estimated = next(c for c in change["changes"] if c["path"] == "departure.estimated")
    late = datetime.fromisoformat(estimated["new"]["local"]) - datetime.fromisoformat(booking["start"])
    assert estimated["old"] is None and late == timedelta(minutes=95)
    item = await in_the_travellers_feed(api, rid, change["change_id"])
    assert item["severity"] == "major"
    status, history, _ = await api.call("GET", f"/api/v1/reservations/{rid}/history")
    assert status == 200 and change["change_id"] in [h["change_id"] for h in history["items"]]

    await diffed(http, tracker, 2)            # the next poll finds the same delay: no news the second time
    await feed.read()
    assert [c["change_id"] for c in feed.about(rid)] == [change["change_id"]]


async def test_a_delay_pushed_before_the_first_poll_is_told_at_once_and_the_first_poll_adds_nothing(
        tracker, simulator, feed, http):
    subject = f"flight/LH/430/{DAY}"
    await register_pushing_airline(http, tracker, simulator)
    booking = await simulator.reservation("airline-sim", subject)
    # Every poll of the airline fails until the push is in, so the pushed snapshot is the reservation's first.
    status, body = await simulator.call("POST", "/control/faults",
                                        {"provider": "airline-sim", "kind": "5xx", "count": HELD})
    assert status == 201, body
    api, rid = await book(http, tracker, booking)

    async def polled_in_vain():   # the subject is tracked (its poll was tried), and knows nothing yet
        _, faults = await simulator.call("GET", "/control/faults")
        return faults["faults"] and faults["faults"][0]["count"] < HELD
    await eventually(polled_in_vain, timeout_s=3 * CYCLE_S + 10, interval_s=0.2)
    assert await metric(http, tracker, "roadwarrior_tracking_snapshots_diffed_total") == 0
    entry = await simulator.change(subject, {"type": "delay", "minutes": 95})   # the simulator pushes it

    change = await told(feed, rid)
    assert change["source"] == "push" and change["severity"] == "major" and change["provider"] == "airline-sim"
    assert change["provider_changed_at"] == entry["at"]
    assert {c["path"] for c in change["changes"]} >= {"status", "departure.estimated"}
    assert await metric(http, tracker, "roadwarrior_tracking_pushes_total", outcome="fanned_out") == 1
    # Faust's own figures are on the same page: the consumer, the streams, the tables and the commits.
    for name, labels in (("faust_messages_received_total", {}), ("faust_total_events_total", {}),
                         ("faust_table_operations_total", {"table": "table.tracking", "operation": "keys_updated"}),
                         ("faust_consumer_commit_latency_count", {})):
        assert await metric(http, tracker, name, **labels) > 0, name
    await in_the_travellers_feed(api, rid, change["change_id"])

    status, _ = await simulator.call("DELETE", "/control/faults")
    assert status == 204
    await diffed(http, tracker, 2)            # the first answered poll: the same delay, already told
    await feed.read()
    assert [c["change_id"] for c in feed.about(rid)] == [change["change_id"]]
