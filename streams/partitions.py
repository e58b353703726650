"""Partitions as this worker sees them: where a key goes, which partitions it owns, whether their tables are in."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from aiokafka.partitioner import murmur2

from faust_app import app

if TYPE_CHECKING:
    from faust.types import TopicT


def partition_of(topic: TopicT, key: str) -> int:
    """The partition Faust's producer picks for ``key`` on ``topic``: the Java client's default partitioner
    (murmur2 of the serialized key), so a message sent to it explicitly lands where a keyed send would."""
    raw, _ = topic.prepare_key(key, None)
    return (murmur2(raw) & 0x7FFFFFFF) % (topic.partitions or app.conf.topic_partitions)


def id_beside(topic: TopicT, beside: TopicT, beside_key: str) -> str:
    """A new random ID that ``topic`` puts on the partition number ``beside_key`` has on ``beside``.

    Faust assigns topics of the same partition count, read by the same workers, partition by partition to the
    same worker: the agent reading the new ID on ``topic`` then runs in the process serving ``beside_key``,
    and answers a view there without a second hop. One draw in ``partitions`` succeeds on average.
    """
    target = partition_of(beside, beside_key)
    while True:
        candidate = uuid.uuid4().hex
        if partition_of(topic, candidate) == target:
            return candidate


def owned_partitions(topic: TopicT) -> frozenset[int]:
    """The partitions of ``topic`` assigned to this worker as active (standbys excluded)."""
    name = topic.get_topic_name()
    return frozenset(tp.partition for tp in app.assignor.assigned_actives() if tp.topic == name)


def tables_ready() -> bool:
    """No rebalance and no table recovery under way, so the tables hold this worker's partitions in full."""
    return not app.rebalancing and not app.in_recovery
