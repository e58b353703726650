"""Each vendor-month's aggregate, folded from its marks and changes, closed once, published throttled."""

from __future__ import annotations

import time

from faust.types import EventT

from agents.reports.publishing import publish_row
from domain.reports import metrics
from domain.reports.vendor_keys import api_key, split_key, valid_month
from domain.reports.vendor_month import accepts, apply_change, mark, new_fact, new_row, publishable
from faust_app import app, settings
from streams import topics
from streams.dead_letters import Rejected, process
from tables.vendor_reports import vendor_facts, vendor_months, vendor_reports

KINDS = ("marks", "change", "close", "publish")
CHANGE = ("change_id", "reservation_id", "user_id", "severity", "kinds", "detected_at")


@app.agent(topics.vendor_report_inputs, name="agents.reports.aggregate_vendor_months")
async def aggregate_vendor_months(inputs):
    """vendor-report-inputs -> vendor-months, vendor-facts, vendor-reports, vendor-month-stats: fold a month."""
    await process(inputs, "aggregate_vendor_months", fold_one, ("kind",), kinds=KINDS)


async def fold_one(event: EventT, message: dict) -> None:
    key, now, config = event.key, time.time(), settings.vendor_reports
    kind, _, month = _checked(key)
    row = vendor_months.get(key)
    if message["kind"] in ("close", "publish"):
        await _finish(row, message["kind"], now)
        return
    if not accepts(row, month, now, config.grace_s):
        metrics.LATE_INPUTS.labels(kind=message["kind"]).inc()   # the month is closed: its row stays as it is
        return
    row = row or new_row(key)
    changed = _marks(row, message) if message["kind"] == "marks" else _change(row, message)
    if changed:
        if publishable(row, now, config.publish_s):
            await publish_row(row, now)
        vendor_months[key] = row


def _checked(key: object) -> tuple[str, str, str]:
    try:
        kind, vendor, month = split_key(key)
    except (AttributeError, ValueError):
        raise Rejected("the key is not <kind>/<vendor>/<YYYY-MM>") from None
    if kind not in ("airline", "hotel", "car") or not vendor or not valid_month(month):
        raise Rejected("the key is not <kind>/<vendor>/<YYYY-MM>")
    return kind, vendor, month


def _marks(row: dict, message: dict) -> bool:
    changed = False
    for reservation_id, user_id in message.get("marks") or ():
        fact_key, user_key = f"{row['key']}|r|{reservation_id}", f"{row['key']}|u|{user_id}"
        fact, known = vendor_facts.get(fact_key) or new_fact(), user_key in vendor_facts
        if mark(row, fact, known, message.get("provider")):
            vendor_facts[fact_key] = fact
            if not known:
                vendor_facts[user_key] = True
            changed = True
    return changed


def _change(row: dict, message: dict) -> bool:
    missing = [name for name in CHANGE if name not in message]
    if missing:
        raise Rejected(f"a change without {', '.join(missing)}")
    fact_key = f"{row['key']}|r|{message['reservation_id']}"
    fact = vendor_facts.get(fact_key) or new_fact()
    if not apply_change(row, fact, message):
        return False   # a replayed change: counted already
    vendor_facts[fact_key] = fact
    return True


async def _finish(row: dict | None, kind: str, now: float) -> None:
    """The timer's asks: publish what the throttle held back, or close the month for good."""
    if row is None or row["closed"]:
        return
    if kind == "close":
        api = vendor_reports.get(api_key(row["provider"], row["month"])) if row["provider"] else None
        if api is not None and not api["closed"]:
            return   # its provider's API month closes first, so the final row carries final API figures
        row["closed"] = True
    await publish_row(row, now)
    vendor_months[row["key"]] = row
