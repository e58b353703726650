"""The provider gates' calls of the last few seconds, sent as one summary per provider and month."""

from __future__ import annotations

import orjson

from agents.providers.call_providers import tally
from faust_app import app, settings
from streams import topics


@app.timer(interval=settings.vendor_reports.tick_s, name="agents.reports.send_call_stats")
async def send_call_stats() -> None:
    """timer -> provider-call-stats: this worker's provider calls since the last tick, per provider and month."""
    await flush()


async def flush() -> None:
    for provider, summary in tally.drain():
        await topics.provider_call_stats.send(key=provider, value=orjson.dumps({"kind": "summary", **summary}))


@app.on_before_shutdown.connect
async def _flush_on_shutdown(app, **kwargs) -> None:   # noqa: ANN001 (Faust signal signature)
    await flush()
