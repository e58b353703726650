"""The control API under /control: create bookings, inject changes and faults, read back what happened."""

from __future__ import annotations

from aiohttp import web

from devtools.simulator.amadeus import TOKENS
from devtools.simulator.api import WORLD, problem
from devtools.simulator.catalogue import POPULATION_KIND
from devtools.simulator.changes import ChangeRejected
from devtools.simulator.faults import FAULTS
from devtools.simulator.push import Pusher

PUSHER = web.AppKey("pusher", Pusher)
MAX_LISTED = 10_000


def add_routes(app: web.Application) -> None:
    router = app.router
    router.add_post("/control/bookings", create_booking)
    router.add_post("/control/changes", inject_change)
    router.add_get("/control/changes", read_changes)
    router.add_post("/control/tick", tick)
    router.add_post("/control/faults", add_fault)
    router.add_get("/control/faults", list_faults)
    router.add_delete("/control/faults", clear_faults)
    router.add_post("/control/webhooks", subscribe)
    router.add_post("/control/amadeus/revoke", revoke_tokens)
    router.add_get("/control/subjects", list_subjects)
    router.add_get("/control/stats", stats)


async def _body(request: web.Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text='{"title": "The body must be a JSON object."}',
                                 content_type="application/problem+json")
    return body


def _int(request: web.Request, key: str, default: int) -> int:
    try:
        return int(request.query.get(key, default))
    except ValueError:
        raise web.HTTPBadRequest(text=f'{{"title": "{key} must be an integer."}}',
                                 content_type="application/problem+json") from None


async def create_booking(request: web.Request) -> web.Response:
    world = request.app[WORLD]
    try:
        subject = world.create(await _body(request))
    except (ValueError, TypeError, KeyError) as exc:
        return problem(422, "The booking cannot be created.", detail=str(exc))
    return web.json_response({"subject": subject, "snapshot": world.snapshot(subject)}, status=201)


async def inject_change(request: web.Request) -> web.Response:
    body = await _body(request)
    try:
        entry = request.app[WORLD].inject(str(body.get("subject")), body.get("change"))
    except LookupError:
        return problem(404, "No such subject.")
    except ChangeRejected as exc:
        return problem(422, "The change does not apply.", detail=str(exc))
    return web.json_response(entry)


async def read_changes(request: web.Request) -> web.Response:
    """``?subject=`` gives that subject's changes (a record's include its segments'); else the latest."""
    world = request.app[WORLD]
    subject = request.query.get("subject")
    if subject is None:
        return web.json_response({"changes": world.recent(_int(request, "limit", 100))})
    return web.json_response({"subject": subject, "changes": world.changes(subject)})


async def tick(request: web.Request) -> web.Response:
    """Draw the next ``count`` random changes now, as the background changer would."""
    try:
        count = int((await _body(request)).get("count", 1))
    except (TypeError, ValueError):
        return problem(422, "count must be an integer.")
    return web.json_response({"changes": request.app[WORLD].advance(max(0, min(count, MAX_LISTED)))})


async def add_fault(request: web.Request) -> web.Response:
    faults = request.app[FAULTS]
    try:
        faults.add(await _body(request))
    except (ValueError, TypeError) as exc:
        return problem(422, "The fault is not valid.", detail=str(exc))
    return web.json_response({"faults": faults.active()}, status=201)


async def list_faults(request: web.Request) -> web.Response:
    return web.json_response({"faults": request.app[FAULTS].active()})


async def clear_faults(request: web.Request) -> web.Response:
    request.app[FAULTS].clear()
    return web.Response(status=204)


async def subscribe(request: web.Request) -> web.Response:
    """Send a provider's changes to ``url``, signed with ``secret``."""
    body = await _body(request)
    try:
        request.app[PUSHER].subscribe(str(body.get("provider")), str(body["url"]), str(body["secret"]))
    except (ValueError, KeyError) as exc:
        return problem(422, "The webhook cannot be set.", detail=str(exc))
    return web.Response(status=204)


async def revoke_tokens(request: web.Request) -> web.Response:
    """Forget every Amadeus token issued, as a provider does when it rotates keys."""
    request.app[TOKENS].clear()
    return web.Response(status=204)


async def list_subjects(request: web.Request) -> web.Response:
    """``?provider=&start=&count=``: a slice of a provider's population, e.g. to load a benchmark."""
    provider = request.query.get("provider", "")
    if provider not in POPULATION_KIND:
        return problem(404, "No such provider.")
    world = request.app[WORLD]
    start = max(0, _int(request, "start", 0))
    end = min(start + min(_int(request, "count", 100), MAX_LISTED), world.population)
    return web.json_response({"subjects": [world.subject_at(provider, i) for i in range(start, end)]})


async def stats(request: web.Request) -> web.Response:
    return web.json_response({**request.app[WORLD].stats(), "pushes": request.app[PUSHER].counts})
