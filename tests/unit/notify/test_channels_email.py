"""The e-mail channel against a real local SMTP server (aiosmtpd) the test starts."""

from __future__ import annotations

import asyncio
import email
import logging
import socket
from datetime import UTC, datetime
from email import policy

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from domain.notify.notification import compose
from domain.notify.render import render
from integrations.channels.email import EmailChannel, SmtpConfig
from integrations.channels.errors import ChannelCredentialsRejected, DeviceTokenInvalid, PermanentError, RetryableError
from runtime.i18n import lang

ADDRESS = "ada.lovelace@example.com"
NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
CHANGE = {
    "change_id": "c1", "reservation_id": "r1", "user_id": "u1", "severity": "major",
    "changes": [{"path": "departure.gate", "old": "A10", "new": "B22", "severity": "major"}],
    "reservation": {"id": "r1", "type": "flight", "start": "2025-03-04T10:15:00+01:00",
                    "end": "2025-03-04T13:05:00-05:00", "start_time_zone": "Europe/Berlin",
                    "end_time_zone": "America/New_York",
                    "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}},
}


class Mailbox:
    """An SMTP handler: keeps what it accepts, refuses or defers some recipients, fails DATA on demand."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.data_reply = "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 User unknown"
        if address.startswith("busy@"):
            return "450 4.2.1 Mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply.startswith("250"):
            self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return self.data_reply


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"robot" and auth_data.password == b"hunter2"
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.fixture
async def smtp_server():
    mailbox = Mailbox()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(mailbox, hostname="mx.test", authenticator=_authenticate, auth_require_tls=False),
        "127.0.0.1", 0)
    yield mailbox, server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()


def notification(locale: str = "en", address: str = ADDRESS):
    return compose(CHANGE, "email", render(CHANGE, lang(locale)), NOW, target={"email": address})


def channel(port: int, **options) -> EmailChannel:
    return EmailChannel(SmtpConfig(host="127.0.0.1", port=port, sender="Road Warrior <trips@roadwarrior.test>",
                                   timeout_s=5, **options))


async def test_sends_text_and_html_alternatives_with_localized_subject(smtp_server):
    mailbox, port = smtp_server
    note = notification("ja")
    result = await channel(port).send(note)
    assert result.channel == "email" and result.notification_id == note.notification_id
    [(recipients, raw)] = mailbox.messages
    assert recipients == [ADDRESS]
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "LH 400便（JFK行き）：ゲートB22"
    assert message["Message-ID"] == f"<{note.notification_id}@roadwarrior.test>" == result.provider_id
    assert message["Content-Language"] == "ja"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "搭乗ゲートがB22に変更されました" in text
    assert '<html lang="ja">' in html and "搭乗ゲートがB22に変更されました" in html


async def test_the_same_notification_keeps_its_message_id(smtp_server):
    mailbox, port = smtp_server
    await channel(port).send(notification())
    await channel(port).send(notification())
    ids = {email.message_from_bytes(raw, policy=policy.default)["Message-ID"] for _, raw in mailbox.messages}
    assert len(mailbox.messages) == 2 and len(ids) == 1


async def test_logs_in_when_configured(smtp_server):
    mailbox, port = smtp_server
    await channel(port, username="robot", password="hunter2").send(notification())
    assert len(mailbox.messages) == 1


async def test_a_refused_login_is_an_auth_error(smtp_server):
    _, port = smtp_server
    with pytest.raises(ChannelCredentialsRejected) as caught:
        await channel(port, username="robot", password="wrong").send(notification())
    assert "wrong" not in str(caught.value) and "hunter2" not in repr(channel(port, password="hunter2").config)


async def test_an_unknown_mailbox_is_invalid_and_the_address_stays_out_of_messages_and_logs(smtp_server, caplog):
    _, port = smtp_server
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DeviceTokenInvalid) as caught:
        await channel(port).send(notification(address="nobody@example.com"))
    assert caught.value.status == 550 and not caught.value.retryable
    assert "nobody" not in str(caught.value) and caught.value.__cause__ is None
    assert not [r for r in caplog.records if r.name.startswith("integrations") and "nobody" in r.getMessage()]


async def test_a_deferred_mailbox_is_retryable(smtp_server):
    _, port = smtp_server
    with pytest.raises(RetryableError) as caught:
        await channel(port).send(notification(address="busy@example.com"))
    assert caught.value.status == 450


@pytest.mark.parametrize(("reply", "error"), [("451 4.3.0 Try again", RetryableError),
                                              ("554 5.6.0 Message rejected", PermanentError)])
async def test_data_replies(smtp_server, reply, error):
    mailbox, port = smtp_server
    mailbox.data_reply = reply
    with pytest.raises(error):
        await channel(port).send(notification())


async def test_no_server_is_retryable():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(RetryableError):
        await channel(port).send(notification())


async def test_no_address_is_permanent(smtp_server):
    _, port = smtp_server
    with pytest.raises(PermanentError):
        await channel(port).send(compose(CHANGE, "email", render(CHANGE, lang("en")), NOW))
