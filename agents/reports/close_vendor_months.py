"""The vendor months' clock: close each month its grace period after it ends, publish what the throttle held."""

from __future__ import annotations

import time

import orjson

from domain.reports.vendor_month import due
from faust_app import app, settings
from streams import topics
from tables.vendor_reports import vendor_months


@app.timer(interval=settings.vendor_reports.tick_s, name="agents.reports.close_vendor_months")
async def close_vendor_months() -> None:
    """timer -> vendor-report-inputs, provider-call-stats: ask each open month's agent to close or publish it."""
    await ask(time.time())


async def ask(now: float) -> None:
    """Timers cannot write tables: the ask goes to the agent owning the key (this worker's own partitions)."""
    config = settings.vendor_reports
    for key, row in list(vendor_months.items()):
        kind = due(row, now, config.grace_s, config.publish_s)
        if kind is None:
            continue
        if key.startswith("api/"):
            await topics.provider_call_stats.send(
                key=row["provider"], value=orjson.dumps({"kind": kind, "month": row["month"]}))
        else:
            await topics.vendor_report_inputs.send(key=key, value=orjson.dumps({"kind": kind}))
