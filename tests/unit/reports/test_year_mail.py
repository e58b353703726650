"""The 1 January mail: due on each traveller's own clock (Tokyo hours before New York), asked by the timer,
sent once per year through the notification deliveries by the year cards agent, only to those who opted in."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

import agents.reports.apply_year_card_commands as year_agent
from agents.reports import mail_year_summaries as timer
from agents.reports.apply_year_card_commands import apply_year_card_commands
from domain.reports.year_mail import due_year, maybe_due, worth_telling
from streams import topics
from tables.devices import devices
from tables.notification_preferences import notification_preferences
from tables.users import users
from tables.year_cards import year_cards
from tests.unit.reports.summaries import empty, summary

TOKYO, NEW_YORK, SILENT = "1" * 32, "2" * 32, "3" * 32
NEW_YEAR_IN_TOKYO = datetime(2026, 12, 31, 15, 30, tzinfo=UTC)     # 00:30 on 1 January 2027 in Tokyo
NEW_YEAR_IN_NEW_YORK = datetime(2027, 1, 1, 5, 30, tzinfo=UTC)     # 00:30 on 1 January 2027 in New York


NO_QUIET_HOURS = {"year_summary": True, "quiet_hours": None}


def test_the_year_is_due_on_each_travellers_own_new_year():
    assert due_year("Asia/Tokyo", NEW_YEAR_IN_TOKYO, NO_QUIET_HOURS) == 2026
    assert due_year("America/New_York", NEW_YEAR_IN_TOKYO, NO_QUIET_HOURS) is None
    assert due_year("America/New_York", NEW_YEAR_IN_NEW_YORK, NO_QUIET_HOURS) == 2026
    week_later = datetime(2027, 1, 8, 4, 0, tzinfo=UTC)   # 23:00 on 7 January in New York: a week to catch up
    assert due_year("America/New_York", week_later, NO_QUIET_HOURS) == 2026
    assert due_year("America/New_York", datetime(2027, 1, 8, 6, 0, tzinfo=UTC), NO_QUIET_HOURS) is None
    assert due_year(None, datetime(2027, 6, 1, tzinfo=UTC), NO_QUIET_HOURS) is None


def test_quiet_hours_hold_the_year_until_morning():
    assert due_year("Asia/Tokyo", NEW_YEAR_IN_TOKYO, {"year_summary": True}) is None   # 00:30: 22:00-07:00 quiet
    seven_thirty_in_tokyo = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)
    assert due_year("Asia/Tokyo", seven_thirty_in_tokyo, {"year_summary": True}) == 2026


def test_the_timer_looks_at_nobody_outside_the_turn_of_the_year():
    assert maybe_due(NEW_YEAR_IN_TOKYO) and maybe_due(datetime(2026, 12, 31, 10, 0, tzinfo=UTC))  # Kiritimati
    assert not maybe_due(datetime(2026, 12, 31, 9, 0, tzinfo=UTC))
    assert not maybe_due(datetime(2026, 7, 1, tzinfo=UTC))


def test_an_empty_year_is_no_news():
    assert worth_telling(summary()) and not worth_telling(empty())


@pytest.fixture
def travellers(faust_app, monkeypatch):
    timer.asked.clear()
    for user_id, zone in ((TOKYO, "Asia/Tokyo"), (NEW_YORK, "America/New_York"), (SILENT, "Asia/Tokyo")):
        users.data[user_id] = {"id": user_id, "email": f"{user_id[:4]}@example.com", "time_zone": zone,
                               "locale": "ja" if zone == "Asia/Tokyo" else "en-US"}
        notification_preferences.data[user_id] = {"year_summary": user_id != SILENT, "quiet_hours": None}
    devices.data[TOKYO] = {"d1": {"kind": "fcm", "token": "t" * 20}}
    monkeypatch.setattr(year_agent, "configured", lambda notify: frozenset({"email", "fcm"}))
    monkeypatch.setattr(year_agent, "summary_of", lambda user_id, year, now: summary(year))
    monkeypatch.setattr(year_agent.trips_clock, "offset", NEW_YEAR_IN_TOKYO - datetime.now(UTC))


def test_the_timer_asks_for_tokyo_first_then_new_york_and_never_the_silent(travellers):
    assert timer.due_travellers(NEW_YEAR_IN_TOKYO) == [(TOKYO, 2026)]
    assert sorted(timer.due_travellers(NEW_YEAR_IN_NEW_YORK)) == [(TOKYO, 2026), (NEW_YORK, 2026)]
    year_cards.data[TOKYO] = {"links": [], "mailed": [2026]}
    assert timer.due_travellers(NEW_YEAR_IN_NEW_YORK) == [(NEW_YORK, 2026)]


async def test_the_timer_sends_a_command_once_per_process_and_traveller(travellers, sent):
    await timer.ask_due(NEW_YEAR_IN_TOKYO)
    await timer.ask_due(NEW_YEAR_IN_TOKYO)
    ((key, raw),) = sent.to(topics.year_card_commands)
    assert key == TOKYO and orjson.loads(raw) | {"command_id": "", "issued_at": ""} == {
        "command_id": "", "kind": "mail-year", "user_id": TOKYO, "year": 2026, "issued_at": ""}


def mail(user_id: str, year: int = 2026) -> bytes:
    return orjson.dumps({"command_id": "c", "kind": "mail-year", "user_id": user_id, "year": year})


async def test_the_year_is_mailed_and_pushed_once_even_when_the_command_comes_again(travellers, sent):
    async with apply_year_card_commands.test_context() as agent:
        await agent.put(key=TOKYO, value=mail(TOKYO))
        await agent.put(key=TOKYO, value=mail(TOKYO))   # a replay, or the timer of a restarted worker
    jobs = [orjson.loads(value) for _, value in sent.to(topics.notification_deliveries)]
    assert sorted(job["notification"]["channel"] for job in jobs) == ["email", "fcm"]
    email = next(job["notification"] for job in jobs if job["notification"]["channel"] == "email")
    assert email["target"] == {"email": f"{TOKYO[:4]}@example.com"} and email["locale"] == "ja"
    assert "2026" in email["title"] and "/year/2026" in email["text"]
    assert year_cards[TOKYO]["mailed"] == [2026]


async def test_the_same_year_gives_the_same_notification_ids(travellers, sent):
    async with apply_year_card_commands.test_context() as agent:
        await agent.put(key=TOKYO, value=mail(TOKYO))
    first = sorted(orjson.loads(v)["notification_id"] for _, v in sent.to(topics.notification_deliveries))
    year_cards.data.clear()   # as if the worker crashed before writing the year down
    async with apply_year_card_commands.test_context() as agent:
        await agent.put(key=TOKYO, value=mail(TOKYO))
    again = sorted(orjson.loads(v)["notification_id"] for _, v in sent.to(topics.notification_deliveries))
    assert sorted(again) == sorted(first * 2)   # the delivering agent's ledger drops the copies by ID


async def test_nobody_who_did_not_opt_in_and_no_empty_year_is_mailed(travellers, sent, monkeypatch):
    async with apply_year_card_commands.test_context() as agent:
        await agent.put(key=SILENT, value=mail(SILENT))
        monkeypatch.setattr(year_agent, "summary_of", lambda user_id, year, now: empty(year))
        await agent.put(key=NEW_YORK, value=mail(NEW_YORK))
    assert sent.to(topics.notification_deliveries) == []
    assert SILENT not in year_cards and year_cards[NEW_YORK]["mailed"] == [2026]
