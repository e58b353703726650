"""A view sends a command and waits: it gets the agent's reply, or the client gets the problem that stands for it."""

from __future__ import annotations

import asyncio
import dataclasses

import orjson
import pytest
from aiohttp import web

from streams import topics
from streams.replies import replies
from web import routing
from web.problems import problem_middleware
from web.routing import send_command

TOPIC = topics.reservation_commands


class Agent:
    """Stands in for the agent: records each command and answers it at once with ``reply``, if set."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict]] = []
        self.reply: dict | None = None

    async def send(self, *, key=None, value=None, **_):
        command = orjson.loads(value)
        self.received.append((key, command))
        if self.reply is not None:
            replies.resolve(command["command_id"], self.reply)
        delivered = asyncio.get_running_loop().create_future()
        delivered.set_result(None)
        return delivered


@pytest.fixture
def agent(monkeypatch) -> Agent:
    fake = Agent()
    monkeypatch.setattr(TOPIC, "send", fake.send)
    return fake


@pytest.fixture
async def client(aiohttp_client):
    async def handler(request: web.Request) -> web.Response:
        reply = await send_command(TOPIC, "r1", {"kind": "create"})
        return web.json_response(reply, status=reply["status"])

    app = web.Application(middlewares=[problem_middleware])
    app.router.add_post("/commands", handler)
    return await aiohttp_client(app)


async def test_the_reply_of_an_applied_command_is_returned(agent):
    agent.reply = {"ok": True, "status": 201, "reservation": {"id": "r1"}}
    assert await send_command(TOPIC, "r1", {"kind": "create", "data": {}}) == agent.reply
    [(key, command)] = agent.received
    assert key == "r1" and command["kind"] == "create" and command["data"] == {}
    assert len(command["command_id"]) == 32 and command["issued_at"].endswith("Z")


async def test_a_reply_without_a_problem_kind_is_the_views_to_read(agent):
    agent.reply = {"ok": False, "outcome": "expired", "session": None}
    assert await send_command(TOPIC, "r1", {"kind": "rotate"}) == agent.reply


async def test_a_refusal_answers_with_the_agents_problem(agent, client):
    agent.reply = {"ok": False, "status": 412, "kind": "precondition-failed",
                   "title": "The reservation is at version 3, not 2.", "errors": []}
    response = await client.post("/commands")
    assert response.status == 412 and response.content_type == "application/problem+json"
    assert await response.json() == {"type": "https://roadwarrior.example/problems/precondition-failed",
                                      "title": "The reservation is at version 3, not 2.", "status": 412}


async def test_a_refusal_of_a_kind_only_the_agent_names_keeps_it_and_its_field_errors(agent, client):
    errors = [{"field": "email", "message": "taken"}]
    agent.reply = {"ok": False, "status": 409, "kind": "email-taken",
                   "title": "An account with this e-mail already exists.", "errors": errors}
    response = await client.post("/commands")
    assert response.status == 409
    assert await response.json() == {"type": "https://roadwarrior.example/problems/email-taken",
                                      "title": "An account with this e-mail already exists.", "status": 409,
                                      "errors": errors}


async def test_no_reply_in_time_is_a_503_to_retry(agent, client, monkeypatch):
    monkeypatch.setattr(routing, "settings", dataclasses.replace(
        routing.settings, web=dataclasses.replace(routing.settings.web, request_timeout_s=0.05)))
    response = await client.post("/commands")
    assert response.status == 503 and response.headers["Retry-After"] == "1"
    body = await response.json()
    assert body["type"].endswith("/command-timeout") and body["status"] == 503
    assert len(agent.received) == 1  # sent once, then given up on
