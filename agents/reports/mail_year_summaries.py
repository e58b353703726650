"""The 1 January timer: asks for each opted-in traveller's last year to be mailed once their clock reads 1 January.

Timers cannot write tables, so the ask goes through year-card-commands to the traveller's year cards agent,
which sends the year once (it remembers the years mailed). This worker's opted-in travellers are those of its
partitions in the notification preferences table; the rest of the year the timer looks at nobody.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import orjson

from domain.common.timestamps import utc_iso
from domain.reports import year_cards as cards
from domain.reports.year_mail import due_year, maybe_due
from faust_app import app, settings
from runtime.clock import trips_clock
from streams import topics
from streams.partitions import tables_ready
from tables.notification_preferences import notification_preferences
from tables.users import users
from tables.year_cards import year_cards

# Asked this process's life: the agent's answer (the year marked mailed) reaches the table in a moment,
# and the timer must not ask again each tick meanwhile. A restart forgets it, and the agent ignores repeats.
asked: set[tuple[str, int]] = set()


@app.timer(interval=settings.notify.year_summary_tick_s, name="agents.mail_year_summaries.mail_year_summaries")
async def mail_year_summaries() -> None:
    """timer -> year-card-commands: mail-year for each opted-in traveller whose last year is due."""
    now = trips_clock.now()
    if tables_ready() and maybe_due(now):
        await ask_due(now)


async def ask_due(now: datetime) -> None:
    for user_id, year in due_travellers(now):
        await topics.year_card_commands.send(key=user_id, value=orjson.dumps({
            "command_id": uuid.uuid4().hex, "kind": "mail-year", "user_id": user_id, "year": year,
            "issued_at": utc_iso(now)}))
        asked.add((user_id, year))


def due_travellers(now: datetime) -> list[tuple[str, int]]:
    """(user ID, year) for this worker's opted-in travellers whose last year is due and not yet mailed."""
    due = []
    for user_id, prefs in list(notification_preferences.items()):   # this worker's active partitions only
        if not (isinstance(prefs, dict) and prefs.get("year_summary")):
            continue
        year = due_year((users.get(user_id) or {}).get("time_zone"), now, prefs)
        if year is not None and (user_id, year) not in asked and not cards.mailed(year_cards.get(user_id), year):
            due.append((user_id, year))
    return due
