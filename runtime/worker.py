"""The Faust worker class (app.conf.Worker): creates the data dir and the app's topics before any agent subscribes."""

from __future__ import annotations

import faust

from domain.common import places
from streams import provision


class Worker(faust.Worker):
    async def on_first_start(self) -> None:
        conf = self.app.conf
        # Faust creates only the last level of its data dir; importing the app creates nothing (runtime/settings).
        conf.datadir.mkdir(parents=True, exist_ok=True)
        await super().on_first_start()   # autodiscovery: every table is defined after it
        servers = [f"{url.host}:{url.port or 9092}" for url in conf.broker]
        await provision.declare(servers, app_topics(), conf.topic_partitions, conf.topic_replication_factor)
        places.airport("FRA")  # load the airport table (~0.5 s) now, not in the first request


def app_topics() -> list[faust.types.TopicT]:
    """The topics the agents read and every table's changelog: all there, with leaders, before the consumer's
    first metadata request (a changelog created later is missing from it: PartitionsMismatch, see provision)."""
    from faust_app import app  # imported late: the app's settings are read at import
    from streams import topics as app_topics  # imported late: the topic map imports the app

    ours = [topic for topic in vars(app_topics).values() if isinstance(topic, faust.types.TopicT)]
    return ours + [table.changelog_topic for table in app.tables.values()]
