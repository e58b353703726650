"""The Faust worker class (app.conf.Worker): checks the broker epoch before any table is opened."""

from __future__ import annotations

import faust

from domain import places
from runtime.epoch import reconcile


class Worker(faust.Worker):
    async def on_first_start(self) -> None:
        conf = self.app.conf
        # Before Faust opens RocksDB: a broker that came back empty means our tables are stale.
        servers = [f"{url.host}:{url.port or 9092}" for url in conf.broker]
        await reconcile(servers, conf.datadir, conf.appdir)
        places.airport("FRA")  # load the airport table (~0.5 s) now, not in the first request
        await super().on_first_start()
