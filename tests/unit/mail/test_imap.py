"""The IMAP client against a real Dovecot: incremental polls, UIDVALIDITY changes, sender filters, limits, errors."""

from __future__ import annotations

import itertools
import logging
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from domain.mail.extract.reservations import extract_reservations
from domain.mail.filters import validate
from integrations.mail.errors import MailCredentialsRejected, MailProtocolError, MailUnavailable
from integrations.mail.imap import ImapAccount, ImapClient
from tests.unit.mail.fixtures import Dovecot, dovecot_server

SAMPLE = (Path(__file__).parents[3].parent / "shared" / "data" / "reservation-samples" / "kitinerary"
          / "extractordata" / "synthetic" / "flight-booking.eml")
FILTERS = validate({"allow": ["non-existing-airline.com", "trips@corp.example"], "block": ["marketing.hilton.com"]})
mailboxes = itertools.count()


def mail(sender: str, subject: str, body: str = "See you on board.") -> bytes:
    return (f"From: {sender}\r\nTo: traveller@icloud.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}@test>\r\nDate: Mon, 3 Mar 2025 10:00:00 +0000\r\n"
            f"Content-Type: text/plain\r\n\r\n{body}\r\n").encode()


@pytest.fixture(scope="module")
def dovecot():
    with dovecot_server() as server:
        yield server


@dataclass
class Box:
    """One traveller's mailbox on the shared server: each test gets its own."""

    server: Dovecot
    user: str
    password: str

    def deliver(self, raw: bytes, received: datetime | None = None) -> int:
        return self.server.deliver(self.user, self.password, raw, received)

    def client(self, *, password: str | None = None, filters: dict = FILTERS, **kwargs) -> ImapClient:
        account = ImapAccount(self.user, password or self.password, host=self.server.host, port=self.server.port)
        return ImapClient(account, filters, ssl_context=self.server.client_context(), timeout_s=10, **kwargs)


@pytest.fixture
def box(dovecot: Dovecot) -> Box:
    return Box(dovecot, *dovecot.users[next(mailboxes)])


def subjects(messages) -> list[str]:
    return [m.raw.split(b"Subject: ")[1].split(b"\r\n")[0].decode() for m in messages if m.raw is not None]


async def test_polls_allowed_senders_incrementally_and_restarts_on_a_new_uidvalidity(box: Box):
    old = datetime.now(UTC) - timedelta(days=45)
    box.deliver(mail("LH <booking@lufthansa.com>", "too old"), received=old)
    wanted = mail("Lufthansa <booking@lufthansa.com>", "LH400 confirmed")
    box.deliver(wanted)
    box.deliver(mail("Friend <friend@example.org>", "dinner?"))
    box.deliver(mail("Deals <deals@notlufthansa.com>", "lookalike domain"))
    box.deliver(mail("X <x@lufthansa.com.evil.test>", "lookalike suffix"))
    box.deliver(mail("Hilton <offers@marketing.hilton.com>", "blocked subdomain"))
    box.deliver(mail("Hilton <stays@hilton.com>", "hilton stay"))
    last = box.deliver(mail("Corp Travel <trips@corp.example>", "user allowed address"))
    imap = box.client()

    messages, state = await imap.fetch_new(None)

    uidvalidity = box.server.uidvalidity(box.user)
    assert subjects(messages) == ["LH400 confirmed", "hilton stay", "user allowed address"]
    assert messages[0].raw == wanted and messages[0].size == len(wanted)
    assert messages[0].ref == f"{uidvalidity}:2"
    assert state == {"uidvalidity": uidvalidity, "last_uid": last}

    assert await imap.fetch_new(state) == ([], state)

    box.deliver(mail("Friend <friend@example.org>", "another dinner"))
    newest = box.deliver(mail("Delta <receipts@e.delta.com>", "DL1 receipt"))
    messages, state = await imap.fetch_new(state)
    assert subjects(messages) == ["DL1 receipt"]
    assert state == {"uidvalidity": uidvalidity, "last_uid": newest}

    box.server.set_uidvalidity(box.user, uidvalidity + 1000)
    messages, state = await imap.fetch_new(state)
    assert subjects(messages) == ["LH400 confirmed", "hilton stay", "user allowed address", "DL1 receipt"]
    assert state == {"uidvalidity": uidvalidity + 1000, "last_uid": newest}


async def test_oversize_messages_are_skipped_with_a_reason_and_the_rest_feed_the_extractor(box: Box):
    sample = SAMPLE.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    big = mail("Marriott <reservations@marriott.com>", "big", body="x" * 6000)
    box.deliver(big)
    box.deliver(sample)
    imap = box.client(max_bytes=5000)

    messages, _ = await imap.fetch_new({})

    skipped, fetched = messages
    assert skipped.raw is None and skipped.size == len(big)
    assert skipped.skipped == f"too-large: {len(big)} bytes > 5000"
    assert fetched.raw == sample and fetched.skipped is None
    flights = extract_reservations(fetched.raw).reservations
    assert [r["type"] for r in flights] == ["flight"]


async def test_a_poll_takes_at_most_max_messages_and_the_next_poll_continues(box: Box):
    _, state = await box.client().fetch_new(None)
    first = box.deliver(mail("UA <a@united.com>", "UA1"))
    second = box.deliver(mail("UA <a@united.com>", "UA2"))
    imap = box.client(max_messages=1)

    messages, state = await imap.fetch_new(state)
    assert subjects(messages) == ["UA1"] and state["last_uid"] == first
    messages, state = await imap.fetch_new(state)
    assert subjects(messages) == ["UA2"] and state["last_uid"] == second


async def test_without_any_allowed_sender_nothing_is_read_but_the_position_advances(box: Box):
    last = box.deliver(mail("UA <a@united.com>", "UA3"))
    imap = box.client(filters=validate({"use_defaults": False}))

    messages, state = await imap.fetch_new(None)

    assert messages == [] and state["last_uid"] == last


async def test_a_wrong_password_is_rejected_credentials_that_names_neither_user_nor_password(caplog):
    # A server of its own: Dovecot delays every later login from an address that failed one.
    with dovecot_server(mailboxes=1) as server:
        box = Box(server, *server.users[0])
        caplog.set_level(logging.DEBUG)
        with pytest.raises(MailCredentialsRejected) as raised:
            await box.client(password="wrong-password").fetch_new(None)
    assert raised.value.status == "auth_expired" and not raised.value.retryable
    assert "AUTHENTICATIONFAILED" in str(raised.value)
    text = str(raised.value) + caplog.text
    assert "wrong-password" not in text and box.user not in text


async def test_the_wire_is_not_logged(box: Box, caplog):
    box.deliver(mail("UA <secret-sender@united.com>", "wire"))
    caplog.set_level(logging.DEBUG)
    messages, _ = await box.client().fetch_new(None)
    assert "wire" in subjects(messages)
    assert "secret-sender" not in caplog.text and box.user not in caplog.text and box.password not in caplog.text


async def test_an_untrusted_certificate_is_a_protocol_error(box: Box):
    account = ImapAccount(box.user, box.password, host=box.server.host, port=box.server.port)
    imap = ImapClient(account, FILTERS, ssl_context=ssl.create_default_context(), timeout_s=10)
    with pytest.raises(MailProtocolError, match="certificate"):
        await imap.fetch_new(None)


async def test_no_server_is_unavailable_and_retryable(box: Box):
    account = ImapAccount(box.user, box.password, host="127.0.0.1", port=1)
    with pytest.raises(MailUnavailable) as raised:
        await ImapClient(account, FILTERS, ssl_context=box.server.client_context(), timeout_s=5).fetch_new(None)
    assert raised.value.retryable
