"""The standard-interface adapter against the simulator: snapshots, batching, and every injected fault."""

from __future__ import annotations

from datetime import date

import aiohttp
import pytest
from aiohttp import web

from devtools.simulator.app import SimulatorConfig, build_app
from domain.tracking.subjects import booking_subject
from integrations.providers import adapter_for
from integrations.providers.airline import AmadeusFlightStatus
from integrations.providers.errors import (
    MalformedResponse,
    ProviderCredentialsRejected,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    UnknownSubject,
)
from integrations.providers.standard import StandardProvider

START = date(2026, 12, 1)
FLIGHT = "flight/LH/401/2026-12-01"
API_KEY = "sim-api-key-0123456789"


@pytest.fixture
async def simulator(aiohttp_server):
    return await aiohttp_server(build_app(SimulatorConfig(seed=7, start=START, population=10_000)))


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as client:
        yield client


def _adapter(session, simulator, provider="airline-sim", timeout_s=2.0, credentials=None):
    return StandardProvider(session, str(simulator.make_url(f"/p/{provider}")), credentials, timeout_s)


async def _control(session, simulator, method, path, body=None):
    async with session.request(method, simulator.make_url(path), json=body) as response:
        assert response.status < 300, await response.text()
        return await response.json() if response.status != 204 else None


async def test_fetch_one_returns_a_complete_flight_snapshot(session, simulator):
    snapshot = await _adapter(session, simulator).fetch_one(FLIGHT)
    assert (snapshot["kind"], snapshot["carrier"], snapshot["number"], snapshot["date"]) == (
        "flight", "LH", "401", "2026-12-01")
    assert snapshot["status"] == "scheduled"
    departure = snapshot["departure"]
    assert departure["scheduled"]["local"].startswith("2026-12-01T")
    assert departure["scheduled"]["utc"].endswith("Z")
    assert snapshot["provider_changed_at"] is None


async def test_unknown_subject_is_not_found(session, simulator):
    with pytest.raises(UnknownSubject):
        await _adapter(session, simulator, "hotel-sim").fetch_one("hotel/hotel-sim/NOSUCHCODE")


async def test_subjects_built_by_the_domain_are_served(session, simulator):
    subject = booking_subject("hotel", "hotel-sim", "AB/12 x")  # quoted parts: hotel/hotel-sim/AB%2F12%20x
    created = await _control(session, simulator, "POST", "/control/bookings",
                             {"kind": "hotel", "confirmation": subject.rsplit("/", 1)[1]})
    assert created["subject"] == subject
    adapter = _adapter(session, simulator, "hotel-sim")
    assert (await adapter.fetch_one(subject))["kind"] == "hotel"
    assert (await adapter.fetch_batch([subject]))[subject]["kind"] == "hotel"


async def test_batch_answers_every_subject_found_or_not(session, simulator):
    subjects = [FLIGHT, "flight/BA/2/2026-12-03", "hotel/hotel-sim/H000000001"]
    found = await _adapter(session, simulator).fetch_batch(subjects)
    assert list(found) == subjects
    assert found[FLIGHT]["carrier"] == "LH"
    assert found["flight/BA/2/2026-12-03"]["number"] == "2"
    assert found["hotel/hotel-sim/H000000001"] is None  # the airline does not serve hotels


async def test_batch_larger_than_batch_size_is_split(session, simulator):
    adapter = _adapter(session, simulator, "gds-sim")
    adapter.batch_size = 50  # what gds-sim's /v1/info says it takes
    subjects = [f"pnr/gds-sim/{code}" for code in ("AAAAAA", "AAAAAB", "AAAAAC")] * 40
    subjects = list(dict.fromkeys(subjects)) + [f"flight/LH/{n}/2026-12-02" for n in range(1, 118)]
    found = await adapter.fetch_batch(subjects)  # 120 > 50: the simulator answers 413 to a larger batch
    assert len(found) == 120
    assert all(found[s] is not None for s in subjects)


async def test_injected_change_shows_with_its_time(session, simulator):
    entry = await _control(session, simulator, "POST", "/control/changes",
                           {"subject": FLIGHT, "change": {"type": "delay", "minutes": 40}})
    snapshot = await _adapter(session, simulator).fetch_one(FLIGHT)
    assert snapshot["status"] == "delayed"
    assert snapshot["provider_changed_at"] == entry["at"]
    assert snapshot["departure"]["estimated"] is not None


async def test_api_key_is_sent_and_a_wrong_one_refused(session, aiohttp_server):
    server = await aiohttp_server(build_app(SimulatorConfig(seed=7, start=START, api_key=API_KEY)))
    good = _adapter(session, server, credentials={"api_key": API_KEY})
    assert (await good.fetch_one(FLIGHT))["kind"] == "flight"
    wrong = "wrong-key-abcdef"
    with pytest.raises(ProviderCredentialsRejected) as caught:
        await _adapter(session, server, credentials={"api_key": wrong}).fetch_one(FLIGHT)
    assert wrong not in str(caught.value) and API_KEY not in repr(good)


@pytest.mark.parametrize(("fault", "error"), [
    ({"kind": "5xx"}, ProviderUnavailable),
    ({"kind": "5xx", "status": 502}, ProviderUnavailable),
    ({"kind": "malformed"}, MalformedResponse),
    ({"kind": "truncated"}, MalformedResponse),
    ({"kind": "429", "retry_after": 12}, RateLimited),
    ({"kind": "timeout", "seconds": 5}, ProviderTimeout),
])
@pytest.mark.parametrize("call", ["fetch_one", "fetch_batch"])
async def test_each_fault_raises_its_error(session, simulator, fault, error, call):
    await _control(session, simulator, "POST", "/control/faults", {"provider": "airline-sim", **fault})
    adapter = _adapter(session, simulator, timeout_s=0.3)
    method = getattr(adapter, call)
    with pytest.raises(error):
        await method(FLIGHT if call == "fetch_one" else [FLIGHT])


async def test_rate_limit_reports_retry_after(session, simulator):
    await _control(session, simulator, "POST", "/control/faults",
                   {"provider": "airline-sim", "kind": "429", "retry_after": 12, "count": 1})
    with pytest.raises(RateLimited) as caught:
        await _adapter(session, simulator).fetch_one(FLIGHT)
    assert caught.value.retry_after == 12.0


async def test_counted_fault_passes_after_its_count(session, simulator):
    await _control(session, simulator, "POST", "/control/faults",
                   {"provider": "airline-sim", "kind": "5xx", "count": 2})
    adapter = _adapter(session, simulator)
    for _ in range(2):
        with pytest.raises(ProviderUnavailable):
            await adapter.fetch_one(FLIGHT)
    assert (await adapter.fetch_one(FLIGHT))["kind"] == "flight"


async def test_faults_hit_only_their_provider_and_clear(session, simulator):
    await _control(session, simulator, "POST", "/control/faults", {"provider": "hotel-sim", "kind": "5xx"})
    assert (await _adapter(session, simulator).fetch_one(FLIGHT))["kind"] == "flight"
    hotels = _adapter(session, simulator, "hotel-sim")
    with pytest.raises(ProviderUnavailable):
        await hotels.fetch_one("hotel/hotel-sim/H000000001")
    await _control(session, simulator, "DELETE", "/control/faults")
    assert (await hotels.fetch_batch(["hotel/hotel-sim/NOSUCHCODE"])) == {"hotel/hotel-sim/NOSUCHCODE": None}


async def test_latency_within_timeout_still_answers(session, simulator):
    await _control(session, simulator, "POST", "/control/faults",
                   {"provider": "airline-sim", "kind": "latency", "seconds": 0.05, "count": 1})
    assert (await _adapter(session, simulator, timeout_s=2).fetch_one(FLIGHT))["kind"] == "flight"


async def test_latency_beyond_timeout_is_a_timeout(session, simulator):
    await _control(session, simulator, "POST", "/control/faults",
                   {"provider": "airline-sim", "kind": "latency", "seconds": 1, "count": 1})
    with pytest.raises(ProviderTimeout):
        await _adapter(session, simulator, timeout_s=0.2).fetch_one(FLIGHT)


def _fake_provider(results):
    async def batch(request: web.Request) -> web.Response:
        return web.json_response({"results": results})

    app = web.Application()
    app.router.add_post("/v1/snapshots/batch", batch)
    return app


GOOD = {"kind": "hotel", "status": "confirmed", "name": "Inn", "address": "1 Road",
        "check_in": {"local": "2026-12-01T15:00:00", "zone": "Europe/Berlin", "utc": "2026-12-01T14:00:00Z"},
        "check_out": {"local": "2026-12-03T11:00:00", "zone": "Europe/Berlin", "utc": "2026-12-03T10:00:00Z"}}


@pytest.mark.parametrize("results", [
    [],  # a subject left unanswered
    [{"subject": "hotel/x/1", "found": True, "snapshot": {**GOOD, "status": "booked"}}],
    [{"subject": "hotel/x/1", "found": True, "snapshot": {**GOOD, "check_in": {"local": "x"}}}],
    [{"subject": "hotel/x/1", "found": "yes", "snapshot": GOOD}],
    [{"subject": "hotel/x/2", "found": True, "snapshot": GOOD}],  # not what was asked
    [{"subject": "hotel/x/1", "found": True, "snapshot": GOOD, "changed_at": "yesterday"}],
])
async def test_wrong_shapes_are_malformed(session, aiohttp_server, results):
    server = await aiohttp_server(_fake_provider(results))
    with pytest.raises(MalformedResponse):
        await StandardProvider(session, str(server.make_url("/")), timeout_s=2).fetch_batch(["hotel/x/1"])


async def test_missing_optional_fields_come_back_as_none(session, aiohttp_server):
    results = [{"subject": "hotel/x/1", "found": True, "snapshot": GOOD, "changed_at": "2026-11-30T10:00:00Z"}]
    server = await aiohttp_server(_fake_provider(results))
    found = await StandardProvider(session, str(server.make_url("/")), timeout_s=2).fetch_batch(["hotel/x/1"])
    snapshot = found["hotel/x/1"]
    assert snapshot["room_type"] is None and snapshot["guests"] is None
    assert snapshot["provider_changed_at"] == "2026-11-30T10:00:00Z"  # taken from the result


def test_registry_builds_each_adapter_kind():
    session = object()
    assert isinstance(adapter_for("standard", session, "http://x/p/a"), StandardProvider)
    assert isinstance(adapter_for("gds", session, "http://x/p/g"), StandardProvider)
    amadeus = adapter_for("amadeus", session, "http://x", {"client_id": "i", "client_secret": "s"})
    assert isinstance(amadeus, AmadeusFlightStatus)
    with pytest.raises(ValueError, match="unknown adapter kind"):
        adapter_for("telex", session, "http://x")
