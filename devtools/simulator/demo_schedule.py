"""The demo schedule: the flights `make run` seeds for the demo traveller change at the provider, on a timer.

The first change comes ``first_after_s`` after the subjects are named (POST /control/demo, right after the
stack is Ready) and one every ``every_s`` after that, round-robin over the flights: a delay, a new departure
gate, a new departure terminal, back on time, and again with other values. They are ordinary changes of the
simulated world (pushed, and seen by polls), so tracking finds them as it finds any provider's.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from aiohttp import web

from devtools.simulator.api import WORLD, problem
from devtools.simulator.changes import ChangeRejected

GATES = ("A12", "B7", "C23", "D4", "E31", "F18", "G9")
TERMINALS = ("1", "2", "3")
IDLE_CHECK_S = 0.5


def next_change(k: int, state: dict) -> dict | None:
    """The ``k``-th demo change (0-based) of one flight in ``state``, always different from what it shows;
    None once the flight can no longer change before departure (departed, landed, diverted, cancelled)."""
    if state.get("kind") != "flight" or state["status"] not in ("scheduled", "delayed"):
        return None
    step, lap = k % 4, k // 4
    if step == 0:
        return {"type": "delay", "minutes": 20 + 10 * (lap % 6)}
    if step == 1:
        return {"type": "gate", "side": "departure", "gate": _other(GATES, lap, state["departure"]["gate"])}
    if step == 2:
        terminal = _other(TERMINALS, lap, state["departure"]["terminal"])
        return {"type": "terminal", "side": "departure", "terminal": terminal}
    return {"type": "delay", "minutes": 0}


def _other(choices: tuple[str, ...], lap: int, current: str | None) -> str:
    """The lap's pick, or the next one when the flight already shows it (a change must change something)."""
    pick = choices[lap % len(choices)]
    return choices[(lap + 1) % len(choices)] if pick == current else pick


@dataclass
class DemoSchedule:
    """Which subjects the demo changes and when; times are the event loop's clock (seconds)."""

    first_after_s: float = 60.0
    every_s: float = 180.0
    subjects: list[str] = field(default_factory=list)
    started_at: float | None = None
    steps: int = 0

    def follow(self, subjects: list[str], now: float) -> None:
        self.subjects, self.started_at, self.steps = list(subjects), now, 0

    def due_at(self) -> float | None:
        if self.started_at is None or not self.subjects:
            return None
        return self.started_at + self.first_after_s + self.steps * self.every_s

    def take(self, now: float) -> tuple[str, int] | None:
        """(subject, its own change number) when a change is due at ``now``; None otherwise."""
        due = self.due_at()
        if due is None or now < due:
            return None
        subject, k = self.subjects[self.steps % len(self.subjects)], self.steps // len(self.subjects)
        self.steps += 1
        return subject, k


DEMO = web.AppKey("demo", DemoSchedule)


def add_routes(app: web.Application) -> None:
    app.router.add_post("/control/demo", follow)
    app.router.add_get("/control/demo", show)


async def follow(request: web.Request) -> web.Response:
    """``{"subjects": [...]}``: change these flights on the demo schedule, starting the clock now."""
    try:
        subjects = (await request.json())["subjects"]
    except (ValueError, KeyError, TypeError):
        subjects = None
    world = request.app[WORLD]
    if not isinstance(subjects, list) or any(not isinstance(s, str) or world.snapshot(s) is None for s in subjects):
        return problem(422, "subjects must be a list of the world's subjects.")
    request.app[DEMO].follow(subjects, asyncio.get_running_loop().time())
    return await show(request)


async def show(request: web.Request) -> web.Response:
    schedule, loop = request.app[DEMO], asyncio.get_running_loop()
    due = schedule.due_at()
    return web.json_response({"subjects": schedule.subjects, "first_after_s": schedule.first_after_s,
                              "every_s": schedule.every_s, "changes": schedule.steps,
                              "next_in_s": None if due is None else max(0.0, round(due - loop.time(), 1))})


async def run(app: web.Application) -> None:
    """Apply each demo change when it is due (a cleanup-context task of the simulator app)."""
    schedule, world, loop = app[DEMO], app[WORLD], asyncio.get_running_loop()
    while True:
        due = schedule.due_at()
        await asyncio.sleep(IDLE_CHECK_S if due is None else min(max(due - loop.time(), 0), IDLE_CHECK_S))
        while (taken := schedule.take(loop.time())) is not None:
            subject, k = taken
            change = next_change(k, world.snapshot(subject))
            if change is not None:
                with contextlib.suppress(ChangeRejected, LookupError):
                    world.inject(subject, change, source="demo")


async def running(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.create_task(run(app), name="simulator-demo")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
