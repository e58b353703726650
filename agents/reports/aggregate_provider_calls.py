"""Each provider's API month, summed from the pollers' call summaries and closed with its month."""

from __future__ import annotations

import time

from faust.types import EventT

from agents.reports.publishing import publish_api
from domain.reports import metrics
from domain.reports.vendor_api import apply_summary, new_api
from domain.reports.vendor_keys import api_key, valid_month
from domain.reports.vendor_month import accepts, publishable
from faust_app import app, settings
from streams import topics
from streams.dead_letters import Rejected, process
from tables.vendor_reports import vendor_months

KINDS = ("summary", "close", "publish")


@app.agent(topics.provider_call_stats, name="agents.reports.aggregate_provider_calls")
async def aggregate_provider_calls(summaries):
    """provider-call-stats -> vendor-months, vendor-reports: each provider's calls, errors and latency a month."""
    await process(summaries, "aggregate_provider_calls", fold_one, ("kind", "month"), kinds=KINDS)


async def fold_one(event: EventT, message: dict) -> None:
    if not valid_month(message["month"]) or not isinstance(event.key, str) or "/" in event.key:
        raise Rejected("a provider ID key and a YYYY-MM month are needed")
    key, now, config = api_key(event.key, message["month"]), time.time(), settings.vendor_reports
    api = vendor_months.get(key)
    if message["kind"] != "summary":
        if api is not None and not api["closed"]:
            api["closed"] = api["closed"] or message["kind"] == "close"
            publish_api(api, now)
            vendor_months[key] = api
        return
    if not accepts(api, message["month"], now, config.grace_s):
        metrics.LATE_INPUTS.labels(kind="summary").inc()
        return
    api = api or new_api(key)
    if apply_summary(api, message):
        if publishable(api, now, config.publish_s):
            publish_api(api, now)
        vendor_months[key] = api
