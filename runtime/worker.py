"""The Faust worker class (app.conf.Worker): checks the broker epoch before any table is opened."""

from __future__ import annotations

import faust

from domain import places
from runtime import topics
from runtime.epoch import reconcile


class Worker(faust.Worker):
    async def on_first_start(self) -> None:
        conf = self.app.conf
        # Before Faust opens RocksDB: a broker that came back empty means our tables are stale.
        servers = [f"{url.host}:{url.port or 9092}" for url in conf.broker]
        await reconcile(servers, conf.datadir, conf.appdir)
        await topics.declare(servers, app_topic_names(), conf.topic_partitions, conf.topic_replication_factor)
        places.airport("FRA")  # load the airport table (~0.5 s) now, not in the first request
        await super().on_first_start()


def app_topic_names() -> list[str]:
    from agents import topics as app_topics  # imported late: the agents' module imports the app

    return sorted({name for topic in vars(app_topics).values() if isinstance(topic, faust.types.TopicT)
                   for name in topic.topics})
