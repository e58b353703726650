"""The app creates its own topics with ROADWARRIOR_PARTITIONS instead of trusting the broker's default."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer

from runtime import topics
from runtime.worker import app_topic_names


def test_every_topic_the_agents_use_is_declared():
    names = app_topic_names()
    assert {"reservation-commands", "reservation-events", "user-reservation-events", "dead-letters",
            "reservation-changes", "notifications-sent"} <= set(names)


async def test_topics_get_the_configured_partition_count_and_a_mismatch_is_reported(cluster, caplog):
    servers = [f"127.0.0.1:{cluster.broker_port}"]
    await topics.declare(servers, ["login-commands", "user-commands"], partitions=2, replication=1)
    await topics.declare(servers, ["login-commands"], partitions=2, replication=1)   # again: nothing to do
    consumer = AIOKafkaConsumer(bootstrap_servers=servers)
    await consumer.start()
    try:
        await consumer.topics()
        assert consumer.partitions_for_topic("login-commands") == {0, 1}
        assert consumer.partitions_for_topic("user-commands") == {0, 1}
    finally:
        await consumer.stop()
    await topics.declare(servers, ["login-commands"], partitions=4, replication=1)
    assert "login-commands has 2 partitions but ROADWARRIOR_PARTITIONS is 4" in caplog.text
