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
        servers = [f"{url.host}:{url.port or 9092}" for url in conf.broker]
        await provision.declare(servers, app_topics(), conf.topic_partitions, conf.topic_replication_factor)
        places.airport("FRA")  # load the airport table (~0.5 s) now, not in the first request
        await super().on_first_start()


def app_topics() -> list[faust.types.TopicT]:
    from streams import topics as app_topics  # imported late: the topic map imports the app

    return [topic for topic in vars(app_topics).values() if isinstance(topic, faust.types.TopicT)]
