"""The mailbox agent: the one writer of the mailboxes, email-filters and email-bookings tables (keyed by user ID)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import orjson
from faust.types import EventT

from agents.mail.poll_mailboxes import poller
from domain.mail import mailboxes as rules
from domain.mail.bookings import plan
from faust_app import app
from streams import topics
from streams.dead_letters import dead_letter, process
from streams.replies import replies
from tables.email_bookings import email_bookings
from tables.email_filters import email_filters
from tables.mailboxes import mailboxes

REQUIRED = ("command_id", "kind", "user_id", "issued_at")
KINDS = ("oauth-start", "connect", "disconnect", "set-filters", "polled")
AGENT = "apply_mailbox_commands"


@app.agent(topics.mailbox_commands, name="agents.apply_mailbox_commands.apply_mailbox_commands")
async def apply_mailbox_commands(commands):
    """mailbox-commands -> reservation-commands: keep mailboxes and filters, merge polled mail into reservations."""
    await process(commands, AGENT, apply_one, REQUIRED, KINDS, "user_id")


async def apply_one(event: EventT, command: dict) -> None:
    user = dict(mailboxes.get(event.key) or {"mailboxes": {}, "pending": {}})
    handler = {"oauth-start": _oauth_start, "connect": _connect, "disconnect": _disconnect,
               "set-filters": _set_filters, "polled": _polled}[command["kind"]]
    reply = await handler(event, command, user)
    if reply is not None:
        replies.resolve(command["command_id"], reply)


def _store(event: EventT, user: dict) -> None:
    user["partition"] = event.message.partition  # the poller polls the users of the partitions it owns
    user["pending"] = rules.live_consents(user.get("pending"), time.time())
    mailboxes[event.key] = user
    poller.changed(event.key)


async def _oauth_start(event: EventT, command: dict, user: dict) -> dict:
    consent = {k: command[k] for k in ("provider", "verifier", "expires_at")}
    user["pending"] = {**user.get("pending", {}), command["nonce"]: consent}
    _store(event, user)
    return {"ok": True, "status": 200}


async def _connect(event: EventT, command: dict, user: dict) -> dict:
    if command.get("nonce") is not None:
        user["pending"] = {k: v for k, v in user.get("pending", {}).items() if k != command["nonce"]}
    records = dict(user.get("mailboxes", {}))
    mailbox = command["mailbox"]
    same = next((r for r in records.values() if rules.same_account(r, mailbox)), None)
    if same is not None:
        record, status = rules.reconnected(same, command["secret"], command["status"], command["issued_at"]), 200
    else:
        record = rules.new_record(mailbox["id"], mailbox, command["secret"], command["status"], command["issued_at"])
        status = 201
    records[record["id"]] = record
    user["mailboxes"] = records
    _store(event, user)
    return {"ok": True, "status": status, "mailbox": rules.public(record)}


async def _disconnect(event: EventT, command: dict, user: dict) -> dict:
    records = dict(user.get("mailboxes", {}))
    if records.pop(command.get("mailbox_id"), None) is None:
        return {"ok": False, "status": 404, "kind": "not-found", "title": "No such mailbox."}
    user["mailboxes"] = records  # the sealed tokens or password go with the record
    _store(event, user)
    return {"ok": True, "status": 204}


async def _set_filters(event: EventT, command: dict, user: dict) -> dict:
    email_filters[event.key] = command["filters"]  # validated by the view (domain/mail/filters.py validate)
    return {"ok": True, "status": 200, "filters": command["filters"]}


async def _polled(event: EventT, command: dict, user: dict) -> None:
    record = user.get("mailboxes", {}).get(command.get("mailbox_id"))
    if record is None:
        return None  # disconnected while the poll ran: its results go nowhere
    replay = record.get("last_poll_id") == command["poll_id"]
    found = command.get("found") or []
    planned = plan(email_bookings.get(event.key), found, user_id=event.key, poll_id=command["poll_id"],
                   issued_at=command["issued_at"])
    if planned.commands:
        email_bookings[event.key] = planned.bookings
    for reservation_command in planned.commands:
        await topics.reservation_commands.send(key=reservation_command["reservation_id"],
                                               value=orjson.dumps(reservation_command))
    if replay:
        return None  # the commands again (idempotent downstream); counters and dead letters only once
    skipped = [{"ref": item["ref"], "reason": item["skipped"], "at": command["issued_at"]}
               for item in found if item.get("skipped")]
    user["mailboxes"] = {**user["mailboxes"], record["id"]: rules.after_poll(
        record, command, found=planned.counts["create"], skipped=skipped, now=command["issued_at"])}
    _store(event, user)
    for item in found:
        if item.get("bad"):
            await _dead_letter_mail(event, command, item)
    return None


async def _dead_letter_mail(event: EventT, command: dict, item: dict) -> None:
    """Bad mail is recorded where operations look, by reference only: its content was never kept."""
    value = orjson.dumps({"mailbox_id": command["mailbox_id"], "provider": command.get("provider"),
                          "ref": item["ref"], "poll_id": command["poll_id"]})
    await dead_letter(SimpleNamespace(key=event.key, value=value, message=event.message), AGENT,
                      f"mail skipped: {item['skipped']}")
