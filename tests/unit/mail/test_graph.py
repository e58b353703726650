"""The Microsoft Graph client against a local server shaped like Graph's message delta and the v2.0 endpoints."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser

import aiohttp
import pytest
from aiohttp import web

from domain.mail.filters import validate
from integrations.mail.errors import MailProtocolError
from integrations.mail.graph import GraphClient
from integrations.mail.oauth import MICROSOFT, OAuthApp, TokenSource, with_base
from tests.unit.mail.fixtures import FakeAuthorizationServer, consent

FILTERS = validate({"allow": ["trips@corp.example"], "block": ["marketing.hilton.com"]})
DELTA = "/v1.0/me/mailFolders/inbox/messages/delta"
PAGE = 2  # Graph may send smaller pages than asked for; this one always does


def mail(sender: str, subject: str, body: str = "See you on board.") -> bytes:
    return (f"From: {sender}\r\nTo: traveller@outlook.test\r\nSubject: {subject}\r\n"
            f"Date: Mon, 3 Mar 2025 10:00:00 +0000\r\n\r\n{body}\r\n").encode()


class FakeGraph:
    """An inbox as a change log; skip and delta tokens are positions in it, and forgotten ones answer 410."""

    def __init__(self, auth: FakeAuthorizationServer) -> None:
        self.auth = auth
        self.base = ""
        self.messages: dict[str, dict] = {}
        self.changes: list[tuple[str, str]] = []  # ("created" | "deleted", id)
        self.cursors: dict[str, tuple[int, datetime | None]] = {}
        self.requests: list[web.Request] = []
        self.ids = (f"AAMkAGI2{n:04d}=" for n in itertools.count(1))
        self.chunked = False

    def add(self, raw: bytes, sender: str, *, age_days: float = 0) -> str:
        mid = next(self.ids)
        self.messages[mid] = {"raw": raw, "from": sender, "received": datetime.now(UTC) - timedelta(days=age_days)}
        self.changes.append(("created", mid))
        return mid

    def delete(self, mid: str) -> None:
        del self.messages[mid]
        self.changes.append(("deleted", mid))

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard])
        app.add_routes(self.auth.routes("/common/oauth2/v2.0/authorize", "/common/oauth2/v2.0/token"))
        app.add_routes([web.get(DELTA, self.delta), web.get("/v1.0/me/mailFolders('inbox')/messages/delta", self.delta),
                        web.get("/v1.0/me/messages/{id}/$value", self.value)])
        return app

    @web.middleware
    async def guard(self, request, handler):
        if request.path.startswith("/v1.0/"):
            self.requests.append(request)
            if not self.auth.authorized(request):
                return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        return await handler(request)

    async def delta(self, request):
        assert request.headers["Prefer"] == "odata.maxpagesize=50"
        token = request.query.get("$skiptoken") or request.query.get("$deltatoken")
        if token is None:
            assert request.query["changeType"] == "created"
            assert set(request.query["$select"].split(",")) >= {"from", "receivedDateTime"}
            since = datetime.fromisoformat(request.query["$filter"].removeprefix("receivedDateTime ge "))
            position, initial = 0, since
        elif token in self.cursors:
            position, initial = self.cursors[token]
        else:
            return web.json_response({"error": {"code": "SyncStateNotFound"}}, status=410)
        items, position = self._page(position, initial)
        key = "@odata.nextLink" if position < len(self.changes) else "@odata.deltaLink"
        cursor = f"c{len(self.cursors)}"
        self.cursors[cursor] = (position, initial if key == "@odata.nextLink" else None)
        param = "$skiptoken" if key == "@odata.nextLink" else "$deltatoken"
        link = f"{self.base}/v1.0/me/mailFolders('inbox')/messages/delta?{param}={cursor}"
        return web.json_response({"@odata.context": f"{self.base}/v1.0/$metadata#Collection(message)",
                                  "value": items, key: link})

    def _page(self, position: int, initial: datetime | None) -> tuple[list[dict], int]:
        items = []
        while position < len(self.changes) and len(items) < PAGE:
            kind, mid = self.changes[position]
            position += 1
            if kind == "deleted" and initial is None:
                items.append({"@odata.type": "#microsoft.graph.message", "id": mid, "@removed": {"reason": "deleted"}})
            elif kind == "created" and mid in self.messages:
                message = self.messages[mid]
                if initial is None or message["received"] >= initial:
                    items.append({"@odata.type": "#microsoft.graph.message", "@odata.etag": 'W/"CQAAABYAAAA"',
                                  "id": mid, "receivedDateTime": message["received"].strftime("%Y-%m-%dT%H:%M:%SZ"),
                                  "internetMessageId": f"<{mid}@outlook.test>",
                                  "from": {"emailAddress": {"name": "Sender", "address": message["from"]}}})
        return items, position

    async def value(self, request):
        message = self.messages.get(request.match_info["id"])
        if message is None:
            return web.json_response({"error": {"code": "ErrorItemNotFound"}}, status=404)
        if not self.chunked:
            return web.Response(body=message["raw"], content_type="text/plain")
        response = web.StreamResponse()  # no Content-Length: the client has to count
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(message["raw"]), 1000):
            await response.write(message["raw"][start:start + 1000])
        await response.write_eof()
        return response


@pytest.fixture
async def graph(aiohttp_server):
    auth = FakeAuthorizationServer("rw-client", "https://roadwarrior.test/oauth/callback", rotate_refresh=True)
    fake = FakeGraph(auth)
    server = await aiohttp_server(fake.app())
    fake.base = f"http://{server.host}:{server.port}"
    async with aiohttp.ClientSession() as session:
        oauth = OAuthApp(with_base(MICROSOFT, fake.base), auth.client_id, auth.redirect_uri)
        tokens = TokenSource(session, oauth, await consent(session, oauth))

        def client(**kwargs) -> GraphClient:
            return GraphClient(session, tokens, FILTERS, base_url=fake.base + "/v1.0", **kwargs)

        yield fake, client


def subjects(messages) -> list[str]:
    return [BytesHeaderParser().parsebytes(m.raw)["Subject"] for m in messages if m.raw is not None]


def deliver(fake: FakeGraph, sender: str, subject: str, *, body: str = "Hello.", age_days: float = 0) -> str:
    return fake.add(mail(f"X <{sender}>", subject, body), sender, age_days=age_days)


async def test_a_first_round_follows_next_links_and_later_polls_use_the_delta_link(graph):
    fake, client = graph
    deliver(fake, "booking@lufthansa.com", "too old", age_days=45)
    deliver(fake, "booking@lufthansa.com", "LH400 confirmed", age_days=2)
    deliver(fake, "friend@example.org", "dinner?")
    deliver(fake, "deals@notlufthansa.com", "lookalike")
    deliver(fake, "offers@marketing.hilton.com", "blocked")
    deliver(fake, "trips@corp.example", "user allowed")
    graph_client = client()

    messages, state = await graph_client.fetch_new(None)

    assert subjects(messages) == ["LH400 confirmed", "user allowed"]
    assert messages[0].raw == mail("X <booking@lufthansa.com>", "LH400 confirmed", "Hello.")
    assert "$deltatoken=" in state["link"] and state["link"].startswith(fake.base + "/v1.0/")
    assert sum(r.path.endswith("/delta") for r in fake.requests) == 3  # 6 changes, at most 2 a page

    gone = deliver(fake, "receipts@e.delta.com", "DL1 receipt")
    deliver(fake, "friend@example.org", "another dinner")
    fake.delete(gone)  # deleted before we fetched it
    deliver(fake, "stays@hilton.com", "hilton stay")
    messages, state = await graph_client.fetch_new(state)
    assert subjects(messages) == ["hilton stay"]
    messages, state = await graph_client.fetch_new(state)
    assert messages == [] and "$deltatoken=" in state["link"]


async def test_a_poll_stops_at_the_message_limit_and_the_next_one_continues(graph):
    fake, client = graph
    for n in range(5):
        deliver(fake, "a@united.com", f"UA{n}")
    graph_client = client(max_messages=2)

    first, state = await graph_client.fetch_new(None)
    assert subjects(first) == ["UA0", "UA1"] and "$skiptoken=" in state["link"]
    rest, state = await graph_client.fetch_new(state)
    rest2, state = await graph_client.fetch_new(state)
    assert subjects(rest + rest2) == ["UA2", "UA3", "UA4"] and "$deltatoken=" in state["link"]


async def test_an_expired_delta_link_starts_a_new_round(graph):
    fake, client = graph
    deliver(fake, "a@united.com", "UA1")
    _, state = await client().fetch_new(None)
    fake.cursors.clear()
    deliver(fake, "a@united.com", "UA2")

    messages, state = await client().fetch_new(state)

    assert subjects(messages) == ["UA1", "UA2"] and "$deltatoken=" in state["link"]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_oversize_messages_are_skipped_without_reading_them_whole(graph, chunked):
    fake, client = graph
    fake.chunked = chunked
    big = deliver(fake, "stays@marriott.com", "big", body="x" * 6000)
    deliver(fake, "a@united.com", "UA1")

    messages, _ = await client(max_bytes=5000).fetch_new(None)

    skipped, fetched = messages
    assert skipped.ref == big and skipped.raw is None and skipped.skipped == "too-large: over 5000 bytes"
    assert skipped.size == (None if chunked else len(fake.messages[big]["raw"]))
    assert subjects([fetched]) == ["UA1"]


async def test_a_link_to_another_host_is_refused_and_gets_no_token(graph, aiohttp_server):
    fake, client = graph
    elsewhere = []

    async def record(request):
        elsewhere.append(request)
        return web.json_response({"value": []})

    other = web.Application()
    other.router.add_get("/{tail:.*}", record)
    server = await aiohttp_server(other)
    link = f"http://{server.host}:{server.port}/v1.0/me/mailFolders('inbox')/messages/delta?$deltatoken=x"

    with pytest.raises(MailProtocolError):
        await client().fetch_new({"link": link})
    assert elsewhere == []


async def test_a_refused_token_is_refreshed_with_the_rotated_refresh_token(graph):
    fake, client = graph
    deliver(fake, "a@united.com", "UA1")
    fake.auth.access.clear()
    messages, _ = await client().fetch_new(None)
    assert subjects(messages) == ["UA1"]
    refresh = [grant for grant in fake.auth.grants if grant["grant_type"] == "refresh_token"]
    assert len(refresh) == 1 and refresh[0]["refresh_token"] not in fake.auth.refresh
