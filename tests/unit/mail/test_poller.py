"""The mail poller against a real Dovecot and a local Gmail-shaped server: results, filters, statuses, backoff."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import socket

import aiohttp
import orjson
import pytest

from agents.mail import clients as mail_clients
from agents.mail.poll_mailboxes import MailPoller
from agents.mail.read_mail import read
from domain.mail.filters import validate
from domain.mail.mailboxes import new_record
from domain.mail.secrets_box import SecretsBox
from integrations.mail.message import MailMessage
from integrations.mail.oauth import GOOGLE, OAuthApp, with_base
from streams import topics
from tables.email_filters import email_filters
from tables.mailboxes import mailboxes
from tests.unit.mail.fixtures import FakeAuthorizationServer, consent, dovecot_server
from tests.unit.mail.test_bookings import confirmation_mail
from tests.unit.mail.test_gmail import API, FakeGmail

USER, MAILBOX = "a" * 32, "b" * 32
NOW = "2027-03-20T10:00:00.000Z"
CYCLE = 300.0
FILTERS = validate({"allow": ["non-existing-airline.com"], "use_defaults": False})
NEWSLETTER = (b"From: Some Airline <news@non-existing-airline.com>\r\nTo: ann@icloud.test\r\nSubject: Deals\r\n"
              b"Date: Mon, 15 Mar 2027 10:00:00 +0000\r\nContent-Type: text/plain\r\n\r\nFly more!\r\n")
STRANGER = confirmation_mail(sender="Someone <someone@elsewhere.example>", message_id="<x@elsewhere>")


@pytest.fixture(scope="module")
def dovecot():
    with dovecot_server(mailboxes=4) as server:
        yield server


class Clock:
    def __init__(self) -> None:
        self.now = 2_000_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def poller(faust_app, clock):
    one = MailPoller(CYCLE, clock=clock, rand=lambda: 0.5, owned=lambda: {0}, ready=lambda: True)
    yield one
    await one.close()


def store(record: dict, filters: dict = FILTERS) -> None:
    # Only the agent writes tables in the system; the test sets the state it would have written.
    mailboxes.data[USER] = {"partition": 0, "mailboxes": {record["id"]: record}, "pending": {}}
    email_filters.data[USER] = filters


def imap_record(dovecot, user: str, password: str, port: int | None = None) -> dict:
    secret = mail_clients.box().seal(password, mail_clients.secret_context(USER, MAILBOX))
    mailbox = {"provider": "imap", "account": user, "host": dovecot.host, "port": port or dovecot.port}
    return new_record(MAILBOX, mailbox, secret, "connected", NOW)


async def run(poller: MailPoller) -> None:
    await poller.tick()
    await asyncio.gather(*poller.in_flight.values())


def results_of(sent) -> list[dict]:
    return [orjson.loads(value) for _, value in sent.to(topics.mailbox_commands)]


@pytest.fixture
def trusted(monkeypatch, dovecot):
    monkeypatch.setattr(mail_clients, "ssl_context", dovecot.client_context)


async def test_a_poll_reads_whitelisted_mail_only_and_waits_for_its_result_to_be_applied(
        poller, clock, sent, dovecot, trusted):
    user, password = dovecot.users[0]
    for raw in (STRANGER, confirmation_mail(), NEWSLETTER):
        dovecot.deliver(user, password, raw)
    store(imap_record(dovecot, user, password))
    await run(poller)
    (result,) = results_of(sent)
    assert result["outcome"] == "ok" and result["messages"] == 2 and result["user_id"] == USER
    confirmation, newsletter = result["found"]
    (extracted,) = confirmation["extracted"]
    assert extracted["reservation"]["confirmation"] == "RXJ34P" and extracted["reservation"]["source"] == "email"
    assert newsletter["skipped"].startswith("no reservation found") and newsletter["bad"] is False
    assert b"elsewhere" not in orjson.dumps(result)  # the stranger's mail never left the server
    assert result["client_state"] == {"uidvalidity": dovecot.uidvalidity(user), "last_uid": 3}

    clock.now += 2 * CYCLE
    await run(poller)
    assert len(results_of(sent)) == 1  # its result has not reached the table: polling now would read it again
    record = mailboxes.data[USER]["mailboxes"][MAILBOX]
    record.update(last_poll_id=result["poll_id"], client_state=result["client_state"])
    await run(poller)
    later = results_of(sent)[1]
    assert later["outcome"] == "ok" and later["found"] == [] and later["client_state"]["last_uid"] == 3


async def test_a_refused_password_says_auth_expired_and_stops_polling(poller, clock, sent, dovecot, trusted):
    user, _ = dovecot.users[1]
    store(imap_record(dovecot, user, "wrong-password"))
    await run(poller)
    (result,) = results_of(sent)
    assert result["outcome"] == "error" and result["status"] == "auth_expired" and "wrong" not in result["detail"]
    assert poller.next_poll(USER, MAILBOX) is None
    clock.now += 10 * CYCLE
    await run(poller)
    assert len(results_of(sent)) == 1


async def test_an_unreachable_server_backs_off_beyond_the_next_slot(poller, clock, sent, dovecot, trusted):
    user, password = dovecot.users[2]
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    store(imap_record(dovecot, user, password, port=port))
    delays = []
    for _ in range(4):
        clock.now = poller.due.get((USER, MAILBOX), clock.now)
        await run(poller)
        mailboxes.data[USER]["mailboxes"][MAILBOX]["last_poll_id"] = results_of(sent)[-1]["poll_id"]
        delays.append(poller.due[(USER, MAILBOX)] - clock.now)
    assert all(r["status"] == "unavailable" for r in results_of(sent))
    # rand 0.5: half of cycle * 2**attempt, so each wait is longer than a cycle's slot spacing allows.
    assert delays[1:] == [CYCLE, 2 * CYCLE, 4 * CYCLE] and poller.attempts[(USER, MAILBOX)] == 4


async def test_gmail_tokens_renewed_during_a_poll_come_back_sealed(poller, sent, monkeypatch, aiohttp_server):
    auth = FakeAuthorizationServer("rw-client", "http://127.0.0.1/api/v1/oauth/callback", rotate_refresh=False)
    fake = FakeGmail(auth)
    server = await aiohttp_server(fake.app())
    base = f"http://{server.host}:{server.port}"
    settings = mail_clients.settings
    monkeypatch.setattr(mail_clients, "settings", dataclasses.replace(settings, mail=dataclasses.replace(
        settings.mail, google_client_id=auth.client_id, google_oauth_url=base, gmail_api_url=base + API,
        oauth_redirect_uri=auth.redirect_uri)))
    async with aiohttp.ClientSession() as session:
        tokens = await consent(session, OAuthApp(with_base(GOOGLE, base), auth.client_id, auth.redirect_uri))
    fake.add(confirmation_mail())
    fake.add(STRANGER)
    expired = dataclasses.replace(tokens, expires_at=0)
    context = mail_clients.secret_context(USER, MAILBOX)
    record = new_record(MAILBOX, {"provider": "gmail"}, mail_clients.seal_tokens(expired, context), "connecting", NOW)
    store(record)
    await run(poller)
    (result,) = results_of(sent)
    assert result["outcome"] == "ok" and result["messages"] == 1
    assert result["found"][0]["extracted"][0]["reservation"]["confirmation"] == "RXJ34P"
    renewed = json.loads(mail_clients.box().open(result["secret"], context))
    assert renewed["access_token"] != tokens.access_token and renewed["refresh_token"] == tokens.refresh_token
    assert poller.next_poll(USER, MAILBOX) >= poller._clock() + CYCLE / 2  # the next slot, not sooner


async def test_bad_mail_costs_one_message_and_says_why():
    truncated = confirmation_mail().replace(b'"boardingGroup": "B"\n}', b'"boardingGroup": "B"')
    item = await read(MailMessage("1:1", len(truncated), truncated))
    assert item["bad"] is True and "invalid JSON-LD" in item["skipped"] and "extracted" not in item
    too_large = MailMessage("1:2", None, None, "too-large: over 10485760 bytes")
    assert await read(too_large) == {"ref": "1:2", "skipped": "too-large: over 10485760 bytes", "bad": True}

    def explode(raw: bytes):
        raise RecursionError("deep")

    item = await read(MailMessage("1:3", 3, b"abc"), extract=explode)
    assert item == {"ref": "1:3", "skipped": "extraction failed: RecursionError", "bad": True}


async def test_mailboxes_are_spread_over_the_cycle_and_a_reconnected_one_is_polled_at_once(poller, clock):
    polled = {"last_polled_at": "2027-03-20T10:00:00.000Z", "connected_at": "2027-03-19T10:00:00.000Z"}
    records = {f"{n:032x}": {**new_record(f"{n:032x}", {"provider": "gmail"}, "s", "connected", NOW), **polled}
               for n in range(200)}
    mailboxes.data[USER] = {"partition": 0, "mailboxes": records, "pending": {}}
    poller.changed(USER)
    offsets = sorted(due - clock.now for due in poller.due.values())
    assert len(offsets) == 200 and 0 <= offsets[0] and offsets[-1] < CYCLE
    assert max(b - a for a, b in zip(offsets, offsets[1:], strict=False)) < CYCLE / 10  # no burst, no long gap

    first, second = list(records)[:2]
    records[first]["status"] = "auth_expired"
    poller.changed(USER)
    assert (USER, first) not in poller.due  # nothing to poll until the traveller connects it again
    records[first].update(status="connected", connected_at="2027-03-21T10:00:00.000Z")
    del records[second]
    poller.changed(USER)
    assert poller.due[(USER, first)] == clock.now and (USER, second) not in poller.due


async def test_a_password_sealed_under_a_retired_key_is_sealed_again_under_the_current_one(
        poller, sent, dovecot, trusted, monkeypatch):
    user, password = dovecot.users[3]
    old, new = os.urandom(32), os.urandom(32)
    context = mail_clients.secret_context(USER, MAILBOX)
    record = imap_record(dovecot, user, password)
    record["secret"] = SecretsBox([old]).seal(password, context)
    monkeypatch.setattr(mail_clients, "box", lambda: SecretsBox([new, old]))  # ROADWARRIOR_SECRETS_KEYS=new,old
    store(record)
    await run(poller)
    (result,) = results_of(sent)
    assert result["outcome"] == "ok" and SecretsBox([new]).open(result["secret"], context) == password
