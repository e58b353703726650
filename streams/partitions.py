"""Partitions as this worker sees them: where a key goes, which partitions it owns, whether their tables are in."""

from __future__ import annotations

import itertools
import uuid
from typing import TYPE_CHECKING

from aiokafka.partitioner import murmur2

from faust_app import app

if TYPE_CHECKING:
    from faust.types import TopicT


_SEEDED = uuid.UUID("3d0f5c1e-8a4b-4f7e-9a57-2b1f0c6d9e42")  # the namespace of seeded IDs; never change it


def partition_of(topic: TopicT, key: str) -> int:
    """The partition Faust's producer picks for ``key`` on ``topic``: the Java client's default partitioner
    (murmur2 of the serialized key), so a message sent to it explicitly lands where a keyed send would."""
    raw, _ = topic.prepare_key(key, None)
    return (murmur2(raw) & 0x7FFFFFFF) % (topic.partitions or app.conf.topic_partitions)


def id_beside(topic: TopicT, beside: TopicT, beside_key: str, seed: str | None = None) -> str:
    """A new ID that ``topic`` puts on the partition number ``beside_key`` has on ``beside``: random, or the
    same for the same ``seed`` (an Idempotency-Key, so a retried request names what the first one made).

    Faust assigns topics of the same partition count, read by the same workers, partition by partition to the
    same worker: the agent reading the new ID on ``topic`` then runs in the process serving ``beside_key``,
    and answers a view there without a second hop. One draw in ``partitions`` succeeds on average.
    """
    target = partition_of(beside, beside_key)
    draws = itertools.count()
    while True:
        candidate = uuid.uuid4().hex if seed is None else uuid.uuid5(_SEEDED, f"{seed}/{next(draws)}").hex
        if partition_of(topic, candidate) == target:
            return candidate


def owned_partitions(topic: TopicT) -> frozenset[int]:
    """The partitions of ``topic`` assigned to this worker as active (standbys excluded)."""
    name = topic.get_topic_name()
    return frozenset(tp.partition for tp in app.assignor.assigned_actives() if tp.topic == name)


def tables_ready() -> bool:
    """No rebalance and no table recovery under way, so the tables hold this worker's partitions in full."""
    return not app.rebalancing and not app.in_recovery
