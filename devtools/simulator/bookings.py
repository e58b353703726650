"""Bookings created through the control API: a spec, where the seed fills what it omits, to states."""

from __future__ import annotations

from datetime import date, datetime, time

from devtools.simulator import baseline
from devtools.simulator.catalogue import LOCATOR_ALPHABET, PROVIDERS, locator
from domain.common.places import airport, is_zone, zone_info
from domain.tracking.snapshots import time_at
from domain.tracking.subjects import flight_subject, parse_subject
from integrations.providers.shapes import check_snapshot


def build(seed: int, start: date, spec: dict, serial: int) -> tuple[str, dict[str, dict]]:
    """(subject, states to store by subject); ValueError naming what is wrong with the spec."""
    if not isinstance(spec, dict) or spec.get("kind") not in ("flight", "hotel", "car", "pnr"):
        raise ValueError("kind must be flight, hotel, car or pnr")
    if spec["kind"] == "pnr":
        return _record(seed, start, spec, serial)
    subject, state = _segment(seed, start, spec, serial, spec.get("provider"))
    return subject, {subject: state}


def _record(seed: int, start: date, spec: dict, serial: int) -> tuple[str, dict[str, dict]]:
    provider = _provider(spec.get("provider", "gds-sim"), "pnr")
    code = spec.get("record_locator") or locator(len(LOCATOR_ALPHABET) ** 6 - 1 - serial)
    subject = str(parse_subject(f"pnr/{provider}/{code}"))
    states: dict[str, dict] = {}
    for index, segment in enumerate(spec.get("segments") or []):
        segment = {"confirmation": f"{code}-{index + 1}", **segment}
        segment_subject, state = _segment(seed, start, segment, serial, provider)
        states[segment_subject] = state
    states[subject] = {"kind": "pnr", "status": spec.get("status", "confirmed"), "record_locator": code,
                       "segments": list(states), "provider_changed_at": None}
    return subject, states


def _segment(seed: int, start: date, spec: dict, serial: int, provider: str | None) -> tuple[str, dict]:
    kind = spec.get("kind")
    if kind == "flight":
        subject, state = _flight(seed, spec)
    elif kind in ("hotel", "car"):
        provider = _provider(provider or f"{kind}-sim", kind)
        reference = spec.get("confirmation") or f"X{serial:07d}"
        subject = str(parse_subject(f"{kind}/{provider}/{reference}"))
        state = (_hotel if kind == "hotel" else _car)(seed, start, spec, subject)
    else:
        raise ValueError("a segment is a flight, hotel or car")
    check_snapshot(state)
    return subject, state


def _flight(seed: int, spec: dict) -> tuple[str, dict]:
    subject = str(parse_subject(flight_subject(spec.get("carrier", "RW"), spec.get("number", "1"),
                                               spec.get("date", ""))))
    carrier, number, day = subject.split("/")[1:]
    state = baseline.flight(seed, carrier, number, day)
    origin = _airport(spec.get("from", state["departure"]["airport"]))
    destination = _airport(spec.get("to", state["arrival"]["airport"]))
    departs = _local(spec.get("departure") or state["departure"]["scheduled"]["local"], origin)
    arrives = (_local(spec["arrival"], destination) if spec.get("arrival")
               else departs + baseline.block_time(origin, destination))
    for side, code, moment in (("departure", origin, departs), ("arrival", destination, arrives)):
        state[side].update(airport=code, scheduled=time_at(moment, baseline.place(code)[1]))
        for key in ("terminal", "gate"):
            if f"{side}_{key}" in spec:
                state[side][key] = spec[f"{side}_{key}"]
    state.update(status=spec.get("status", "scheduled"), aircraft=spec.get("aircraft", state["aircraft"]))
    return subject, state


def _hotel(seed: int, start: date, spec: dict, subject: str) -> dict:
    city, day, nights = baseline.stay(seed, subject, start)
    state = baseline.hotel(seed, subject, _airport(spec.get("airport", city)), day, nights)
    zone = _zone(spec, state["check_in"]["zone"])
    for key, hour in (("check_in", 15), ("check_out", 11)):
        if spec.get(key):
            state[key] = time_at(_local(spec[key], zone=zone, default_hour=hour), zone)
    for key in ("name", "address", "room_type", "guests", "status"):
        state[key] = spec.get(key, state[key])
    return state


def _car(seed: int, start: date, spec: dict, subject: str) -> dict:
    city, day, days = baseline.stay(seed, subject, start)
    state = baseline.car(seed, subject, _airport(spec.get("airport", city)), day, days)
    zone = _zone(spec, state["pickup"]["time"]["zone"])
    for key in ("pickup", "dropoff"):
        given = spec.get(key) or {}
        state[key]["location"] = given.get("location", state[key]["location"])
        if given.get("time"):
            state[key]["time"] = time_at(_local(given["time"], zone=zone), zone)
    state.update(company=spec.get("company", state["company"]), status=spec.get("status", "confirmed"))
    return state


def _provider(provider_id: str, kind: str) -> str:
    if provider_id not in PROVIDERS or kind not in PROVIDERS[provider_id].kinds:
        raise ValueError(f"provider {provider_id!r} does not serve {kind}")
    return provider_id


def _airport(code: str) -> str:
    if airport(code) is None:
        raise ValueError(f"unknown airport {code!r}")
    return code


def _zone(spec: dict, default: str) -> str:
    zone = spec.get("zone", default)
    if not is_zone(zone):
        raise ValueError(f"unknown time zone {zone!r}")
    return zone


def _local(value: str, code: str | None = None, zone: str | None = None, default_hour: int = 0) -> datetime:
    """A wall-clock time (or a date, at ``default_hour``) in the zone of ``zone`` or airport ``code``."""
    tz = zone_info(zone or baseline.place(code)[1])
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), time(default_hour), tz)
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)
