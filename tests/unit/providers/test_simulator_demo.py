"""The simulator's demo schedule: when the demo flights change, what changes, and over the control API."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import aiohttp
import pytest

from devtools.simulator.__main__ import parse_args
from devtools.simulator.app import SimulatorConfig, build_app
from devtools.simulator.changes import apply_change
from devtools.simulator.demo_schedule import DemoSchedule, next_change
from devtools.simulator.world import World

START = date(2026, 12, 1)
FLIGHTS = ["flight/LH/401/2026-12-01", "flight/BA/117/2026-12-02"]


def test_nothing_is_due_before_the_flights_are_named():
    schedule = DemoSchedule(first_after_s=60, every_s=180)
    assert schedule.due_at() is None and schedule.take(10_000) is None


def test_the_first_change_comes_after_first_after_s_then_one_every_every_s_round_robin():
    schedule = DemoSchedule(first_after_s=60, every_s=180)
    schedule.follow(FLIGHTS, now=1000)
    assert schedule.take(1059.9) is None
    assert schedule.take(1060) == (FLIGHTS[0], 0)
    assert schedule.take(1060) is None and schedule.due_at() == 1240
    assert schedule.take(1240) == (FLIGHTS[1], 0)
    assert schedule.take(1420) == (FLIGHTS[0], 1)


def test_naming_the_flights_again_restarts_the_clock():
    schedule = DemoSchedule(first_after_s=60, every_s=180)
    schedule.follow(FLIGHTS, now=0)
    assert schedule.take(60) is not None
    schedule.follow(FLIGHTS[:1], now=500)
    assert schedule.take(559) is None and schedule.take(560) == (FLIGHTS[0], 0)


@pytest.mark.parametrize("subject", FLIGHTS)
def test_every_change_applies_and_changes_what_the_provider_shows(subject):
    state = World(seed=42, start=START, population=1000).snapshot(subject)
    kinds = []
    for k in range(24):
        change = next_change(k, state)
        updated = apply_change(state, change)
        assert updated != state, (k, change)
        kinds.append(change["type"] if change.get("minutes", 1) else "on time")
        state = updated
    assert kinds[:4] == ["delay", "gate", "terminal", "on time"]
    assert state["status"] == "scheduled"


def test_a_delay_is_late_enough_to_count_as_delayed():
    state = World(seed=42, start=START, population=1000).snapshot(FLIGHTS[0])
    for lap in range(6):
        assert apply_change(state, next_change(4 * lap, state))["status"] == "delayed"


@pytest.mark.parametrize("status", ["departed", "landed", "cancelled", "diverted"])
def test_a_flight_that_can_no_longer_change_is_left_alone(status):
    state = World(seed=42, start=START, population=1000).snapshot(FLIGHTS[0])
    assert next_change(0, {**state, "status": status}) is None


async def test_named_flights_change_in_the_world_on_schedule(aiohttp_server):
    config = SimulatorConfig(seed=42, start=START, population=1000, demo_first_s=0.05, demo_every_s=0.05)
    server = await aiohttp_server(build_app(config))
    async with aiohttp.ClientSession() as http:
        async with http.post(server.make_url("/control/demo"), json={"subjects": FLIGHTS}) as response:
            assert response.status == 200
            assert (await response.json())["subjects"] == FLIGHTS
        deadline = time.monotonic() + 10
        while len(changes := await _demo_changes(http, server, FLIGHTS[1])) < 2:
            assert time.monotonic() < deadline, changes
            await asyncio.sleep(0.05)
    assert [c["change"]["type"] for c in changes[:2]] == ["delay", "gate"]


async def test_only_subjects_of_the_world_can_be_named(aiohttp_server):
    server = await aiohttp_server(build_app(SimulatorConfig(seed=42, start=START, population=1000)))
    async with aiohttp.ClientSession() as http:
        for body in ({"subjects": ["flight/XX/1/not-a-date"]}, {"subjects": "flight/LH/401/2026-12-01"}, {}):
            async with http.post(server.make_url("/control/demo"), json=body) as response:
                assert response.status == 422, body


async def _demo_changes(http, server, subject: str) -> list[dict]:
    async with http.get(server.make_url("/control/changes"), params={"subject": subject}) as response:
        return [entry for entry in (await response.json())["changes"] if entry["source"] == "demo"]


def test_the_schedule_is_set_on_the_command_line():
    args = parse_args(["--demo-first-s", "5", "--demo-every-s", "20"])
    assert (args.demo_first_s, args.demo_every_s) == (5.0, 20.0)
    assert (parse_args([]).demo_first_s, parse_args([]).demo_every_s) == (60.0, 180.0)
