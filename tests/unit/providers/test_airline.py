"""The Amadeus flight-status adapter: a recorded response served locally, and the simulator's Amadeus shape."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from devtools.simulator.app import SimulatorConfig, build_app
from integrations.providers.airline import AmadeusFlightStatus
from integrations.providers.errors import (
    MalformedResponse,
    ProviderCredentialsRejected,
    ProviderUnavailable,
    UnknownSubject,
)
from integrations.providers.standard import StandardProvider

SAMPLES = Path(__file__).parents[3].parent / "shared" / "data" / "reservation-samples" / "provider-apis"
RECORDED = json.loads((SAMPLES / "amadeus_on_demand_flight_status_example.json").read_text())
CLIENT = {"client_id": "rw-client", "client_secret": "rw-secret-do-not-log"}
SIM_CLIENT = {"client_id": "sim-client", "client_secret": "sim-secret"}
START = date(2026, 12, 1)


class RecordedAmadeus:
    """A local Amadeus: the token endpoint and the recorded TP 487 answer, counting what it is asked."""

    def __init__(self) -> None:
        self.grants = 0
        self.flight_calls: list[dict] = []
        self.revoked = False
        self.body: object = RECORDED

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/security/oauth2/token", self.token)
        app.router.add_get("/v2/schedule/flights", self.flights)
        return app

    async def token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT["client_id"], CLIENT["client_secret"]):
            return web.json_response({"error": "invalid_client", "code": 38187}, status=401)
        self.grants += 1
        self.revoked = False
        return web.json_response({"access_token": f"token-{self.grants}", "expires_in": 1799,
                                  "token_type": "Bearer"})

    async def flights(self, request: web.Request) -> web.Response:
        self.flight_calls.append(dict(request.query))
        if self.revoked or request.headers.get("Authorization") != f"Bearer token-{self.grants}":
            return web.json_response({"errors": [{"status": 401, "code": 38192}]}, status=401)
        if (request.query["carrierCode"], request.query["flightNumber"]) != ("TP", "487"):
            return web.json_response({"meta": {"count": 0}, "data": []})
        return web.json_response(self.body)


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def recorded(aiohttp_server):
    amadeus = RecordedAmadeus()
    amadeus.server = await aiohttp_server(amadeus.app())
    return amadeus


def _adapter(session, server, credentials=CLIENT, clock=None, base="/"):
    kwargs = {"clock": clock} if clock else {}
    return AmadeusFlightStatus(session, str(server.make_url(base)), credentials, 2.0, **kwargs)


async def test_recorded_response_maps_to_flight_snapshot(session, recorded):
    snapshot = await _adapter(session, recorded.server).fetch_flight("TP", "487", "2023-08-01")
    assert snapshot == {
        "kind": "flight", "status": "scheduled", "carrier": "TP", "number": "487", "date": "2023-08-01",
        "departure": {"airport": "NCE", "scheduled": {"local": "2023-08-01T18:10:00", "zone": "Europe/Paris",
                                                      "utc": "2023-08-01T16:10:00Z"},
                      "estimated": None, "actual": None, "terminal": None, "gate": None},
        "arrival": {"airport": "LIS", "scheduled": {"local": "2023-08-01T19:45:00", "zone": "Europe/Lisbon",
                                                    "utc": "2023-08-01T18:45:00Z"},
                    "estimated": None, "actual": None, "terminal": None, "gate": None},
        "aircraft": "E90", "provider_changed_at": None,
    }
    assert recorded.flight_calls == [{"carrierCode": "TP", "flightNumber": "487",
                                      "scheduledDepartureDate": "2023-08-01"}]


async def test_fetch_one_takes_a_flight_subject(session, recorded):
    snapshot = await _adapter(session, recorded.server).fetch_one("flight/TP/487/2023-08-01")
    assert snapshot["departure"]["airport"] == "NCE"


async def test_token_is_reused_until_it_expires(session, recorded):
    now = [1000.0]
    adapter = _adapter(session, recorded.server, clock=lambda: now[0])
    await adapter.fetch_flight("TP", "487", "2023-08-01")
    await adapter.fetch_flight("TP", "487", "2023-08-01")
    assert recorded.grants == 1
    now[0] += 1799
    await adapter.fetch_flight("TP", "487", "2023-08-01")
    assert recorded.grants == 2


async def test_a_revoked_token_is_renewed_once(session, recorded):
    adapter = _adapter(session, recorded.server)
    await adapter.fetch_flight("TP", "487", "2023-08-01")
    recorded.revoked = True
    assert (await adapter.fetch_flight("TP", "487", "2023-08-01"))["carrier"] == "TP"
    assert recorded.grants == 2


async def test_refused_client_is_rejected_credentials_without_the_secret(session, recorded):
    credentials = {"client_id": "rw-client", "client_secret": "wrong-secret-xyz"}
    with pytest.raises(ProviderCredentialsRejected) as caught:
        await _adapter(session, recorded.server, credentials).fetch_flight("TP", "487", "2023-08-01")
    assert "wrong-secret-xyz" not in str(caught.value)
    assert "wrong-secret-xyz" not in repr(_adapter(session, recorded.server, credentials))


async def test_no_dated_flight_is_not_found(session, recorded):
    with pytest.raises(UnknownSubject):
        await _adapter(session, recorded.server).fetch_flight("TP", "999", "2023-08-01")


async def test_batch_reports_unknown_flights_as_none(session, recorded):
    found = await _adapter(session, recorded.server).fetch_batch(
        ["flight/TP/487/2023-08-01", "flight/TP/999/2023-08-01"])
    assert found["flight/TP/487/2023-08-01"]["aircraft"] == "E90"
    assert found["flight/TP/999/2023-08-01"] is None


def _with_departure(**departure):
    body = json.loads(json.dumps(RECORDED))
    body["data"][0]["flightPoints"][0]["departure"].update(departure)
    return body


async def test_estimates_gates_and_delays_are_mapped(session, recorded):
    recorded.body = _with_departure(
        terminal={"code": "2"}, gate={"mainGate": "B12"},
        timings=[{"qualifier": "STD", "value": "2023-08-01T18:10+02:00"},
                 {"qualifier": "ETD", "value": "2023-08-01T18:50+02:00"}])
    snapshot = await _adapter(session, recorded.server).fetch_flight("TP", "487", "2023-08-01")
    assert snapshot["status"] == "delayed"
    assert snapshot["departure"]["estimated"]["local"] == "2023-08-01T18:50:00"
    assert (snapshot["departure"]["terminal"], snapshot["departure"]["gate"]) == ("2", "B12")


async def test_a_recorded_delay_without_estimate_becomes_one(session, recorded):
    recorded.body = _with_departure(timings=[{"qualifier": "STD", "value": "2023-08-01T18:10+02:00",
                                              "delays": [{"duration": "PT1H5M"}]}])
    snapshot = await _adapter(session, recorded.server).fetch_flight("TP", "487", "2023-08-01")
    assert snapshot["departure"]["estimated"]["utc"] == "2023-08-01T17:15:00Z"
    assert snapshot["status"] == "delayed"


async def test_actual_departure_means_departed(session, recorded):
    recorded.body = _with_departure(timings=[{"qualifier": "STD", "value": "2023-08-01T18:10+02:00"},
                                             {"qualifier": "ATD", "value": "2023-08-01T18:12+02:00"}])
    snapshot = await _adapter(session, recorded.server).fetch_flight("TP", "487", "2023-08-01")
    assert snapshot["status"] == "departed"
    assert snapshot["departure"]["actual"]["local"] == "2023-08-01T18:12:00"


@pytest.mark.parametrize("body", [{"data": "nope"}, {"meta": {}}, _with_departure(timings=[])])
async def test_wrong_shapes_are_malformed(session, recorded, body):
    recorded.body = body
    with pytest.raises(MalformedResponse):
        await _adapter(session, recorded.server).fetch_flight("TP", "487", "2023-08-01")


@pytest.fixture
async def simulator(aiohttp_server):
    return await aiohttp_server(build_app(SimulatorConfig(seed=11, start=START, population=10_000)))


async def _change(session, simulator, subject, change):
    async with session.post(simulator.make_url("/control/changes"),
                            json={"subject": subject, "change": change}) as response:
        assert response.status == 200, await response.text()


async def test_simulator_amadeus_agrees_with_its_standard_interface(session, simulator):
    subject = "flight/LH/401/2026-12-01"
    await _change(session, simulator, subject, {"type": "gate", "gate": "A7"})
    await _change(session, simulator, subject, {"type": "delay", "minutes": 50})
    amadeus = await _adapter(session, simulator, SIM_CLIENT, base="/amadeus").fetch_one(subject)
    standard = await StandardProvider(session, str(simulator.make_url("/p/airline-sim"))).fetch_one(subject)
    for key in ("status", "departure", "arrival", "aircraft", "date"):
        assert amadeus[key] == standard[key], key
    assert amadeus["status"] == "delayed" and amadeus["departure"]["gate"] == "A7"


async def test_simulator_amadeus_shows_diversion_and_landing(session, simulator):
    subject = "flight/LH/401/2026-12-01"
    for change in ({"type": "depart"}, {"type": "divert", "airport": "MUC"}, {"type": "land"}):
        await _change(session, simulator, subject, change)
    snapshot = await _adapter(session, simulator, SIM_CLIENT, base="/amadeus").fetch_one(subject)
    assert snapshot["status"] == "diverted"
    assert snapshot["arrival"]["airport"] == "MUC" and snapshot["arrival"]["actual"] is not None


async def test_simulator_amadeus_drops_cancelled_flights(session, simulator):
    subject = "flight/LH/401/2026-12-01"
    await _change(session, simulator, subject, {"type": "cancel"})
    with pytest.raises(UnknownSubject):
        await _adapter(session, simulator, SIM_CLIENT, base="/amadeus").fetch_one(subject)


async def test_simulator_revoking_tokens_is_survived(session, simulator):
    adapter = _adapter(session, simulator, SIM_CLIENT, base="/amadeus")
    await adapter.fetch_one("flight/LH/401/2026-12-01")
    async with session.post(simulator.make_url("/control/amadeus/revoke")) as response:
        assert response.status == 204
    assert (await adapter.fetch_one("flight/LH/401/2026-12-01"))["carrier"] == "LH"


async def test_simulator_faults_reach_the_amadeus_endpoints(session, simulator):
    async with session.post(simulator.make_url("/control/faults"),
                            json={"provider": "amadeus-sim", "kind": "5xx", "count": 1}) as response:
        assert response.status == 201
    with pytest.raises(ProviderUnavailable):
        await _adapter(session, simulator, SIM_CLIENT, base="/amadeus").fetch_one("flight/LH/401/2026-12-01")
