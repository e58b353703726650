"""Create the app's own topics and the tables' changelogs, with their partition count and retention, before any
agent subscribes, and wait until the broker serves their metadata.

Left to the broker's auto-creation, the topics our agents read would get the broker's default count and
retention, and a table fed by such a topic fails on its first write with PartitionsMismatch whenever
``ROADWARRIOR_PARTITIONS`` differs from it. Left to Faust, a changelog is created only as its table starts,
while the consumer is already subscribing: its metadata then lacks the new topic (0 partitions) until the next
refresh (``metadata_max_age_ms``, 5 minutes), and every write to that table fails the same check meanwhile
(faust/tables/base.py ``_verify_source_topic_partitions``).
"""

from __future__ import annotations

import asyncio
import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faust.types import TopicT

log = logging.getLogger(__name__)
READY_TIMEOUT_S = 60.0


def topic_config(topic: TopicT) -> dict[str, str]:
    """The broker configuration a topic asks for in streams/topics.py or as a changelog (retention, compaction)."""
    config = {key: str(value) for key, value in (topic.config or {}).items()}
    if topic.retention is not None:
        config["retention.ms"] = str(int(topic.retention * 1000))
    # As Faust itself would create a changelog: a windowed table's is compacted and deleted by age.
    policy = [name for name, wanted in (("compact", topic.compacting), ("delete", topic.deleting)) if wanted]
    if policy:
        config["cleanup.policy"] = ",".join(policy)
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
        for described in await _served(admin, sorted(wanted)):
            count = len(described["partitions"])
            if described["topic"] in existing and count != partitions:
                log.error("topic %s has %d partitions but ROADWARRIOR_PARTITIONS is %d: the tables it feeds "
                          "will fail with PartitionsMismatch", described["topic"], count, partitions)
    finally:
        await admin.close()


async def _served(admin: AIOKafkaAdminClient, names: list[str]) -> list[dict]:
    """The topics' descriptions once each has every partition led: a topic just created is unknown, then
    leaderless, for a moment; the consumer must not take its first metadata in that moment."""
    delay = 0.05
    async with asyncio.timeout(READY_TIMEOUT_S):
        while True:
            described = await admin.describe_topics(names)
            if all(_led(topic) for topic in described):
                return described
            await asyncio.sleep(delay)   # the broker has no "topic ready" notification to await
            delay = min(delay * 2, 1.0)


def _led(described: dict) -> bool:
    partitions = described.get("partitions") or ()
    return described.get("error_code") == 0 and bool(partitions) and all(
        p.get("error_code") == 0 and p.get("leader", -1) >= 0 for p in partitions)
