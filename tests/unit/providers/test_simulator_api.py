"""The simulator over HTTP: control API, standard interface conformance, speed, background changes, CLI."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from datetime import date
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from devtools.simulator.__main__ import parse_args
from devtools.simulator.app import SimulatorConfig, build_app
from integrations.providers.webhook import EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature

START = date(2026, 12, 1)
SPEC = json.loads((Path(__file__).parents[3] / "schemas" / "provider-standard-interface.json").read_text())
FLIGHT = "flight/LH/401/2026-12-01"


def _schema(name: str) -> Draft202012Validator:
    registry = Registry().with_resource("urn:spec", Resource.from_contents({**SPEC, "$schema": (
        "https://json-schema.org/draft/2020-12/schema")}))
    return Draft202012Validator({"$ref": f"urn:spec#/components/schemas/{name}"}, registry=registry)


@pytest.fixture
async def simulator(aiohttp_server):
    return await aiohttp_server(build_app(SimulatorConfig(seed=9, start=START, population=1_000_000)))


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as client:
        yield client


async def _call(session, server, method, path, body=None, status=200):
    async with session.request(method, server.make_url(path), json=body) as response:
        assert response.status == status, await response.text()
        return await response.json() if response.content_type.endswith("json") else None


def test_the_interface_document_is_valid_openapi_3_1():
    from openapi_spec_validator import validate

    validate(SPEC)
    assert SPEC["openapi"].startswith("3.1")


async def test_answers_conform_to_the_documented_schemas(session, simulator):
    for provider in ("airline-sim", "hotel-sim", "car-sim", "gds-sim"):
        _schema("Info").validate(await _call(session, simulator, "GET", f"/p/{provider}/v1/info"))
    listed = await _call(session, simulator, "GET", "/control/subjects?provider=gds-sim&start=0&count=20")
    subjects = listed["subjects"] + ["hotel/hotel-sim/H000000003", "car/car-sim/C000000003", FLIGHT]
    await _call(session, simulator, "POST", "/control/tick", {"count": 200})
    answer = await _call(session, simulator, "POST", "/p/gds-sim/v1/snapshots/batch", {"subjects": subjects})
    for result in answer["results"]:
        _schema("Result").validate(result)
    assert {r["subject"] for r in answer["results"] if not r["found"]} == {
        "hotel/hotel-sim/H000000003", "car/car-sim/C000000003"}  # other providers' bookings


async def test_created_booking_is_served_and_changes_read_back(session, simulator):
    created = await _call(session, simulator, "POST", "/control/bookings", {
        "kind": "hotel", "name": "Hotel Adlon", "address": "Unter den Linden 77, Berlin", "zone": "Europe/Berlin",
        "check_in": "2026-12-10", "check_out": "2026-12-12", "room_type": "Deluxe"}, status=201)
    subject = created["subject"]
    assert subject.startswith("hotel/hotel-sim/")
    first = await _call(session, simulator, "POST", "/control/changes",
                        {"subject": subject, "change": {"type": "room", "room_type": "Suite"}})
    second = await _call(session, simulator, "POST", "/control/changes",
                         {"subject": subject, "change": {"type": "dates", "shift_days": 1}})
    log = await _call(session, simulator, "GET", f"/control/changes?subject={subject}")
    assert [entry["change"]["type"] for entry in log["changes"]] == ["room", "dates"]
    assert [entry["at"] for entry in log["changes"]] == [first["at"], second["at"]]
    result = await _call(session, simulator, "GET", f"/p/hotel-sim/v1/snapshots/{subject.replace('/', '%2F')}")
    assert result["snapshot"]["room_type"] == "Suite"
    assert result["snapshot"]["check_in"]["local"] == "2026-12-11T15:00:00"
    assert result["changed_at"] == second["at"]


async def test_control_refuses_what_it_cannot_do(session, simulator):
    await _call(session, simulator, "POST", "/control/changes",
                {"subject": "hotel/hotel-sim/NOPE", "change": {"type": "cancel"}}, status=404)
    await _call(session, simulator, "POST", "/control/changes",
                {"subject": FLIGHT, "change": {"type": "land"}}, status=422)
    await _call(session, simulator, "POST", "/control/bookings", {"kind": "spaceship"}, status=422)
    await _call(session, simulator, "POST", "/control/faults", {"kind": "meteor"}, status=422)
    await _call(session, simulator, "POST", "/control/webhooks",
                {"provider": "car-sim", "url": "http://x", "secret": "s"}, status=422)


async def test_interface_errors(session, simulator):
    too_many = {"subjects": [FLIGHT] * 101}
    await _call(session, simulator, "POST", "/p/airline-sim/v1/snapshots/batch", too_many, status=413)
    await _call(session, simulator, "POST", "/p/airline-sim/v1/snapshots/batch", {"subject": FLIGHT}, status=400)
    await _call(session, simulator, "GET", "/p/nobody/v1/info", status=404)
    await _call(session, simulator, "GET", "/p/airline-sim/v1/snapshots/hotel%2Fhotel-sim%2FH000000001",
                status=404)


async def test_a_batch_of_100_from_a_million_is_answered_in_milliseconds(session, simulator):
    listed = await _call(session, simulator, "GET", "/control/subjects?provider=airline-sim&start=900000&count=100")
    body = {"subjects": listed["subjects"]}
    timings = []
    for _ in range(7):
        began = time.perf_counter()
        answer = await _call(session, simulator, "POST", "/p/airline-sim/v1/snapshots/batch", body)
        timings.append(time.perf_counter() - began)
    assert all(result["found"] for result in answer["results"])
    assert statistics.median(timings) < 0.05, timings  # typically 3-6 ms, incl. JSON both ways
    stats = await _call(session, simulator, "GET", "/control/stats")
    assert stats["stored"] == 0 and stats["population"] == 1_000_000


async def test_amadeus_shape_uses_real_timing_qualifiers(session, simulator):
    async with session.post(simulator.make_url("/amadeus/v1/security/oauth2/token"), data={
            "grant_type": "client_credentials", "client_id": "sim-client", "client_secret": "sim-secret"}) as r:
        token = (await r.json())["access_token"]
    await _call(session, simulator, "POST", "/control/changes",
                {"subject": FLIGHT, "change": {"type": "delay", "minutes": 30}})
    url = simulator.make_url("/amadeus/v2/schedule/flights").with_query(
        carrierCode="LH", flightNumber="401", scheduledDepartureDate="2026-12-01")
    async with session.get(url, headers={"Authorization": f"Bearer {token}"}) as response:
        flight = (await response.json())["data"][0]
    departure = flight["flightPoints"][0]["departure"]
    assert [t["qualifier"] for t in departure["timings"]] == ["STD", "ETD"]
    assert flight["flightDesignator"] == {"carrierCode": "LH", "flightNumber": 401}
    async with session.get(url) as response:
        assert response.status == 401


async def test_background_changes_arrive_at_the_configured_rate(aiohttp_server, session):
    server = await aiohttp_server(build_app(SimulatorConfig(seed=9, start=START, change_rate=6000)))
    deadline = time.monotonic() + 5
    while (stats := await _call(session, server, "GET", "/control/stats"))["sequence"] < 10:
        assert time.monotonic() < deadline, stats
        await asyncio.sleep(0.02)
    recent = await _call(session, server, "GET", "/control/changes?limit=5")
    assert recent["changes"] and all(entry["source"] == "random" for entry in recent["changes"])


async def test_tick_draws_the_same_changes_for_the_same_seed(aiohttp_server, session):
    first = await aiohttp_server(build_app(SimulatorConfig(seed=21, start=START)))
    second = await aiohttp_server(build_app(SimulatorConfig(seed=21, start=START)))
    a = await _call(session, first, "POST", "/control/tick", {"count": 40})
    b = await _call(session, second, "POST", "/control/tick", {"count": 40})
    assert [(e["subject"], e["change"]) for e in a["changes"]] == [(e["subject"], e["change"]) for e in b["changes"]]


async def test_failed_pushes_are_retried_with_the_same_event_id(aiohttp_server, session):
    seen: list[tuple[str, bool]] = []
    done = asyncio.Event()

    async def flaky(request: web.Request) -> web.Response:
        body = await request.read()
        verify_signature("k", request.headers[TIMESTAMP_HEADER], body, request.headers[SIGNATURE_HEADER],
                         now=time.time())
        seen.append((request.headers[EVENT_ID_HEADER], len(seen) > 0))
        if len(seen) == 2:
            done.set()
        return web.Response(status=204 if len(seen) > 1 else 500)

    receiver_app = web.Application()
    receiver_app.router.add_post("/hook", flaky)
    receiver = await aiohttp_server(receiver_app)
    hooks = {"airline-sim": (str(receiver.make_url("/hook")), "k")}
    server = await aiohttp_server(build_app(SimulatorConfig(seed=9, start=START, webhooks=hooks)))
    await _call(session, server, "POST", "/control/changes", {"subject": FLIGHT, "change": {"type": "cancel"}})
    await asyncio.wait_for(done.wait(), 5)
    assert seen[0][0] == seen[1][0]


def test_command_line_options():
    args = parse_args(["--port", "8700", "--seed", "42", "--change-rate", "30", "--start-date", "2026-12-01",
                       "--webhook", "airline-sim=http://127.0.0.1:8080/hooks/airline", "--webhook-secret", "s",
                       "--amadeus-client", "id:secret"])
    assert (args.port, args.seed, args.change_rate, args.start_date) == (8700, 42, 30.0, START)
    assert args.webhook == [("airline-sim", "http://127.0.0.1:8080/hooks/airline")]
    assert args.amadeus_client == [("id", "secret")]
