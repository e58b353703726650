"""Create the app's own topics with the configured partition count before any agent subscribes.

Faust declares its changelog topics itself (with ``topic_partitions``) but not the topics our agents read:
left to the broker's auto-creation, they would get the broker's default count, and a table fed by such a
topic fails on its first write with PartitionsMismatch whenever ``ROADWARRIOR_PARTITIONS`` differs from it.
"""

from __future__ import annotations

import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

log = logging.getLogger(__name__)


async def declare(servers: list[str], names: list[str], partitions: int, replication: int) -> None:
    """Create every missing topic; say loudly when an existing one has another partition count."""
    admin = AIOKafkaAdminClient(bootstrap_servers=servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(name, num_partitions=partitions, replication_factor=replication)
                   for name in names if name not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass   # another worker created it meanwhile
        for described in await admin.describe_topics([n for n in names if n in existing]):
            count = len(described.get("partitions") or ())
            if count and count != partitions:
                log.error("topic %s has %d partitions but ROADWARRIOR_PARTITIONS is %d: the tables it feeds "
                          "will fail with PartitionsMismatch", described.get("topic"), count, partitions)
    finally:
        await admin.close()
