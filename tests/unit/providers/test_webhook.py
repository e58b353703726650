"""Push verification: HMAC signatures, the timestamp window, replay dedupe, and a real push from the simulator."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date

import aiohttp
import pytest
from aiohttp import web

from devtools.simulator.app import SimulatorConfig, build_app
from integrations.providers.webhook import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BadSignature,
    ReplayedEvent,
    ReplayGuard,
    StaleTimestamp,
    sign,
    verify_push,
    verify_signature,
)

SECRET = "whsec-0123456789abcdef"
NOW = 1_800_000_000
BODY = b'{"event_id": "e1"}'


def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    # printf '%s' '1800000000.{"event_id": "e1"}' | openssl dgst -sha256 -hmac whsec-0123456789abcdef
    expected = "51f73673c41ed40c0a3608832825786616addcc057f74cd759a88589e6272a03"
    assert sign(SECRET, NOW, BODY) == f"sha256={expected}"


def test_valid_signature_within_window_passes():
    verify_signature(SECRET, str(NOW), BODY, sign(SECRET, NOW, BODY), now=NOW + 299, window=300)


@pytest.mark.parametrize("tamper", [
    lambda ts, body, sig: (ts, body + b" ", sig),                       # body changed
    lambda ts, body, sig: (str(int(ts) + 1), body, sig),                # timestamp changed
    lambda ts, body, sig: (ts, body, sign("other-secret", ts, body)),   # wrong key
    lambda ts, body, sig: (ts, body, sig.removeprefix("sha256=")),      # no scheme prefix
    lambda ts, body, sig: (ts, body, ""),
])
def test_tampering_is_a_bad_signature(tamper):
    timestamp, body, signature = tamper(str(NOW), BODY, sign(SECRET, NOW, BODY))
    with pytest.raises(BadSignature):
        verify_signature(SECRET, timestamp, body, signature, now=NOW)


@pytest.mark.parametrize("skew", [301, -301, 3600])
def test_timestamp_outside_window_is_stale(skew):
    with pytest.raises(StaleTimestamp):
        verify_signature(SECRET, str(NOW), BODY, sign(SECRET, NOW, BODY), now=NOW + skew, window=300)


def test_non_numeric_timestamp_is_stale_even_if_signed():
    with pytest.raises(StaleTimestamp):
        verify_signature(SECRET, "yesterday", BODY, sign(SECRET, "yesterday", BODY), now=NOW)


def test_replay_guard_refuses_an_event_twice_within_the_window():
    guard = ReplayGuard(window=300)
    guard.admit("e1", now=NOW)
    guard.admit("e2", now=NOW + 1)
    with pytest.raises(ReplayedEvent):
        guard.admit("e1", now=NOW + 200)


def test_replay_guard_forgets_after_the_window_and_stays_bounded():
    guard = ReplayGuard(window=300, max_events=2)
    guard.admit("e1", now=NOW)
    guard.admit("e1", now=NOW + 301)  # the timestamp check refuses anything this old anyway
    for event in ("a", "b", "c"):
        guard.admit(event, now=NOW + 302)
    assert len(guard._seen) == 2


def _push(event: dict, timestamp: int = NOW, event_id: str | None = None) -> tuple[dict, bytes]:
    body = json.dumps(event).encode()
    headers = {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(SECRET, timestamp, body),
               EVENT_ID_HEADER: event_id or event["event_id"]}
    return headers, body


HOTEL = {"kind": "hotel", "status": "cancelled",
         "check_in": {"local": "2026-12-01T15:00:00", "zone": "Europe/Berlin", "utc": "2026-12-01T14:00:00Z"},
         "check_out": {"local": "2026-12-03T11:00:00", "zone": "Europe/Berlin", "utc": "2026-12-03T10:00:00Z"}}
EVENT = {"event_id": "ev-1", "provider_id": "hotel-sim", "subject": "hotel/hotel-sim/H000000001",
         "snapshot": HOTEL, "changed_at": "2026-11-30T10:00:00Z"}


def test_verify_push_returns_the_checked_event_once():
    guard = ReplayGuard()
    headers, body = _push(EVENT)
    event = verify_push(SECRET, headers, body, now=NOW, guard=guard)
    assert event["subject"] == "hotel/hotel-sim/H000000001"
    assert event["snapshot"]["status"] == "cancelled"
    assert event["snapshot"]["provider_changed_at"] == "2026-11-30T10:00:00Z"
    with pytest.raises(ReplayedEvent):
        verify_push(SECRET, headers, body, now=NOW + 5, guard=guard)


def test_a_replayed_body_under_a_new_event_id_is_refused():
    headers, body = _push(EVENT, event_id="ev-fresh")
    with pytest.raises(ValueError, match="event id"):
        verify_push(SECRET, headers, body, now=NOW, guard=ReplayGuard())


def test_a_signed_push_with_a_bad_snapshot_is_refused():
    headers, body = _push({**EVENT, "snapshot": {**HOTEL, "status": "gone"}})
    with pytest.raises(ValueError, match="status"):
        verify_push(SECRET, headers, body, now=NOW, guard=ReplayGuard())


async def test_simulator_pushes_signed_changes_that_verify(aiohttp_server):
    received: asyncio.Queue = asyncio.Queue()
    guard = ReplayGuard()

    async def webhook(request: web.Request) -> web.Response:
        body = await request.read()
        received.put_nowait(verify_push(SECRET, request.headers, body, now=time.time(), guard=guard))
        return web.Response(status=204)

    receiver_app = web.Application()
    receiver_app.router.add_post("/hooks/provider", webhook)
    receiver = await aiohttp_server(receiver_app)
    url = str(receiver.make_url("/hooks/provider"))
    simulator = await aiohttp_server(build_app(SimulatorConfig(
        seed=5, start=date(2026, 12, 1), population=1000, webhooks={"airline-sim": (url, SECRET)})))
    async with aiohttp.ClientSession() as session:
        async with session.post(simulator.make_url("/control/webhooks"),
                                json={"provider": "hotel-sim", "url": url, "secret": SECRET}) as response:
            assert response.status == 204
        for subject, change in (("flight/LH/401/2026-12-01", {"type": "gate", "gate": "Z9"}),
                                ("hotel/hotel-sim/H000000001", {"type": "cancel"}),
                                ("car/car-sim/C000000001", {"type": "cancel"})):  # car-sim cannot push
            async with session.post(simulator.make_url("/control/changes"),
                                    json={"subject": subject, "change": change}) as response:
                assert response.status == 200
        first = await asyncio.wait_for(received.get(), 5)
        second = await asyncio.wait_for(received.get(), 5)
        async with session.get(simulator.make_url("/control/stats")) as response:
            pushes = (await response.json())["pushes"]
    assert (first["provider_id"], first["subject"]) == ("airline-sim", "flight/LH/401/2026-12-01")
    assert first["snapshot"]["departure"]["gate"] == "Z9"
    assert (second["provider_id"], second["snapshot"]["status"]) == ("hotel-sim", "cancelled")
    assert pushes["queued"] == 2 and pushes["failed"] == 0
