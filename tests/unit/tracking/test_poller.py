"""The poller against the provider simulator: dedup and fan-out, batches, breaker, backoff, quota, rebuild.

Time is a fake clock the poller and its gates read and sleep on; the provider is the real simulator app
on a local port, with a middleware that records what reached it.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import orjson
import pytest
from aiohttp import web

from agents.tracking.poll_providers import Poller
from devtools.simulator.app import SimulatorConfig, build_app
from devtools.simulator.faults import FAULTS
from domain.tracking import schedule
from runtime.monitoring import REGISTRY
from streams import topics
from tables.providers import providers
from tables.tracked_subjects import tracked_subjects

CYCLE = 60.0
T0 = 1_800_000_000.0
FAR = 2e9   # members' tracking ends long after the test


class Clock:
    def __init__(self) -> None:
        self.now = T0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class Seen:
    """What reached the simulator: each batch request's subjects and the fake time, and peak concurrency."""

    def __init__(self, clock: Clock) -> None:
        self.clock, self.batches, self.times, self.flying, self.peak = clock, [], [], 0, 0

    @web.middleware
    async def middleware(self, request: web.Request, handler):
        if request.path.endswith("/batch"):
            self.batches.append((await request.json())["subjects"])
            self.times.append(self.clock.now)
        self.flying += 1
        self.peak = max(self.peak, self.flying)
        try:
            return await handler(request)
        finally:
            self.flying -= 1


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def simulator(aiohttp_server, clock):
    app = build_app(SimulatorConfig(seed=7, population=1_000))
    seen = Seen(clock)
    app.middlewares.insert(0, seen.middleware)
    server = await aiohttp_server(app)
    seen.url = str(server.make_url("")).rstrip("/")
    seen.faults = app[FAULTS]
    return seen


def register(simulator, provider_id: str = "airline-sim", **overrides) -> None:
    providers.data[provider_id] = {
        "provider_id": provider_id, "kind": "standard", "base_url": f"{simulator.url}/p/{provider_id}",
        "enabled": True, "batch_size": 4, "max_concurrency": 2, "timeout_s": 5,
        "quota": {"per_second": 100, "per_day": 1_000_000}, **overrides}


def index(subjects: dict[str, dict[str, list]], partition: int = 0) -> None:
    for subject, members in subjects.items():
        tracked_subjects.data[subject] = {"subject": subject, "partition": partition, "joined_at": T0 - 3600,
                                          "members": members}


def flights(n: int, travellers: int) -> dict[str, dict[str, list]]:
    """n flight instances, each with ``travellers`` reservations spread over four partitions."""
    return {f"flight/LH/{400 + i}/2026-12-01": {f"r{i}-{t}": [t % 4, FAR, None] for t in range(travellers)}
            for i in range(n)}


@pytest.fixture
async def poller(clock, sent, faust_app):
    async def caught_up(partition: int) -> None:
        return None

    one = Poller(CYCLE, clock=clock, sleep=clock.sleep, rand=lambda: 0.5, flight_provider="airline-sim",
                 owned=lambda: {0}, ready=lambda: True, caught_up=caught_up)
    yield one
    await one.close()


async def run(poller: Poller, clock: Clock, seconds: float, step: float = 1.0) -> None:
    """Tick every ``step`` fake seconds, letting each tick's polls finish before the next."""
    end = clock.now + seconds
    while clock.now < end:
        await poller.tick()
        while poller.tasks:
            await asyncio.gather(*list(poller.tasks))
        await poller.outbox.flush()
        clock.now += step


def circuit(state: str) -> float | None:
    """The airline's circuit state gauge on /metrics: 1 for the breaker's current state, 0 for the others."""
    return REGISTRY.get_sample_value("roadwarrior_provider_circuit_state", {"provider": "airline-sim", "state": state})


def snapshot_messages(sent) -> list[dict]:
    return [orjson.loads(value) for _, value in sent.to(topics.provider_snapshots)]


async def test_each_subject_is_fetched_once_per_cycle_and_reaches_every_reservation_on_it(
        faust_app, sent, simulator, poller, clock):
    register(simulator)
    index(flights(10, travellers=7))
    await run(poller, clock, CYCLE + 1)
    asked = Counter(subject for batch in simulator.batches for subject in batch)
    assert len(asked) == 10 and set(asked.values()) == {1}                  # 10 calls' worth for 70 reservations
    reached = Counter()
    for message in snapshot_messages(sent):
        for rid, subject in message["targets"]:
            assert int(rid.split("-")[1]) % 4 == message["partition"]       # each to its own partition
            assert message["snapshots"][subject]["outcome"] == "found"
            reached[rid] += 1
    assert len(reached) == 70 and set(reached.values()) == {1}


async def test_subjects_due_together_go_in_batches_within_the_concurrency_limit(
        faust_app, sent, simulator, poller, clock):
    register(simulator, batch_size=4, max_concurrency=1)
    index(flights(10, travellers=1))
    await poller.tick()                 # builds the timetable
    clock.now += CYCLE                  # everything is due at once
    await run(poller, clock, 1)
    assert sorted(len(batch) for batch in simulator.batches) == [2, 4, 4] and simulator.peak == 1


async def test_failures_never_reach_the_diff_stage_and_open_the_breaker_until_it_recovers(
        faust_app, sent, simulator, poller, clock):
    register(simulator, batch_size=1, max_concurrency=1)
    index(flights(4, travellers=1))
    simulator.faults.add({"provider": "airline-sim", "kind": "5xx", "count": 5})
    await poller.tick()
    clock.now += CYCLE
    await run(poller, clock, 1)
    assert len(simulator.batches) == 5                     # 3 attempts, 2 more, then the circuit opened
    assert {0.5, 1.0} <= set(clock.slept)                  # jittered backoff: rand() * 1 s, then * 2 s
    assert snapshot_messages(sent) == []
    assert (circuit("open"), circuit("closed")) == (1, 0)
    await run(poller, clock, 2 * CYCLE)                   # half-open after 30 s, a trial succeeds, closed
    assert (circuit("open"), circuit("closed")) == (0, 1)
    assert {s for m in snapshot_messages(sent) for s in m["snapshots"]} == set(flights(4, 1))


async def test_a_429_with_retry_after_holds_the_provider_off_at_least_that_long(
        faust_app, sent, simulator, poller, clock):
    register(simulator, batch_size=10)
    index(flights(3, travellers=1))
    simulator.faults.add({"provider": "airline-sim", "kind": "429", "count": 1, "retry_after": "45"})
    await poller.tick()
    clock.now += CYCLE
    started = clock.now
    await run(poller, clock, 2 * CYCLE)
    assert clock.slept[0] >= 45
    assert all(t - started >= 45 for t in simulator.times[1:])


async def test_the_quota_spaces_requests_out(faust_app, sent, simulator, poller, clock):
    register(simulator, batch_size=1, max_concurrency=1, quota={"per_second": 1, "per_day": 1000})
    index(flights(4, travellers=1))
    await poller.tick()
    clock.now += CYCLE
    await run(poller, clock, 1)
    times = sorted(simulator.times)
    assert len(times) == 4 and all(b - a >= 1.0 - 1e-9 for a, b in zip(times, times[1:], strict=False))


async def test_a_subject_the_provider_does_not_know_is_passed_on_as_not_found(
        faust_app, sent, simulator, poller, clock):
    register(simulator, "hotel-sim")
    index({"hotel/hotel-sim/H999999999": {"r1": [1, FAR, None]}})
    await run(poller, clock, CYCLE)
    [message] = snapshot_messages(sent)
    assert message["snapshots"]["hotel/hotel-sim/H999999999"]["outcome"] == "not_found"


async def test_reservations_whose_trip_ended_are_stopped_and_leave_the_subject(faust_app, sent, simulator, poller,
                                                                                   clock):
    register(simulator)
    index({"flight/LH/400/2026-12-01": {"r1": [1, T0 - 1, None], "r2": [2, FAR, None]}})
    await run(poller, clock, CYCLE + 1)
    stops = [stop for m in snapshot_messages(sent) for stop in m["stops"]]
    assert stops == [["r1", "flight/LH/400/2026-12-01"]]
    leaves = [orjson.loads(v) for _, v in sent.to(topics.tracked_subject_commands)
              if orjson.loads(v)["kind"] == "leave"]
    assert [leave["reservation_ids"] for leave in leaves] == [["r1"]]


async def test_the_timetable_is_rebuilt_from_the_index_and_the_last_checkpoint(faust_app, sent, simulator, poller,
                                                                                  clock):
    register(simulator)
    everything = flights(30, travellers=1)
    index(everything)
    watermark = T0 - 20
    tracked_subjects.data["~checkpoint/0"] = {"watermark": watermark}
    await poller.sync_partitions(T0)
    plan = poller.plans[0]
    missed = 0
    for subject in everything:
        slot = schedule.next_due(subject, CYCLE, watermark)
        if slot >= T0:
            assert plan.next_due(subject) == slot               # still ahead: kept, not polled twice
        else:
            missed += 1
            assert T0 <= plan.next_due(subject) < T0 + CYCLE    # missed while down: caught up, not skipped
    assert missed
    await poller.tick()
    checkpoints = [orjson.loads(v) for k, v in sent.to(topics.tracked_subject_commands) if k == "~checkpoint/0"]
    assert checkpoints and checkpoints[-1]["watermark"] <= T0 and checkpoints[-1]["watermark"] >= watermark
