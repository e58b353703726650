"""While running: notice a broker that came back empty, and restart clean instead of serving stale tables."""

from __future__ import annotations

import logging
import os

from aiokafka.errors import KafkaError

from faust_app import app
from runtime import epoch

log = logging.getLogger(__name__)
RESTART_EXIT_CODE = 3  # runtime/devstack.py restarts a worker that exits with it


@app.timer(interval=15.0)
async def watch_broker_epoch() -> None:
    """roadwarrior-broker-epoch -> (exit 3): the epoch changed under us, so our tables are stale."""
    if epoch.current is None:
        return
    servers = [f"{url.host}:{url.port or 9092}" for url in app.conf.broker]
    try:
        seen = await epoch.first_record(servers)
    except (KafkaError, OSError) as exc:
        log.warning("broker epoch check failed (%s); will retry", type(exc).__name__)
        return
    if seen != epoch.current:
        log.critical("BROKER RESTARTED EMPTY while this worker ran (epoch %s, now %s): exiting so it "
                     "restarts clean on the broker's new state", epoch.current, seen)
        # No graceful stop: committing offsets or changelogs into the new broker would spread stale state.
        os._exit(RESTART_EXIT_CODE)
