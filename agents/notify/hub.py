"""This worker's SSE fan-out: through Redis when ROADWARRIOR_REDIS_URL is set, in-process otherwise."""

from __future__ import annotations

from faust_app import app, settings
from integrations.channels.sse_hub import LocalHub, hub_for

hub: LocalHub = hub_for(settings.web.redis_url)


@app.on_before_shutdown.connect
async def _end_streams(app, **kwargs) -> None:  # noqa: ANN001 (Faust signal signature)
    # Open streams would hold the web server's shutdown; browsers reconnect (with Last-Event-ID) elsewhere.
    await hub.close()
