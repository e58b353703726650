"""Amadeus On-Demand Flight Status adapter: one dated flight per call, OAuth2 client-credentials token."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from yarl import URL

from domain.common.places import airport_zone, parse_local
from domain.tracking.flight_status import derive
from domain.tracking.snapshots import time_at
from domain.tracking.subjects import flight_subject, parse_subject
from integrations.providers.errors import MalformedResponse, ProviderCredentialsRejected, ProviderError, UnknownSubject
from integrations.providers.http import request_json

# Renew a little before expiry so a token never lapses between the check and the request.
TOKEN_MARGIN_S = 60
_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")
_FLIGHT_NUMBER = re.compile(r"^0*(\d+)([A-Z]?)$")


class AmadeusFlightStatus:
    """``GET /v2/schedule/flights`` mapped to the flight snapshot; ``base_url`` is the API root."""

    name = "amadeus"
    # One flight per call; Amadeus Self-Service allows 10 calls a second in test (40 in production).
    batch_size = 1

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        credentials: Mapping[str, str],
        timeout_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        self._grant = {"grant_type": "client_credentials", "client_id": credentials["client_id"],
                       "client_secret": credentials["client_secret"]}
        self._timeout_s = timeout_s
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._token_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"AmadeusFlightStatus({self._base!r})"

    async def fetch_flight(self, carrier: str, number: str, day: str) -> dict:
        """The flight snapshot for carrier, number and local departure date; UnknownSubject when none is dated."""
        match = _FLIGHT_NUMBER.match(number)
        if match is None:
            raise ValueError(f"not a flight number: {number!r}")
        digits, suffix = match.groups()
        params = {"carrierCode": carrier, "flightNumber": digits, "scheduledDepartureDate": day}
        if suffix:
            params["operationalSuffix"] = suffix
        payload = await self._get("/v2/schedule/flights", params)
        try:
            snapshot = _to_flight(payload, carrier, number, digits)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            raise MalformedResponse(f"{self.name}: {exc}", provider=self.name) from None
        if snapshot is None:
            raise UnknownSubject(f"{self.name}: no dated flight {flight_subject(carrier, number, day)}",
                                 provider=self.name, status=200)
        return snapshot

    async def fetch_one(self, subject: str) -> dict:
        parsed = parse_subject(subject)
        if parsed.kind != "flight":
            raise UnknownSubject(f"{self.name}: only flight subjects are served", provider=self.name)
        return await self.fetch_flight(*parsed.flight)

    async def fetch_batch(self, subjects: Sequence[str]) -> dict[str, dict | None]:
        """One call per flight, in turn, to stay inside the per-second quota; None = not found."""
        found: dict[str, dict | None] = {}
        for subject in subjects:
            try:
                found[subject] = await self.fetch_one(subject)
            except UnknownSubject:
                found[subject] = None
        return found

    async def _get(self, path: str, params: dict) -> Any:
        token = await self._bearer()
        try:
            return await self._call("GET", path, token, params=params)
        except ProviderCredentialsRejected:
            # A token can be revoked before its expiry: renew once, then let a second refusal stand.
            return await self._call("GET", path, await self._bearer(renew=True), params=params)

    async def _call(self, method: str, path: str, token: str, **kwargs: Any) -> Any:
        return await request_json(self._session, method, URL(self._base + path), provider=self.name,
                                  timeout_s=self._timeout_s,
                                  headers={"Authorization": f"Bearer {token}"}, **kwargs)

    async def _bearer(self, renew: bool = False) -> str:
        async with self._token_lock:
            if renew or self._token is None or self._clock() >= self._expires_at:
                await self._grant_token()
            return self._token  # type: ignore[return-value]

    async def _grant_token(self) -> None:
        try:
            payload = await request_json(self._session, "POST", URL(self._base + "/v1/security/oauth2/token"),
                                         provider=self.name, timeout_s=self._timeout_s, data=self._grant)
        except ProviderError as exc:
            if exc.status == 400:  # invalid_client / unsupported grant come back as 400 too
                raise ProviderCredentialsRejected(f"{self.name}: token grant refused", provider=self.name,
                                                  status=400) from None
            raise
        payload = payload if isinstance(payload, dict) else {}
        token, lifetime = payload.get("access_token"), payload.get("expires_in")
        if not isinstance(token, str) or not isinstance(lifetime, int):
            raise MalformedResponse(f"{self.name}: token response without access_token/expires_in",
                                    provider=self.name)
        self._token = token
        self._expires_at = self._clock() + max(0, lifetime - TOKEN_MARGIN_S)


def _to_flight(payload: Any, carrier: str, number: str, digits: str) -> dict | None:
    """The first DatedFlight with this designator as a flight snapshot; None when there is none."""
    dated = [flight for flight in payload["data"]
             if flight["flightDesignator"]["carrierCode"] == carrier
             and str(flight["flightDesignator"]["flightNumber"]) == digits]
    if not dated:
        return None
    flight = dated[0]
    points = flight["flightPoints"]
    departure = _to_point(next(p for p in points if "departure" in p), "departure", "D")
    arrival = _to_point(next(p for p in reversed(points) if "arrival" in p), "arrival", "A")
    legs = flight.get("legs") or [{}]
    aircraft = (legs[0].get("aircraftEquipment") or {}).get("aircraftType")
    # Segments carry the commercial schedule; a flown arrival point elsewhere is a diversion.
    planned = {segment.get("offPointIataCode") for segment in flight.get("segments") or []}
    diverted = bool(planned) and arrival["airport"] not in planned
    return {
        # The schedule API has no status field: the times say how far the flight has got.
        "kind": "flight", "status": derive("diverted" if diverted else "scheduled", departure, arrival),
        "carrier": carrier, "number": number, "date": flight["scheduledDepartureDate"],
        "departure": departure, "arrival": arrival,
        "aircraft": None if aircraft is None else str(aircraft),
        "provider_changed_at": None,  # the schedule API does not say when it last changed
    }


def _to_point(point: dict, side: str, letter: str) -> dict:
    """A flight point: S/E/A T{D,A} timings become scheduled/estimated/actual in the airport's zone."""
    airport, details = point["iataCode"], point[side]
    timings = {timing["qualifier"]: timing for timing in details.get("timings", [])}
    zone = airport_zone(airport) or _offset_zone(timings[f"ST{letter}"]["value"])
    moments = {key: parse_local(timing["value"], zone) for key, timing in timings.items()}
    scheduled = moments[f"ST{letter}"]
    estimated = moments.get(f"ET{letter}") or _delayed(scheduled, timings[f"ST{letter}"])
    actual = moments.get(f"AT{letter}")
    terminal = (details.get("terminal") or {}).get("code")
    return {
        "airport": airport,
        "scheduled": time_at(scheduled, zone),
        "estimated": time_at(estimated, zone) if estimated else None,
        "actual": time_at(actual, zone) if actual else None,
        "terminal": None if terminal is None else str(terminal),
        "gate": (details.get("gate") or {}).get("mainGate"),
    }


def _delayed(scheduled: datetime, timing: dict) -> datetime | None:
    """A timing's recorded delay, when the provider sends one instead of an estimated time."""
    delays = timing.get("delays") or []
    return scheduled + _duration(delays[0]["duration"]) if delays else None


def _duration(value: str) -> timedelta:
    match = _ISO_DURATION.match(value)
    if not match:
        raise ValueError(f"bad ISO 8601 duration {value!r}")
    days, hours, minutes = (int(group or 0) for group in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def _offset_zone(value: str) -> str:
    """An Etc/GMT zone for an airport missing from the airport list (POSIX signs are inverted)."""
    offset = datetime.fromisoformat(value).utcoffset()
    hours, rest = divmod(offset.total_seconds(), 3600) if offset is not None else (0, 0)
    if rest or not hours:
        return "UTC"
    return f"Etc/GMT{-int(hours):+d}"
