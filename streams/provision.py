"""Create the app's own topics, with their partition count and retention, before any agent subscribes.

Faust declares its changelog topics itself (compacted, with ``topic_partitions``) but not the topics our
agents read: left to the broker's auto-creation, they would get the broker's default count and retention, and
a table fed by such a topic fails on its first write with PartitionsMismatch whenever ``ROADWARRIOR_PARTITIONS``
differs from it.
"""

from __future__ import annotations

import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faust.types import TopicT

log = logging.getLogger(__name__)


def topic_config(topic: TopicT) -> dict[str, str]:
    """The broker configuration a topic asks for in streams/topics.py (retention, compaction)."""
    config = {key: str(value) for key, value in (topic.config or {}).items()}
    if topic.retention is not None:
        config["retention.ms"] = str(int(topic.retention * 1000))
    if topic.compacting:
        config["cleanup.policy"] = "compact"
    return config


async def declare(servers: list[str], topics: list[TopicT], partitions: int, replication: int) -> None:
    """Create every missing topic; say loudly when an existing one has another partition count."""
    wanted = {name: topic_config(topic) for topic in topics for name in topic.topics}
    admin = AIOKafkaAdminClient(bootstrap_servers=servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(name, num_partitions=partitions, replication_factor=replication, topic_configs=config)
                   for name, config in sorted(wanted.items()) if name not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass   # another worker created it meanwhile
        for described in await admin.describe_topics(sorted(n for n in wanted if n in existing)):
            count = len(described.get("partitions") or ())
            if count and count != partitions:
                log.error("topic %s has %d partitions but ROADWARRIOR_PARTITIONS is %d: the tables it feeds "
                          "will fail with PartitionsMismatch", described.get("topic"), count, partitions)
    finally:
        await admin.close()
