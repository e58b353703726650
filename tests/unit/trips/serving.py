"""The trip views' web layer for unit tests: one worker owning every key and caught up, its agents applying
what the views send to their topics (test_context()), and the trips' clock set where a test needs it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime

from aiohttp.test_utils import TestServer

import web
import web.trips.books as books
from agents.trips.schedule import due
from runtime.clock import trips_clock
from streams.replies import progress
from web.auth import access_token


def signed_in(user_id: str) -> dict:
    return {"Authorization": f"Bearer {access_token(user_id, 'traveller', 's1')}"}


def set_clock(monkeypatch, moment: datetime):
    """The trips' clock at ``moment``, then moved as a test says; no end-of-trip timer left from another test."""
    due.clear()   # a module singleton, like the tables
    monkeypatch.setattr(trips_clock, "settable", True)
    monkeypatch.setattr(trips_clock, "offset", moment - trips_clock.now() + trips_clock.offset)
    return trips_clock


@contextlib.asynccontextmanager
async def serving(faust_app, aiohttp_client, monkeypatch, readers: Mapping[object, Sequence]) -> AsyncIterator:
    """A client of the web layer, with ``readers`` (topic -> the agents reading it) applying what is sent.

    Every trip view reaches its owner's worker through web/trips/books.py: here it is always this one.
    """
    async def owner_is_here(request, table_name, key, headers=None):
        return None

    async def caught_up(topic_name, key, timeout_s):
        return True

    monkeypatch.setattr(books, "forward_to_owner", owner_is_here)
    monkeypatch.setattr(progress, "caught_up", caught_up)
    faust_app.__dict__.pop("web", None)   # views bind to the loop of the test that first built them
    web.register(faust_app)
    async with contextlib.AsyncExitStack() as stack:
        started = {agent: await stack.enter_async_context(agent.test_context())
                   for agent in dict.fromkeys(a for agents in readers.values() for a in agents)}
        for topic, agents in readers.items():
            monkeypatch.setattr(topic, "send", _into([started[agent] for agent in agents]))
        server = TestServer(faust_app.web.web_app)
        await server.start_server(access_log=None)   # as Faust's own server runs: no access log
        try:
            yield await aiohttp_client(server)
        finally:
            faust_app.__dict__.pop("web", None)


def _into(agents):
    async def send(*, key=None, value=None, **_):
        for agent in agents:
            await agent.put(key=key, value=value)
        delivered = asyncio.get_running_loop().create_future()
        delivered.set_result(None)
        return delivered
    return send
