"""This worker's dispatcher and its retry schedule, shared by the delivering agent and the retry timer."""

from __future__ import annotations

import asyncio
import contextlib

import aiohttp
import orjson

from agents.notify.channels import build_channels
from agents.notify.dispatch import Dispatcher
from domain.notify.due import DueIndex
from faust_app import app, settings
from streams import topics

SHUTDOWN_GRACE_S = 5.0
retries = DueIndex()  # (user ID, notification ID) -> when to try again, or to resolve a stale claim
_dispatcher: Dispatcher | None = None
_session: aiohttp.ClientSession | None = None


async def report(user_id: str, outcome: dict) -> None:
    """A delivery's outcome, back to the ledger's one writer."""
    await topics.notification_deliveries.send(key=user_id, value=orjson.dumps(outcome))


def dispatcher() -> Dispatcher:
    """The worker's dispatcher, built on first use (its HTTP clients need the running loop)."""
    global _dispatcher, _session
    if _dispatcher is None:
        _session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))
        _dispatcher = Dispatcher(build_channels(settings.notify, _session), report,
                                 concurrency=settings.notify.concurrency)
    return _dispatcher


def use(replacement: Dispatcher | None) -> None:
    """Put another dispatcher in place (tests hand in their own channels)."""
    global _dispatcher
    _dispatcher = replacement


@app.on_before_shutdown.connect
async def _close(app, **kwargs) -> None:  # noqa: ANN001 (Faust signal signature)
    if _dispatcher is not None:
        # Sends under way get a few seconds to report: a claim left without its outcome becomes "unknown".
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_dispatcher.drain(), SHUTDOWN_GRACE_S)
        await _dispatcher.close()
    if _session is not None:
        await _session.close()
