"""The standard provider interface, served for every simulated provider under ``/p/<provider_id>``."""

from __future__ import annotations

import hmac
import json

from aiohttp import web

from devtools.simulator.catalogue import PROVIDERS, SimProvider
from devtools.simulator.world import World
from domain.tracking.subjects import parse_subject

WORLD = web.AppKey("world", World)
API_KEY = web.AppKey("api_key", str)


def problem(status: int, title: str, **extra: object) -> web.Response:
    body = {"type": "about:blank", "title": title, "status": status, **extra}
    return web.json_response(body, status=status, content_type="application/problem+json")


def problem_error(error: type[web.HTTPException], title: str) -> web.HTTPException:
    """A raisable problem+json answer, for checks deep inside a handler."""
    body = {"type": "about:blank", "title": title, "status": error.status_code}
    return error(text=json.dumps(body), content_type="application/problem+json")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/p/{provider}/v1/info", info)
    app.router.add_post("/p/{provider}/v1/snapshots/batch", batch)
    app.router.add_get("/p/{provider}/v1/snapshots/{subject:.+}", single)


async def info(request: web.Request) -> web.Response:
    provider = _provider(request)
    return web.json_response(provider.info())


async def batch(request: web.Request) -> web.Response:
    provider = _provider(request)
    try:
        subjects = (await request.json())["subjects"]
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
        return problem(400, "The body must be {\"subjects\": [...]}.")
    if not isinstance(subjects, list) or not all(isinstance(s, str) for s in subjects):
        return problem(400, "subjects must be an array of strings.")
    if len(subjects) > provider.batch_size:
        return problem(413, f"At most {provider.batch_size} subjects per batch.")
    world = request.app[WORLD]
    return web.json_response({"results": [_result(world, provider, subject) for subject in subjects]})


async def single(request: web.Request) -> web.Response:
    provider = _provider(request)
    result = _result(request.app[WORLD], provider, request.match_info["subject"])
    if not result["found"]:
        return problem(404, "No such subject.", subject=result["subject"])
    return web.json_response(result)


def _result(world: World, provider: SimProvider, subject: str) -> dict:
    try:
        snapshot = world.snapshot(subject) if provider.serves(parse_subject(subject)) else None
    except ValueError:
        snapshot = None
    changed_at = snapshot["provider_changed_at"] if snapshot else None
    return {"subject": subject, "found": snapshot is not None, "snapshot": snapshot, "changed_at": changed_at}


def _provider(request: web.Request) -> SimProvider:
    """The addressed provider, after the API key check; answers 404/401 by raising."""
    provider = PROVIDERS.get(request.match_info["provider"])
    if provider is None:
        raise problem_error(web.HTTPNotFound, "No such provider.")
    expected = request.app.get(API_KEY)
    given = request.headers.get("Authorization", "")
    if expected and not hmac.compare_digest(given.encode(), f"Bearer {expected}".encode()):
        raise problem_error(web.HTTPUnauthorized, "Missing or wrong API key.")
    return provider

