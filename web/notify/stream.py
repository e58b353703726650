"""GET /api/v1/notifications/stream: the caller's notifications as Server-Sent Events, resumable by Last-Event-ID.

The stream stays on whichever worker the browser reached; news reaches it through the hub (Redis pub/sub
with several workers, agents/notify/hub.py). What it missed, before connecting or while the hub
dropped it, is read from the feed on the worker that owns the user, by event ID (the feed's ``seq``).
"""

from __future__ import annotations

import logging

import orjson
from aiohttp import ClientError, web
from faust import web as faust_web

from agents.notify.hub import hub
from domain.notify import feed as notify_feed
from faust_app import app, settings
from integrations.channels.sse_hub import CLOSED, RESYNC
from streams.replies import ensure_metadata
from tables.notifications import notifications
from web.apidoc import STR, op, param
from web.auth import SESSION_TOKEN, caller
from web.notify.api import listing

blueprint = faust_web.Blueprint("notification_stream")
log = logging.getLogger(__name__)
HEARTBEAT_S = 15.0
RECONNECT_MS = 2000


class Unreachable(Exception):
    """The feed's owner could not be asked what the stream missed."""


@blueprint.route("/notifications/stream", name="stream")
class Stream(faust_web.View):
    async def get(self, request: web.Request) -> web.StreamResponse:
        request = _bearer_from_query(request)
        who = caller(request)
        last = notify_feed.parse_seq(request.headers.get("Last-Event-ID") or request.query.get("last_event_id"))
        subscription = await hub.subscribe(who.user_id)  # first: nothing published from now on is missed
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                                               "X-Accel-Buffering": "no"})
        try:
            await response.prepare(request)
            await response.write(f"retry: {RECONNECT_MS}\n\n".encode())
            seen = await _catch_up(request, who.user_id, response, last)
            while True:
                item = await subscription.get(HEARTBEAT_S)
                if item is None:
                    await response.write(b": keep-alive\n\n")
                elif item is CLOSED:
                    break
                elif item is RESYNC:
                    seen = await _catch_up(request, who.user_id, response, seen)
                elif item["seq"] > seen:
                    seen = await _send(response, item)
        except Unreachable:
            pass  # ending the stream makes the browser reconnect with its Last-Event-ID
        except ConnectionResetError:
            pass  # the browser left
        finally:
            hub.unsubscribe(subscription)
        return response


async def _catch_up(request: web.Request, user_id: str, response: web.StreamResponse, last: int | None) -> int:
    """Send what changed after event ID ``last``; the event ID reached. A fresh stream (no ID) starts live:
    everything published from its subscription on is sent (-1), and after a RESYNC it goes on from the
    feed's newest entry."""
    if last is None:
        return -1
    if last < 0:
        return (await _feed(request, user_id, {"limit": "1"}))["last_event_id"]
    for item in (await _feed(request, user_id, {"after": str(last)}))["items"]:
        last = await _send(response, item)
    return last


async def _send(response: web.StreamResponse, item: dict) -> int:
    data = orjson.dumps({k: v for k, v in item.items() if k != "user_id"}).decode()
    await response.write(f"id: {item['seq']}\nevent: notification\ndata: {data}\n\n".encode())
    return item["seq"]


async def _feed(request: web.Request, user_id: str, query: dict) -> dict:
    """The feed page from the worker that owns the user: read here, or asked over HTTP."""
    await ensure_metadata(notifications.changelog_topic.get_topic_name())
    try:
        owner = app.router.key_store(notifications.name, user_id)
    except KeyError:
        raise Unreachable() from None  # partitions are being assigned
    here = app.conf.canonical_url
    if (owner.host, owner.port) == (here.host, here.port):
        return listing(user_id, query)
    url = owner.with_path("/api/v1/notifications").with_query(query)
    token = request.get(SESSION_TOKEN)   # a browser's stream signs in with the session cookie
    headers = {"Authorization": request.headers.get("Authorization") or f"Bearer {token}"}
    try:
        async with app.http_client.get(url, headers=headers, timeout=settings.web.request_timeout_s) as answer:
            if answer.status == 200:
                return await answer.json()
    except (TimeoutError, ClientError):
        pass
    log.info("SSE catch-up for a stream failed: the feed's owner did not answer")
    raise Unreachable()


def _bearer_from_query(request: web.Request) -> web.Request:
    """EventSource cannot send headers: it may pass the access token as ``access_token`` instead."""
    token = request.query.get("access_token")
    if token and "Authorization" not in request.headers:
        return request.clone(headers={**request.headers, "Authorization": f"Bearer {token}"})
    return request


OPENAPI = {
    "paths": {
        "/api/v1/notifications/stream": {
            "get": op("Live notifications as Server-Sent Events (event: notification, id: seq)", {"200": {
                "description": "An endless event stream", "content": {"text/event-stream": {"schema": STR}}}},
                params=[param("Last-Event-ID", "header"), param("last_event_id", schema={"type": "integer"}),
                        param("access_token")],
                errors=(503,))},
    },
}
