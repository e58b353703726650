"""The Gmail client against a local server shaped like the Gmail API and Google's OAuth endpoints."""

from __future__ import annotations

import base64
import itertools
import logging
import re
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from email.utils import parseaddr

import aiohttp
import pytest
from aiohttp import web

from domain.mail.filters import validate
from integrations.mail.errors import MailCredentialsRejected, MailUnavailable
from integrations.mail.gmail import GmailClient
from integrations.mail.oauth import GOOGLE, OAuthApp, TokenSource, with_base
from tests.unit.mail.fixtures import FakeAuthorizationServer, consent

API = "/gmail/v1/users/me"
FILTERS = validate({"allow": ["trips@corp.example"], "block": ["marketing.hilton.com"]})
PAGE = 2  # small pages, so every listing pages


def mail(sender: str, subject: str, body: str = "See you on board.") -> bytes:
    return (f"From: {sender}\r\nTo: traveller@gmail.test\r\nSubject: {subject}\r\n"
            f"Date: Mon, 3 Mar 2025 10:00:00 +0000\r\n\r\n{body}\r\n").encode()


def google_error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": {"code": status, "message": reason, "errors": [{"reason": reason}]}},
                             status=status, headers={"Retry-After": "30"} if status in (429, 503) else {})


class FakeGmail:
    """A mailbox with history: messages.list (q), messages.get (metadata, raw), history.list, getProfile."""

    def __init__(self, auth: FakeAuthorizationServer) -> None:
        self.auth = auth
        self.messages: dict[str, dict] = {}
        self.history: list[tuple[int, str]] = []
        self.history_id = 5000
        self.forgotten_before = 0  # history ids older than this answer 404
        self.queries: list[str] = []
        self.failures: list[web.Response] = []
        self.ids = (f"18c{n:05x}" for n in itertools.count(1))

    def add(self, raw: bytes, *, labels=("INBOX", "UNREAD"), age_days: float = 0) -> str:
        mid = next(self.ids)
        self.history_id += 7  # history ids grow with gaps
        self.messages[mid] = {"raw": raw, "labels": list(labels), "history": self.history_id,
                              "received": datetime.now(UTC) - timedelta(days=age_days)}
        self.history.append((self.history_id, mid))
        return mid

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard])
        app.add_routes(self.auth.routes("/o/oauth2/v2/auth", "/token"))
        app.add_routes([web.get(f"{API}/profile", self.profile), web.get(f"{API}/messages", self.list),
                        web.get(f"{API}/messages/{{id}}", self.get), web.get(f"{API}/history", self.history_list)])
        return app

    @web.middleware
    async def guard(self, request, handler):
        if request.path.startswith(API):
            if not self.auth.authorized(request):
                return google_error(401, "authError")
            if self.failures:
                return self.failures.pop(0)
        return await handler(request)

    async def profile(self, request):
        return web.json_response({"emailAddress": "traveller@gmail.test", "messagesTotal": len(self.messages),
                                  "historyId": str(self.history_id)})

    async def list(self, request):
        query = request.query["q"]
        self.queries.append(query)
        match = re.fullmatch(r"from:\((.+)\) newer_than:(\d+)d", query)
        terms, days = match.group(1).split(" OR "), int(match.group(2))
        since = datetime.now(UTC) - timedelta(days=days)
        found = [mid for mid, m in reversed(self.messages.items())  # newest first, like Gmail
                 if m["received"] >= since and not {"SPAM", "TRASH"} & set(m["labels"])
                 and any(term in parseaddr(_header(m["raw"], "From"))[1] for term in terms)]
        start = int(request.query.get("pageToken", 0))
        body = {"messages": [{"id": mid, "threadId": mid} for mid in found[start:start + PAGE]],
                "resultSizeEstimate": len(found)}
        if start + PAGE < len(found):
            body["nextPageToken"] = str(start + PAGE)
        return web.json_response(body)

    async def get(self, request):
        message = self.messages.get(request.match_info["id"])
        if message is None:
            return google_error(404, "notFound")
        body = {"id": request.match_info["id"], "threadId": request.match_info["id"], "labelIds": message["labels"],
                "sizeEstimate": len(message["raw"]), "historyId": str(message["history"])}
        if request.query["format"] == "raw":
            body["raw"] = base64.urlsafe_b64encode(message["raw"]).rstrip(b"=").decode()
        else:
            assert request.query["format"] == "metadata"
            wanted = request.query.getall("metadataHeaders")
            body["payload"] = {"mimeType": "text/plain",
                               "headers": [{"name": name, "value": _header(message["raw"], name)}
                                           for name in wanted if _header(message["raw"], name)]}
        return web.json_response(body)

    async def history_list(self, request):
        start = int(request.query["startHistoryId"])
        assert request.query["historyTypes"] == "messageAdded"
        if start < self.forgotten_before:
            return google_error(404, "notFound")
        records = [{"id": str(hid), "messages": [{"id": mid, "threadId": mid}],
                    "messagesAdded": [{"message": {"id": mid, "threadId": mid,
                                                   "labelIds": self.messages[mid]["labels"]}}]}
                   for hid, mid in self.history if hid > start]
        offset = int(request.query.get("pageToken", 0))
        body = {"history": records[offset:offset + PAGE], "historyId": str(self.history_id)}
        if offset + PAGE < len(records):
            body["nextPageToken"] = str(offset + PAGE)
        return web.json_response(body)


def _header(raw: bytes, name: str) -> str:
    return BytesHeaderParser().parsebytes(raw).get(name, "")


@pytest.fixture
async def gmail(aiohttp_server):
    auth = FakeAuthorizationServer("rw-client", "https://roadwarrior.test/oauth/callback", rotate_refresh=False)
    fake = FakeGmail(auth)
    server = await aiohttp_server(fake.app())
    base = f"http://{server.host}:{server.port}"
    async with aiohttp.ClientSession() as session:
        oauth = OAuthApp(with_base(GOOGLE, base), auth.client_id, auth.redirect_uri, client_secret="s3cret")
        tokens = TokenSource(session, oauth, await consent(session, oauth))

        def client(**kwargs) -> GmailClient:
            return GmailClient(session, tokens, kwargs.pop("filters", FILTERS), base_url=base + API, **kwargs)

        yield fake, client, tokens


def subjects(messages) -> list[str]:
    return [_header(m.raw, "Subject") for m in messages if m.raw is not None]


async def test_a_first_poll_queries_allowed_senders_and_later_polls_read_the_history(gmail):
    fake, client, _ = gmail
    fake.add(mail("LH <booking@lufthansa.com>", "too old"), age_days=45)
    fake.add(mail("LH <booking@lufthansa.com>", "LH400 confirmed"), age_days=2)
    fake.add(mail("Friend <friend@example.org>", "dinner?"))
    fake.add(mail("Deals <deals@notlufthansa.com>", "lookalike"))
    fake.add(mail("Hilton <offers@marketing.hilton.com>", "blocked"))
    big = fake.add(mail("Marriott <stays@marriott.com>", "big", body="x" * 3000))
    fake.add(mail("UA <a@united.com>", "spam", ), labels=("SPAM",))
    fake.add(mail("Corp <trips@corp.example>", "user allowed"))
    gmail_client = client(max_bytes=2000)

    messages, state = await gmail_client.fetch_new(None)

    assert sorted(subjects(messages)) == ["LH400 confirmed", "user allowed"]
    [skipped] = [m for m in messages if m.raw is None]
    assert skipped.ref == big and skipped.skipped.startswith("too-large") and skipped.size > 2000
    assert state == {"history_id": str(fake.history_id), "pending": []}
    assert all(q.endswith(" newer_than:30d") for q in fake.queries) and len(fake.queries) == 4
    assert "from:(trips@corp.example OR " in fake.queries[0]

    fake.add(mail("Friend <friend@example.org>", "another dinner"))
    fake.add(mail("UA <a@united.com>", "more spam"), labels=("SPAM",))
    fake.add(mail("Delta <receipts@e.delta.com>", "DL1 receipt"))
    fake.add(mail("Draft <me@delta.com>", "a draft"), labels=("DRAFT",))
    messages, state = await gmail_client.fetch_new(state)
    assert subjects(messages) == ["DL1 receipt"]
    assert messages[0].raw == mail("Delta <receipts@e.delta.com>", "DL1 receipt")
    assert state["history_id"] == str(fake.history_id)

    assert await gmail_client.fetch_new(state) == ([], state)


async def test_an_expired_history_position_lists_again(gmail):
    fake, client, _ = gmail
    fake.add(mail("LH <booking@lufthansa.com>", "LH400 confirmed"))
    _, state = await client().fetch_new(None)
    fake.add(mail("UA <a@united.com>", "UA1"))
    fake.forgotten_before = fake.history_id + 1

    messages, state = await client().fetch_new(state)

    assert sorted(subjects(messages)) == ["LH400 confirmed", "UA1"]
    assert state["history_id"] == str(fake.history_id)


async def test_messages_beyond_the_per_poll_limit_wait_in_the_state(gmail):
    fake, client, _ = gmail
    for n in range(3):
        fake.add(mail("UA <a@united.com>", f"UA{n}"))
    gmail_client = client(max_messages=2)

    first, state = await gmail_client.fetch_new(None)
    assert len(first) == 2 and len(state["pending"]) == 1
    second, state = await gmail_client.fetch_new(state)
    assert sorted(subjects(first + second)) == ["UA0", "UA1", "UA2"] and state["pending"] == []


async def test_a_refused_access_token_is_refreshed_once_and_a_revoked_grant_is_auth_expired(gmail):
    fake, client, tokens = gmail
    fake.add(mail("UA <a@united.com>", "UA1"))
    fake.auth.access.clear()  # Google revoked the access token early
    messages, _ = await client().fetch_new(None)
    assert subjects(messages) == ["UA1"] and fake.auth.grants[-1]["grant_type"] == "refresh_token"

    fake.auth.access.clear()
    fake.auth.refresh.clear()  # the traveller removed our access in their Google account
    with pytest.raises(MailCredentialsRejected) as raised:
        await client().fetch_new(None)
    assert raised.value.status == "auth_expired"


@pytest.mark.parametrize("failure", [google_error(429, "rateLimitExceeded"), google_error(503, "backendError"),
                                     google_error(403, "userRateLimitExceeded")])
async def test_rate_limits_and_outages_are_retryable(gmail, failure):
    fake, client, _ = gmail
    fake.failures.append(failure)
    with pytest.raises(MailUnavailable) as raised:
        await client().fetch_new(None)
    assert raised.value.retryable and raised.value.retry_after == (30 if failure.status != 403 else None)


async def test_no_token_or_address_reaches_the_logs(gmail, caplog):
    fake, client, tokens = gmail
    fake.add(mail("UA <secret-sender@united.com>", "UA1"))
    caplog.set_level(logging.DEBUG)
    fake.auth.access.clear()
    await client().fetch_new(None)
    assert "secret-sender" not in caplog.text and "united.com" not in caplog.text
    assert tokens.tokens.access_token not in caplog.text and tokens.tokens.refresh_token not in caplog.text
