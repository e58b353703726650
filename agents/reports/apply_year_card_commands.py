"""The year cards agent: the one writer of each traveller's year card links and of the years mailed to them."""

from __future__ import annotations

import asyncio

import orjson
from faust.types import EventT

from agents.notify.channels import configured
from agents.reports.summaries import summary_of
from domain.common.errors import DomainError
from domain.common.timestamps import utc_iso
from domain.notify.devices import targets
from domain.reports import year_cards as cards
from domain.reports import year_mail
from faust_app import app, settings
from runtime.clock import trips_clock
from runtime.i18n import lang
from streams import topics
from streams.dead_letters import Rejected, process
from streams.replies import replies
from tables.devices import devices
from tables.notification_preferences import notification_preferences
from tables.users import users
from tables.year_cards import year_cards

REQUIRED = ("kind", "user_id")
KINDS = ("add-link", "revoke-link", "mail-year")
YEAR_PAGE = "/year/{year}"


@app.agent(topics.year_card_commands)
async def apply_year_card_commands(commands):
    """year-card-commands -> year-cards table, notification-deliveries: card links; the 1 January mail."""
    await process(commands, "apply_year_card_commands", apply_one, REQUIRED, KINDS, "user_id")


async def apply_one(event: EventT, command: dict) -> None:
    user_id, state = event.key, year_cards.get(event.key)
    try:
        if command["kind"] == "add-link":
            after, reply = cards.add(state, _link(command)), {"ok": True, "status": 201}
        elif command["kind"] == "revoke-link":
            after = cards.revoke(state, str(command.get("link_id")), command.get("issued_at") or "")
            reply = {"ok": True, "status": 204}
        else:
            after, reply = await _mail(user_id, state, _year(command)), {"ok": True, "status": 202}
    except DomainError as exc:
        after, reply = state, {"ok": False, "status": exc.status, "kind": exc.kind, "title": exc.title}
    if after is not None and after != state:
        year_cards[user_id] = after
    if "command_id" in command:
        replies.resolve(command["command_id"], reply)


def _link(command: dict) -> dict:
    link = command.get("link")
    if not isinstance(link, dict) or not {"id", "year", "digest", "created_at", "revoked_at"} <= set(link):
        raise Rejected("add-link needs its link record")
    return link


def _year(command: dict) -> int:
    year = command.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise Rejected("mail-year needs its year")
    return year


async def _mail(user_id: str, state: dict | None, year: int) -> dict | None:
    """The year's notifications, on their way before the year is marked mailed: a crash in between replays
    the command, and the same notification IDs are dropped by the delivering agent's ledger."""
    prefs = notification_preferences.get(user_id) or {}
    if cards.mailed(state, year) or not prefs.get("year_summary"):
        return state
    now = trips_clock.now()
    summary = summary_of(user_id, year, now)
    if year_mail.worth_telling(summary):
        profile = users.get(user_id) or {}
        words = lang(prefs.get("locale") or profile.get("locale"))
        link = settings.web.public_url.rstrip("/") + YEAR_PAGE.format(year=year)
        on = configured(settings.notify)   # no jobs for a channel this deployment cannot send on
        found = {name: to for name, to in targets(profile, devices.get(user_id)).items() if name in on}
        sent = [await topics.notification_deliveries.send(key=user_id, value=orjson.dumps(_job(n, now)))
                for n in year_mail.year_notifications(summary, user_id, words, link, found, now)]
        await asyncio.gather(*sent)
    return cards.mark_mailed(state, year)


def _job(notification, now) -> dict:
    return {"kind": "deliver", "user_id": notification.user_id, "notification_id": notification.notification_id,
            "attempt": 1, "notification": notification.to_dict(), "detected_at": None, "queued_at": utc_iso(now)}
