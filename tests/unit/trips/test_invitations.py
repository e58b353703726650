"""Inviting an address nobody registered: which shares are new invitations, the e-mail's words, and the mailer
sending it through the e-mail channel to a local SMTP server (aiosmtpd), or saying why not."""

from __future__ import annotations

import asyncio
import dataclasses
import email
import logging
from datetime import UTC, datetime
from email import policy

import orjson
import pytest
from aiosmtpd.smtp import SMTP

import agents.trips.mail_invitations as mailer
from agents.trips.apply_trip_commands import apply_trip_commands
from domain.notify.invitation import invitation, sign_up_link
from domain.trips.invitations import new_invitations
from faust_app import settings
from runtime.i18n import lang
from streams import topics
from tables.trips import trips
from tables.users import users
from tests.unit.trips.test_agents import BACK, HOTEL, OUT, USER, arrive
from tests.unit.trips.test_share_agents import share_command
from tests.unit.trips.test_shares import OWNER, owners_book, share_with

ADDRESS = "new.person@example.com"
NOW = datetime(2025, 1, 1, tzinfo=UTC)
INVITED = {"share_id": "1" * 32, "email": ADDRESS, "owner_id": OWNER, "trip_id": "t" * 32, "trip_name": "New York"}


def test_a_share_with_an_unregistered_address_is_a_new_invitation_once():
    book, trip_id = owners_book()
    invited = share_with(book, trip_id, ADDRESS, follower_id=None).book
    assert new_invitations(book, invited) == [{
        "share_id": f"{1:032x}", "email": ADDRESS, "owner_id": OWNER, "trip_id": trip_id,
        "trip_name": invited["trips"][trip_id]["summary"]["auto_name"]}]
    again = share_with(invited, trip_id, ADDRESS, follower_id=None, role="editor", n=2).book
    assert new_invitations(invited, again) == []   # a new role is no new invitation
    assert new_invitations(book, share_with(book, trip_id).book) == []   # a registered address follows at once


@pytest.mark.usefixtures("clock")
async def test_the_owners_trips_agent_hands_a_new_invitation_to_the_mailer(faust_app, sent):
    await arrive(OUT, HOTEL, BACK)
    (trip_id,) = trips[USER]["trips"]
    command = share_command(trip_id, ADDRESS)
    async with apply_trip_commands.test_context() as agent:
        for _ in range(2):   # delivered twice: one invitation
            await agent.put(key=USER, value=orjson.dumps({**command, "data": {**command["data"], "follower_id": None}}))
    ((key, value),) = sent.to(topics.share_invitation_mails)
    assert key == USER and orjson.loads(value)["email"] == ADDRESS and orjson.loads(value)["trip_id"] == trip_id


@pytest.mark.parametrize(("locale", "words"), [
    ("en", "Ann shared a trip with you: New York"), ("es", "Ann ha compartido un viaje contigo: New York"),
    ("de", "Ann hat eine Reise mit Ihnen geteilt: New York"), ("fr", "Ann a partagé un voyage avec vous : New York"),
    ("ja", "Annさんが旅行を共有しました：New York"), ("pt-BR", "Ann compartilhou uma viagem com você: New York")])
def test_the_invitation_speaks_the_inviters_language_and_links_to_sign_up(locale, words):
    link = sign_up_link("https://app.example/", "c" * 64)
    note = invitation(INVITED, "Ann", lang(locale), link, NOW)
    assert note.title == words and link == "https://app.example/signup?invitation=" + "c" * 64
    assert link in note.text and link in note.html and "New York" in note.text
    assert note.target == {"email": ADDRESS} and note.channel == "email"
    assert note.notification_id == invitation(INVITED, "Ann", lang("en"), link, NOW).notification_id   # fixed by share


def test_an_inviter_without_a_name_is_a_traveller():
    assert invitation(INVITED, None, lang(None), "https://x", NOW).title == "A Road Warrior traveller shared a trip " \
                                                                      "with you: New York"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture
async def smtp_port():
    mailbox = Mailbox()
    server = await asyncio.get_running_loop().create_server(lambda: SMTP(mailbox, hostname="mx.test"),
                                                            "127.0.0.1", 0)
    yield mailbox, server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()


def with_smtp(monkeypatch, port: int | None) -> None:
    notify = dataclasses.replace(settings.notify, smtp_host="127.0.0.1" if port else None, smtp_port=port or 25,
                                 smtp_tls="none")
    web = dataclasses.replace(settings.web, public_url="https://app.example")
    monkeypatch.setattr(mailer, "settings", dataclasses.replace(settings, notify=notify, web=web))


async def mail(invited: dict, done) -> None:
    """Put the invitation to the mailer and keep it running until ``done()``: its send is real network I/O."""
    async with mailer.mail_invitations.test_context() as agent:
        await agent.put(key=invited["owner_id"], value=orjson.dumps(invited))
        async with asyncio.timeout(5):
            while not done():
                await asyncio.sleep(0.01)


async def test_the_mailer_sends_the_invitation_in_the_inviters_words(faust_app, sent, smtp_port, monkeypatch, caplog):
    mailbox, port = smtp_port
    with_smtp(monkeypatch, port)
    users.data[OWNER] = {"id": OWNER, "name": "Ann", "locale": "de-DE"}
    with caplog.at_level(logging.INFO, logger=mailer.__name__):
        await mail(INVITED, lambda: "e-mailed" in caplog.text)
    [(recipients, raw)] = mailbox.messages
    message = email.message_from_bytes(raw, policy=policy.default)
    assert recipients == [ADDRESS] and message["Subject"] == "Ann hat eine Reise mit Ihnen geteilt: New York"
    assert "https://app.example/signup" in message.get_body(("plain",)).get_content()
    assert caplog.messages == [f"invitation {INVITED['share_id']} e-mailed"]


async def test_without_smtp_the_mailer_says_so_without_the_address(faust_app, sent, monkeypatch, caplog):
    with_smtp(monkeypatch, None)
    with caplog.at_level(logging.INFO, logger=mailer.__name__):
        await mail(INVITED, lambda: "not e-mailed" in caplog.text)
    assert "SMTP is not configured" in caplog.text and ADDRESS not in caplog.text and "New York" not in caplog.text


class BusyOnce(Mailbox):
    """A mail server that asks the first delivery to come back later (SMTP 451), then takes it."""

    async def handle_DATA(self, server, session, envelope):
        if not getattr(self, "refused", False):
            self.refused = True
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


async def test_a_mail_server_busy_for_a_moment_gets_the_invitation_on_a_retry(faust_app, sent, monkeypatch, caplog):
    mailbox = BusyOnce()
    server = await asyncio.get_running_loop().create_server(lambda: SMTP(mailbox, hostname="mx.test"),
                                                            "127.0.0.1", 0)
    with_smtp(monkeypatch, server.sockets[0].getsockname()[1])
    monkeypatch.setattr(mailer, "retry_delay", lambda *args, **kwargs: 0.0)
    users.data[OWNER] = {"id": OWNER, "name": "Ann", "locale": "en"}
    try:
        with caplog.at_level(logging.INFO, logger=mailer.__name__):
            await mail(INVITED, lambda: "e-mailed" in caplog.text)
    finally:
        server.close()
    assert mailbox.refused and [recipients for recipients, _ in mailbox.messages] == [[ADDRESS]]
