"""Amadeus-shaped flight status (/amadeus/v2/schedule/flights and its OAuth2 token) over the same world."""

from __future__ import annotations

import re
import secrets
import time
from datetime import timedelta

from aiohttp import web

from devtools.simulator import baseline
from devtools.simulator.api import WORLD
from domain.tracking.subjects import flight_subject, parse_subject
from integrations.providers.shapes import moment_of

CLIENTS = web.AppKey("amadeus_clients", dict)
TOKENS = web.AppKey("amadeus_tokens", dict)
TOKEN_LIFETIME_S = 1799
_NUMBER = re.compile(r"^\d{1,4}$")


def add_routes(app: web.Application) -> None:
    app.router.add_post("/amadeus/v1/security/oauth2/token", token)
    app.router.add_get("/amadeus/v2/schedule/flights", flights)


async def token(request: web.Request) -> web.Response:
    form = await request.post()
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "Only client_credentials is supported")
    client_id, secret = form.get("client_id"), form.get("client_secret")
    expected = request.app[CLIENTS].get(client_id)
    if not isinstance(secret, str) or expected is None or not secrets.compare_digest(expected, secret):
        return _oauth_error(401, "invalid_client", "Client credentials are invalid")
    access_token = secrets.token_urlsafe(24)
    request.app[TOKENS][access_token] = time.monotonic() + TOKEN_LIFETIME_S
    return web.json_response({
        "type": "amadeusOAuth2Token", "username": "simulator@example.com", "application_name": "road-warrior",
        "client_id": client_id, "token_type": "Bearer", "access_token": access_token,
        "expires_in": TOKEN_LIFETIME_S, "state": "approved", "scope": "",
    })


async def flights(request: web.Request) -> web.Response:
    bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if request.app[TOKENS].get(bearer, 0) < time.monotonic():
        return _errors(401, 38192, "Invalid access token", "The access token provided is invalid")
    query = request.query
    missing = [key for key in ("carrierCode", "flightNumber", "scheduledDepartureDate") if not query.get(key)]
    if missing:
        return _errors(400, 32171, "MANDATORY DATA MISSING", f"{missing[0]} is required", missing[0])
    number = query["flightNumber"] + query.get("operationalSuffix", "")
    subject = flight_subject(query["carrierCode"], number, query["scheduledDepartureDate"])
    try:
        if not _NUMBER.match(query["flightNumber"]):
            raise ValueError(number)
        subject = str(parse_subject(subject))
    except ValueError:
        return _errors(400, 477, "INVALID FORMAT", "invalid query parameter format")
    world = request.app[WORLD]
    snapshot = world.snapshot(subject)
    data = []
    # A cancelled flight is no longer in the schedule: the API answers an empty list, not an error.
    if snapshot is not None and snapshot["status"] != "cancelled":
        data.append(_dated_flight(world.seed, snapshot))
    meta = {"count": len(data), "links": {"self": str(request.url)}}
    return web.json_response({"meta": meta, "data": data})


def _dated_flight(seed: int, snapshot: dict) -> dict:
    departure, arrival = snapshot["departure"], snapshot["arrival"]
    # Segments keep the commercial schedule; a diversion shows as the flown arrival point differing from it.
    planned = baseline.flight(seed, snapshot["carrier"], snapshot["number"], snapshot["date"])["arrival"]
    duration = _duration(moment_of(arrival["scheduled"]) - moment_of(departure["scheduled"]))
    digits = "".join(ch for ch in snapshot["number"] if ch.isdigit())
    designator = {"carrierCode": snapshot["carrier"], "flightNumber": int(digits)}
    if snapshot["number"] != digits:
        designator["operationalSuffix"] = snapshot["number"][len(digits):]
    board, off = departure["airport"], planned["airport"]
    return {
        "type": "DatedFlight", "scheduledDepartureDate": snapshot["date"], "flightDesignator": designator,
        "flightPoints": [{"iataCode": board, "departure": _timings(departure, "D")},
                         {"iataCode": arrival["airport"], "arrival": _timings(arrival, "A")}],
        "segments": [{"boardPointIataCode": board, "offPointIataCode": off,
                      "scheduledSegmentDuration": duration}],
        "legs": [{"boardPointIataCode": board, "offPointIataCode": arrival["airport"],
                  "aircraftEquipment": {"aircraftType": snapshot["aircraft"]},
                  "scheduledLegDuration": duration}],
    }


def _timings(point: dict, letter: str) -> dict:
    timings = [{"qualifier": f"{kind}T{letter}", "value": _minutes(point[key])}
               for kind, key in (("S", "scheduled"), ("E", "estimated"), ("A", "actual")) if point[key]]
    details: dict = {"timings": timings}
    if point["terminal"]:
        details["terminal"] = {"code": point["terminal"]}
    if point["gate"]:
        details["gate"] = {"mainGate": point["gate"]}
    return details


def _minutes(point: dict) -> str:
    """Amadeus writes local time to the minute with the offset: 2023-08-01T18:10+02:00."""
    return moment_of(point).isoformat(timespec="minutes")


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"PT{minutes // 60}H{minutes % 60}M"


def _oauth_error(status: int, error: str, description: str) -> web.Response:
    body = {"error": error, "error_description": description, "code": 38187, "title": "Invalid parameters"}
    return web.json_response(body, status=status)


def _errors(status: int, code: int, title: str, detail: str, parameter: str | None = None) -> web.Response:
    issue = {"status": status, "code": code, "title": title, "detail": detail}
    if parameter:
        issue["source"] = {"parameter": parameter}
    return web.json_response({"errors": [issue]}, status=status)
