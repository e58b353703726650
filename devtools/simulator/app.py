"""The simulator's aiohttp application: standard interface, Amadeus shape, control API, background changes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import aiohttp
from aiohttp import web

from devtools.simulator import amadeus, api, control, demo_schedule
from devtools.simulator.amadeus import CLIENTS, TOKENS
from devtools.simulator.api import API_KEY, WORLD
from devtools.simulator.control import PUSHER
from devtools.simulator.demo_schedule import DEMO, DemoSchedule
from devtools.simulator.faults import FAULTS, STOPPING, Faults, fault_middleware
from devtools.simulator.push import Pusher
from devtools.simulator.world import World


@dataclass(frozen=True)
class SimulatorConfig:
    """How the world is seeded and how busy it is; ``change_rate`` is random changes per minute; the demo
    traveller's flights change ``demo_first_s`` after POST /control/demo names them, then every ``demo_every_s``."""

    seed: int = 42
    start: date | None = None
    population: int = 1_000_000
    change_rate: float = 0.0
    api_key: str | None = None
    amadeus_clients: dict[str, str] = field(default_factory=lambda: {"sim-client": "sim-secret"})
    webhooks: dict[str, tuple[str, str]] = field(default_factory=dict)
    created_share: float = 0.5
    demo_first_s: float = 60.0
    demo_every_s: float = 180.0


def build_app(
    config: SimulatorConfig | None = None, clock: Callable[[], datetime] | None = None
) -> web.Application:
    """A new simulator app; ``clock`` stamps changes (UTC), for tests that need fixed times."""
    config = config or SimulatorConfig()
    world = World(config.seed, config.start, config.population, clock, config.created_share)
    app = web.Application(middlewares=[fault_middleware])
    app[WORLD] = world
    app[FAULTS] = Faults()
    app[STOPPING] = asyncio.Event()
    app[CLIENTS] = dict(config.amadeus_clients)
    app[TOKENS] = {}
    if config.api_key:
        app[API_KEY] = config.api_key
    pusher = Pusher()
    for provider_id, (url, secret) in config.webhooks.items():
        pusher.subscribe(provider_id, url, secret)
    world.listeners.append(pusher.notify)
    app[PUSHER] = pusher
    app[DEMO] = DemoSchedule(config.demo_first_s, config.demo_every_s)
    for module in (api, amadeus, control, demo_schedule):
        module.add_routes(app)
    app.cleanup_ctx.append(_background(config.change_rate))
    app.cleanup_ctx.append(demo_schedule.running)
    app.on_shutdown.append(_release_held_requests)
    return app


def _background(change_rate: float) -> Callable[[web.Application], AsyncIterator[None]]:
    async def run(app: web.Application) -> AsyncIterator[None]:
        session = aiohttp.ClientSession()
        tasks = [asyncio.create_task(app[PUSHER].run(session), name="simulator-push")]
        if change_rate > 0:
            changer = _change_steadily(app[WORLD], change_rate)
            tasks.append(asyncio.create_task(changer, name="simulator-changes"))
        yield
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await session.close()

    return run


async def _change_steadily(world: World, per_minute: float) -> None:
    """One random change every 60/per_minute seconds, on a fixed schedule so the rate does not drift."""
    loop = asyncio.get_running_loop()
    interval = 60.0 / per_minute
    due = loop.time()
    while True:
        due = max(due + interval, loop.time())
        await asyncio.sleep(due - loop.time())
        world.advance(1)


async def _release_held_requests(app: web.Application) -> None:
    app[STOPPING].set()
