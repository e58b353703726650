"""Snapshots on their way to the diff stage, grouped by the partition of each reservation they concern.

One subject's snapshot goes to every reservation on it, in whichever partitions of the reservation-keyed
tables those live. A message carries one partition's share of many snapshots (each snapshot once, and
the reservations it applies to) and is sent to that partition explicitly, so detect_changes may write
the tracking table for every reservation in it; Faust's cost per message is paid once for hundreds of
reservations instead of once each.
"""

from __future__ import annotations

import orjson

from streams import topics

MAX_TARGETS = 2_000      # reservations per message
MAX_SNAPSHOTS = 400      # distinct snapshots per message (~1 KB each): stays well under the 1 MB request limit


class Outbox:
    """Per partition: {"snapshots": {subject: entry}, "targets": {reservation ID: subject}, "stops": ...}."""

    def __init__(self) -> None:
        self._buckets: dict[int, dict] = {}

    def __len__(self) -> int:
        return sum(len(b["targets"]) + len(b["stops"]) for b in self._buckets.values())

    def add(self, subject: str, entry: dict, members: dict[str, list]) -> None:
        """Send ``entry`` (domain/tracking/observe.py) to every member; a later entry replaces an earlier one.

        The snapshot travels as JSON text inside the message: the diff stage decodes it only for the
        reservations whose kept fingerprint differs, which is rarely any.
        """
        snapshot = entry.get("snapshot")
        entry = {**entry, "snapshot": orjson.dumps(snapshot).decode() if snapshot is not None else None}
        for rid, member in members.items():
            bucket = self._bucket(member[0])
            bucket["snapshots"][subject] = entry
            bucket["targets"][rid] = subject

    def stop(self, subject: str, members: dict[str, list]) -> None:
        """Tell the diff stage these reservations' tracking ended (their trip is over)."""
        for rid, member in members.items():
            self._bucket(member[0])["stops"][rid] = subject

    def full(self) -> list[int]:
        return [p for p, b in self._buckets.items()
                if len(b["targets"]) + len(b["stops"]) >= MAX_TARGETS or len(b["snapshots"]) >= MAX_SNAPSHOTS]

    async def flush(self, partitions: list[int] | None = None) -> int:
        """Send the waiting messages (all, or those partitions'); returns how many reservations they held."""
        sent = 0
        for partition in list(self._buckets) if partitions is None else partitions:
            bucket = self._buckets.pop(partition, None)
            if bucket is None:
                continue
            value = {"schema_version": 1, "partition": partition, "snapshots": bucket["snapshots"],
                     "targets": list(bucket["targets"].items()), "stops": list(bucket["stops"].items())}
            await topics.provider_snapshots.send(key=None, value=orjson.dumps(value), partition=partition)
            sent += len(bucket["targets"]) + len(bucket["stops"])
        return sent

    def _bucket(self, partition: int) -> dict:
        bucket = self._buckets.get(partition)
        if bucket is None:
            bucket = self._buckets[partition] = {"snapshots": {}, "targets": {}, "stops": {}}
        return bucket
