"""The live stream: resuming with Last-Event-ID, manual edits, and news produced on another worker (Redis)."""

from __future__ import annotations

import pytest

from tests.integration import test_notifications_support as support
from tests.integration.conftest import Api, eventually, flight
from tests.integration.test_notifications_support import SseClient, delay, inject, notifying_env, traveller

pytestmark = pytest.mark.integration
# The shared fixtures, by name, for the tests below.
mailbox, push, redis_server = support.mailbox, support.push, support.redis_server


async def test_a_reconnecting_stream_gets_what_it_missed_and_manual_edits_notify_too(
        cluster, http, mailbox, push, tmp_path):
    cluster.extra_env.update(notifying_env(mailbox, push, tmp_path, None))  # one worker, no Redis: in-process
    worker = cluster.worker("w1").start()
    worker.wait_ready()
    api = Api(http, worker.url)
    user = await traveller(api, push, locale="ja")
    bookings = []
    for code in ("AAA111", "BBB222", "CCC333"):
        status, booking, _ = await api.call("POST", "/api/v1/reservations", flight(confirmation=code))
        assert status == 201
        bookings.append(booking)
    async with SseClient(http, worker.url, api.token) as stream:
        await inject(cluster, delay(bookings[0]["id"], user["id"], 45))
        first = await stream.next()
        assert first["event_id"] == 1 and "9:45" in first["summary"] and first["locale"] == "ja"
    # Offline: a provider's delay, and the traveller's own edit from another device.
    await inject(cluster, delay(bookings[1]["id"], user["id"], 50))
    status, _, _ = await api.call("PATCH", f"/api/v1/reservations/{bookings[2]['id']}",
                                  {"flight": {"departure_gate": "B22"}})
    assert status == 200

    async def both_in_the_feed():
        _, page, _ = await api.call("GET", "/api/v1/notifications")
        return page["last_event_id"] == 3 and page

    page = await eventually(both_in_the_feed)
    assert page["unread_count"] == 3
    async with SseClient(http, worker.url, api.token, last_event_id=1) as stream:
        missed = [await stream.next(), await stream.next()]
        assert [e["event_id"] for e in missed] == [2, 3]
        assert {e["reservation_id"] for e in missed} == {bookings[1]["id"], bookings[2]["id"]}
        assert any("B22" in e["summary"] for e in missed)
        await inject(cluster, delay(bookings[0]["id"], user["id"], 59))  # and live again
        assert (await stream.next())["event_id"] == 4
    status, _, _ = await api.call("POST", "/api/v1/notifications/read-all")
    assert status == 200
    _, page, _ = await api.call("GET", "/api/v1/notifications?limit=2")
    assert page["unread_count"] == 0 and len(page["items"]) == 2 and page["next_cursor"] == "3"
    await _settings_and_devices_are_the_callers_own(api, Api(http, worker.url), push, page["items"][0]["id"])


async def _settings_and_devices_are_the_callers_own(api: Api, other: Api, push, notification_id: str) -> None:
    status, prefs, _ = await api.call("GET", "/api/v1/me/notification-preferences")
    assert status == 200 and prefs["channels"]["webpush"]["major"] and prefs["quiet_hours"]["start"] == "22:00"
    status, found, _ = await api.call("GET", "/api/v1/me/devices")
    assert status == 200 and sorted(d["kind"] for d in found["items"]) == ["fcm", "webpush"]
    assert all("token" not in d and "subscription" not in d for d in found["items"])
    status, _, _ = await api.call("DELETE", f"/api/v1/me/devices/{found['items'][0]['id']}")
    assert status == 204
    await traveller(other, push, locale="en")  # someone else sees none of it
    status, page, _ = await other.call("GET", "/api/v1/notifications")
    assert (status, page["items"], page["unread_count"]) == (200, [], 0)
    assert (await other.call("POST", f"/api/v1/notifications/{notification_id}/read"))[0] == 404
    assert (await other.call("DELETE", f"/api/v1/me/devices/{found['items'][1]['id']}"))[0] == 404
    status, left, _ = await api.call("GET", "/api/v1/me/devices")
    assert [d["id"] for d in left["items"]] == [found["items"][1]["id"]]


async def test_a_stream_on_one_worker_hears_news_produced_on_the_other(cluster, http, mailbox, push, redis_server,
                                                                      tmp_path):
    cluster.extra_env.update(notifying_env(mailbox, push, tmp_path, redis_server))
    first, second = cluster.worker("w1").start(), cluster.worker("w2").start()
    first.wait_ready()
    second.wait_ready()

    async def both_own_partitions():
        async with http.get(first.url + "/router/") as response:
            router = await response.json()
        return len([url for url in router if router[url]]) == 2 and second.health()[0] == 200

    await eventually(both_own_partitions, timeout_s=60, interval_s=0.5)
    api = Api(http, first.url)
    user = await traveller(api, push, locale="es")
    status, booking, _ = await api.call("POST", "/api/v1/reservations", flight())
    assert status == 201
    # One stream per worker: only one of them owns this traveller, so the other hears through Redis.
    async with SseClient(http, first.url, api.token) as on_first, SseClient(http, second.url, api.token) as on_second:
        await inject(cluster, delay(booking["id"], user["id"], 45))
        heard = [await on_first.next(), await on_second.next()]
    assert heard[0] == heard[1] and heard[0]["locale"] == "es" and "9:45" in heard[0]["summary"]
