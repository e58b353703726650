"""Unit fixtures: the Faust app on the test's loop, recorded topic sends, clean tables after each test."""

from __future__ import annotations

import asyncio

import pytest

from faust_app import app
from integrations.limits.store import MemoryAttempts
from streams import topics
from web import guessing
from web.accounts import attempts


@pytest.fixture
async def faust_app():
    app.loop = asyncio.get_running_loop()
    app.finalize()
    app.flow_control.resume()  # otherwise put() never arrives
    yield app
    for table in app.tables.values():  # tables are module singletons
        table.data.clear()


@pytest.fixture(autouse=True)
def fresh_guessing_limiter(monkeypatch):
    """Each test's misses from 127.0.0.1 counted afresh: the limiter is a module singleton, like the tables."""
    monkeypatch.setattr(guessing, "limiter", guessing.GuessLimiter())
    monkeypatch.setattr(attempts, "store", MemoryAttempts())   # sign-in and sign-up attempts too


class Sent:
    """Every message an agent sends, per topic: the one outbound dependency of an agent."""

    def __init__(self) -> None:
        self.messages: dict[str, list[tuple]] = {}

    def to(self, topic) -> list[tuple]:
        return self.messages.get(topic.get_topic_name(), [])


@pytest.fixture
def sent(monkeypatch) -> Sent:
    record = Sent()
    for name in dir(topics):
        topic = getattr(topics, name)
        if hasattr(topic, "get_topic_name") and hasattr(topic, "send"):
            monkeypatch.setattr(topic, "send", _recorder(record, topic.get_topic_name()))
            monkeypatch.setattr(topic, "send_soon", _soon_recorder(record, topic.get_topic_name()))
    return record


def _recorder(record: Sent, topic_name: str):
    async def send(*, key=None, value=None, **_):
        record.messages.setdefault(topic_name, []).append((key, value))
        delivered = asyncio.get_running_loop().create_future()
        delivered.set_result(None)
        return delivered

    return send


def _soon_recorder(record: Sent, topic_name: str):
    def send_soon(*, key=None, value=None, **_):
        record.messages.setdefault(topic_name, []).append((key, value))
        delivered = asyncio.get_running_loop().create_future()
        delivered.set_result(None)
        return delivered

    return send_soon
