"""Getting a request to the worker that owns its key, and a command to its agent and back.

Faust's ``table_route`` forwards only the method, URL and headers (no body) and flattens the response to
text; this forwards the body and keeps status, content type, ETag and Location, so writes can be routed too.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import uuid

import orjson
from aiohttp import ClientError, web
from faust.types import TopicT

from domain.common.errors import from_refusal
from domain.common.timestamps import now_iso as utc_now
from faust_app import app, settings
from streams.replies import ensure_metadata, replies
from web.problems import ProblemError, problem

FORWARDED = "X-RoadWarrior-Forwarded"
CLIENT, CLIENT_PROOF = "X-RoadWarrior-Client", "X-RoadWarrior-Client-Proof"
_KEPT_HEADERS = ("ETag", "Location", "Retry-After", "WWW-Authenticate", "Allow")
_DROPPED_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}


@functools.cache
def _forward_proof() -> str:
    """Proves a request came from one of our workers (they share the secret), so a client cannot skip routing
    or pass the routed-only headers (X-RoadWarrior-Id) itself. Computed on first use: importing the views (the
    `faust agents` command does) must not create the development secret."""
    return hmac.new(settings.accounts.jwt_secret.value.encode(), b"forwarded-by-a-worker", hashlib.sha256).hexdigest()


def was_forwarded(request: web.Request) -> bool:
    return hmac.compare_digest(request.headers.get(FORWARDED, ""), _forward_proof())


def client_proof(address: str) -> dict:
    """Headers a worker adds when it passes a request on (to the key's owner, or a page's call to the API), so
    the next one knows the browser's address: rate limits count per client, not per worker."""
    key = _forward_proof().encode()
    return {CLIENT_PROOF: hmac.new(key, b"client:" + address.encode(), hashlib.sha256).hexdigest()}


def client_address(request: web.Request) -> str:
    """The browser's address: as a worker vouched for it, else the one the outermost trusted proxy saw, else the
    connection's peer.

    ``X-Forwarded-For`` is read only when ROADWARRIOR_TRUSTED_PROXY_HOPS says how many proxies in front of us
    append to it: the entries left of theirs are whatever the client wrote."""
    claimed = request.headers.get(CLIENT)
    if claimed and hmac.compare_digest(request.headers.get(CLIENT_PROOF, ""), client_proof(claimed)[CLIENT_PROOF]):
        return claimed
    hops = settings.limits.trusted_proxy_hops
    chain = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
    if hops > 0 and chain:
        return chain[-min(hops, len(chain))]
    return request.remote or ""


async def forward_to_owner(request: web.Request, table_name: str, key: str,
                           headers: dict | None = None) -> web.Response | None:
    """None when this worker owns ``key`` in the table; otherwise the owner's response (proxied)."""
    await ensure_metadata(app.tables[table_name].changelog_topic.get_topic_name())
    return await _route(request, lambda: app.router.key_store(table_name, key), headers)


async def forward_to_consumer(request: web.Request, topic: TopicT, key: str) -> web.Response | None:
    """Like forward_to_owner, for a topic no table mirrors: the worker whose agent consumes ``key``."""
    await ensure_metadata(topic.get_topic_name())
    return await _route(request, lambda: app.router.external_topic_key_store(topic, key), None)


async def _route(request: web.Request, owner_of, headers: dict | None) -> web.Response | None:
    if was_forwarded(request):
        return None  # one hop only: during a rebalance two workers may briefly disagree
    try:
        owner = owner_of()
    except KeyError:
        return problem(503, "not-ready", "Partitions are being assigned; try again shortly.",
                       headers={"Retry-After": "1"})
    here = app.conf.canonical_url
    if (owner.host, owner.port) == (here.host, here.port):
        return None
    return await _proxy(request, owner.with_path(request.path).with_query(request.query), headers or {})


async def _proxy(request: web.Request, url, extra: dict) -> web.Response:
    headers = {k: v for k, v in request.headers.items() if k.lower() not in _DROPPED_HEADERS}
    address = client_address(request)
    headers.update(extra, **{FORWARDED: _forward_proof(), CLIENT: address}, **client_proof(address))
    body = await request.read()
    try:
        async with app.http_client.request(request.method, url, headers=headers, data=body or None,
                                           timeout=settings.web.request_timeout_s + 2) as response:
            payload = await response.read()
            kept = {k: response.headers[k] for k in _KEPT_HEADERS if k in response.headers}
            return web.Response(status=response.status, body=payload, headers=kept,
                                content_type=response.content_type)
    except (TimeoutError, ClientError):
        return problem(503, "owner-unavailable", "The worker that owns this key did not answer; try again.",
                       headers={"Retry-After": "1"})


async def send_command(topic: TopicT, key: str, command: dict) -> dict:
    """Send a command keyed by ``key`` and return the local agent's reply once it applied it (read-your-writes).

    Raises instead of returning what the view could not answer with: a 503 ``command-timeout`` problem when
    no reply came in time (a rebalance, a slow broker), and the agent's refusal as the DomainError it names.
    """
    reply = await _send_and_wait(topic, key, {**command, "command_id": uuid.uuid4().hex, "issued_at": utc_now()})
    # The sessions agent answers a refresh with an outcome the view words itself: no kind, so no refusal.
    if not reply["ok"] and "kind" in reply:
        raise from_refusal(reply)
    return reply


async def _send_and_wait(topic: TopicT, key: str, command: dict) -> dict:
    """The agent's reply, whatever it says; a 503 problem when none came in time."""
    waiting = replies.expect(command["command_id"])
    try:
        delivered = await topic.send(key=key, value=orjson.dumps(command))
        await delivered  # on the broker before we wait on the agent: a crash now replays it
        async with asyncio.timeout(settings.web.request_timeout_s):
            return await waiting
    except TimeoutError:
        raise ProblemError(problem(503, "command-timeout", "The change was accepted but not confirmed in time; "
                                   "retry with the same Idempotency-Key or read it back.",
                                   headers={"Retry-After": "1"})) from None
    finally:
        replies.forget(command["command_id"])




async def read_json(request: web.Request) -> dict:
    """The request body as a JSON object; 415/400/413 problems otherwise (raised as HTTP errors)."""
    if request.content_type != "application/json":
        raise _http(415, "unsupported-media-type", "Send the body as application/json.")
    raw = await request.read()  # aiohttp enforces client_max_size (413) here
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise _http(400, "malformed-json", f"The body is not valid JSON: {exc}.") from None
    if not isinstance(body, dict):
        raise _http(400, "malformed-json", "The body must be a JSON object.")
    return body


def _http(status: int, kind: str, title: str) -> ProblemError:
    return ProblemError(problem(status, kind, title))


async def call_owner(table_name: str, key: str, path: str, body: dict) -> web.Response | None:
    """POST ``body`` to ``path`` on the worker owning ``key``, for a request this worker cannot proxy as it came
    (an OpenID callback, whose code is spent once exchanged); None when this worker owns the key."""
    await ensure_metadata(app.tables[table_name].changelog_topic.get_topic_name())
    try:
        owner = app.router.key_store(table_name, key)
    except KeyError:
        return problem(503, "not-ready", "Partitions are being assigned; try again shortly.",
                       headers={"Retry-After": "1"})
    here = app.conf.canonical_url
    if (owner.host, owner.port) == (here.host, here.port):
        return None
    try:
        async with app.http_client.post(owner.with_path(path), data=orjson.dumps(body),
                                        headers={FORWARDED: _forward_proof(), "Content-Type": "application/json"},
                                        timeout=settings.web.request_timeout_s + 2) as response:
            return web.Response(status=response.status, body=await response.read(),
                                content_type=response.content_type)
    except (TimeoutError, ClientError):
        return problem(503, "owner-unavailable", "The worker that owns this key did not answer; try again.",
                       headers={"Retry-After": "1"})
