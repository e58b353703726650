"""The mailbox agent through test_context(): connections, filters, and polled mail becoming reservations."""

from __future__ import annotations

import orjson

from agents.mail.apply_mailbox_commands import apply_mailbox_commands
from agents.reservations.apply_reservation_commands import apply_reservation_commands
from streams import topics
from streams.replies import replies
from tables.email_bookings import email_bookings
from tables.email_filters import email_filters
from tables.mailboxes import mailboxes
from tables.reservations import reservations
from tests.unit.mail.test_bookings import CANCELLED, FIRST, KEY, UPDATED
from tests.unit.mail.test_bookings import USER as ANN

MAILBOX = "b" * 32
IMAP = {"id": MAILBOX, "provider": "icloud", "account": "ann@icloud.com", "host": "imap.mail.me.com", "port": 993}


def command(kind: str, n: int, **fields) -> dict:
    return {"command_id": f"c{n}", "kind": kind, "user_id": ANN, "issued_at": f"2027-03-20T10:00:{n:02d}.000Z",
            **fields}


def polled(poll_id: str, n: int, found: list[dict], **fields) -> dict:
    return command("polled", n, mailbox_id=MAILBOX, poll_id=poll_id, provider="icloud", outcome="ok",
                   client_state={"uidvalidity": 1, "last_uid": n}, messages=len(found), found=found, **fields)


async def put(agent, value: dict, key: str = ANN) -> None:
    await agent.put(key=key, value=orjson.dumps(value))


def record() -> dict:
    return mailboxes[ANN]["mailboxes"][MAILBOX]


async def test_connecting_stores_the_sealed_secret_and_connecting_again_keeps_the_sync_position(faust_app, sent):
    first, again = replies.expect("c1"), replies.expect("c3")
    async with apply_mailbox_commands.test_context() as agent:
        await put(agent, command("connect", 1, mailbox=IMAP, secret="sealed-1", status="connected"))
        await put(agent, polled("p1", 2, []))
        await put(agent, command("connect", 3, mailbox=IMAP, secret="sealed-2", status="connecting"))
    assert first.result()["status"] == 201 and "secret" not in first.result()["mailbox"]
    assert again.result()["status"] == 200 and again.result()["mailbox"]["status"] == "connecting"
    assert record()["secret"] == "sealed-2" and record()["client_state"] == {"uidvalidity": 1, "last_uid": 2}
    assert mailboxes[ANN]["partition"] == 0


async def test_an_oauth_consent_is_kept_until_its_callback_connects_the_mailbox(faust_app, sent):
    async with apply_mailbox_commands.test_context() as agent:
        await put(agent, command("oauth-start", 1, nonce="n1", provider="gmail", verifier="sealed-v",
                                 expires_at=4_000_000_000))
        assert mailboxes[ANN]["pending"] == {"n1": {"provider": "gmail", "verifier": "sealed-v",
                                                    "expires_at": 4_000_000_000}}
        await put(agent, command("connect", 2, nonce="n1", secret="sealed-t", status="connecting",
                                 mailbox={"id": MAILBOX, "provider": "gmail"}))
    assert mailboxes[ANN]["pending"] == {} and record()["provider"] == "gmail"


async def test_polled_mail_creates_updates_and_cancels_one_email_reservation(faust_app, sent):
    async with apply_mailbox_commands.test_context() as agent:
        await put(agent, command("connect", 1, mailbox=IMAP, secret="s", status="connected"))
        await put(agent, polled("p1", 2, [FIRST]))
        await put(agent, polled("p2", 3, [UPDATED]))
        await put(agent, polled("p2", 3, [UPDATED]))   # redelivered after a crash
        await put(agent, polled("p3", 4, [CANCELLED]))
    sent_commands = [orjson.loads(v) for _, v in sent.to(topics.reservation_commands)]
    assert [c["kind"] for c in sent_commands] == ["create", "update", "update", "update"]
    assert sent_commands[1] == sent_commands[2]  # the replay sends the very same command
    assert record()["messages_seen"] == 3 and record()["reservations_found"] == 1
    assert email_bookings[ANN][KEY]["status"] == "cancelled"
    async with apply_reservation_commands.test_context() as agent:
        for reservation_command in sent_commands:
            await put(agent, reservation_command, key=reservation_command["reservation_id"])
    (stored,) = reservations.values()
    assert stored["source"] == "email" and stored["status"] == "cancelled" and stored["version"] == 3
    assert stored["flight"]["departure_gate"] == "14" and stored["user_id"] == ANN


async def test_bad_mail_is_dead_lettered_by_reference_and_shown_on_the_mailbox(faust_app, sent):
    bad = {"ref": "1:7", "skipped": "no reservation found: invalid JSON-LD", "bad": True}
    newsletter = {"ref": "1:8", "skipped": "no reservation found: no markup, calendar or flight details", "bad": False}
    async with apply_mailbox_commands.test_context() as agent:
        await put(agent, command("connect", 1, mailbox=IMAP, secret="s", status="connected"))
        await put(agent, polled("p1", 2, [bad, FIRST, newsletter]))
    (key, value), = sent.to(topics.dead_letters)
    letter = orjson.loads(value)
    assert key == ANN and letter["agent"] == "apply_mailbox_commands" and "invalid JSON-LD" in letter["reason"]
    assert orjson.loads(letter["payload"]) == {"mailbox_id": MAILBOX, "provider": "icloud", "ref": "1:7",
                                               "poll_id": "p1"}
    assert [s["ref"] for s in record()["skipped"]] == ["1:7", "1:8"]
    assert len(sent.to(topics.reservation_commands)) == 1  # the good mail beside them still counts


async def test_a_failed_poll_shows_its_status_and_keeps_the_position(faust_app, sent):
    async with apply_mailbox_commands.test_context() as agent:
        await put(agent, command("connect", 1, mailbox=IMAP, secret="s", status="connected"))
        await put(agent, polled("p1", 2, []))
        await put(agent, command("polled", 3, mailbox_id=MAILBOX, poll_id="p2", outcome="error",
                                 status="auth_expired", detail="imap: login refused (AUTHENTICATIONFAILED)"))
    assert record()["status"] == "auth_expired" and record()["client_state"]["last_uid"] == 2


async def test_disconnect_deletes_the_mailbox_and_late_results_go_nowhere(faust_app, sent):
    gone, again = replies.expect("c2"), replies.expect("c3")
    async with apply_mailbox_commands.test_context() as agent:
        await put(agent, command("connect", 1, mailbox=IMAP, secret="s", status="connected"))
        await put(agent, command("disconnect", 2, mailbox_id=MAILBOX))
        await put(agent, command("disconnect", 3, mailbox_id=MAILBOX))
        await put(agent, polled("p1", 4, [FIRST]))
    assert gone.result()["status"] == 204 and again.result()["status"] == 404
    assert mailboxes[ANN]["mailboxes"] == {} and sent.to(topics.reservation_commands) == []
    assert ANN not in email_bookings


async def test_filters_are_stored_and_garbage_is_dead_lettered(faust_app, sent):
    stored = replies.expect("c2")
    filters = {"allow": ["trips@corp.example"], "block": [], "use_defaults": False}
    async with apply_mailbox_commands.test_context() as agent:
        await agent.put(key=ANN, value=b"{not json")
        await put(agent, command("set-filters", 2, filters=filters))
        await put(agent, command("explode", 3))
    assert email_filters[ANN] == filters and stored.result()["filters"] == filters
    reasons = [orjson.loads(v)["reason"] for _, v in sent.to(topics.dead_letters)]
    assert reasons[0].startswith("unparseable JSON") and reasons[1].startswith("unknown command kind")
