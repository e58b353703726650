"""Publishing a vendor-month: the row every worker reads (vendor_reports) and the compacted topic's value."""

from __future__ import annotations

import time

import orjson

from domain.common.timestamps import epoch_iso
from domain.reports import metrics
from domain.reports.vendor_api import stats_value
from domain.reports.vendor_keys import api_key
from streams import topics
from tables.vendor_reports import vendor_reports


async def publish_row(row: dict, now: float | None = None) -> None:
    """Publish a vendor row (with its provider's API month as every worker sees it) and note it published."""
    now = time.time() if now is None else now
    row["dirty"], row["published_at"] = False, now
    vendor_reports[row["key"]] = _copy(row)   # the aggregate goes on changing; the published row does not
    api = vendor_reports.get(api_key(row["provider"], row["month"])) if row["provider"] else None
    value = stats_value(row, api, epoch_iso(now, millis=True))
    await topics.vendor_month_stats.send(key=row["key"], value=orjson.dumps(value))
    metrics.PUBLISHED.labels(closed=str(row["closed"]).lower()).inc()


def publish_api(api: dict, now: float | None = None) -> None:
    """An API month goes only to vendor_reports: the rows of the vendors it serves carry its figures."""
    api["dirty"], api["published_at"] = False, time.time() if now is None else now
    vendor_reports[api["key"]] = _copy(api)


def _copy(value: dict) -> dict:
    return orjson.loads(orjson.dumps(value))
