"""The diff stage: every reservation's new snapshot against the one it kept, many reservations per message.

A reservation's first snapshot is compared with the reservation as booked (domain/tracking/baseline.py),
which the tracking record keeps until then: news that came before the first poll or push is told too.

A provider-snapshots message holds one partition's reservations (agents/tracking/fan_out_snapshots.py), so the
tracking table, keyed by reservation ID, is read and written here for all of them, with Faust's cost per
message paid once. A record is written only when something changed. A record that remembers a change is
written only once that change is on the broker: at once when the broker has already answered, otherwise
when the next message of the same partition comes (waiting here would hold every reservation behind one
produce round trip). A crash in between leaves the old record, so the replay, or the next poll, finds the
same change again and republishes it with the same change ID rather than losing it. track_reservations
writes the same table (same partitions) for subject and owner changes, so a write merges into what the
table holds at that moment.
"""
from __future__ import annotations

import asyncio
import time

import orjson
from faust.types import EventT

from domain.reports.vendor_marks import Marks, mark_key
from domain.tracking import metrics
from domain.tracking.checks import LastChecks
from domain.tracking.observe import freshness_s, observe, settled
from domain.tracking.state import observed
from faust_app import app, settings
from streams import topics
from streams.dead_letters import Rejected, process
from tables.tracking import reader, tracking

REQUIRED = ("schema_version", "snapshots", "targets")


@app.agent(topics.provider_snapshots, name="agents.detect_changes.detect_changes")
async def detect_changes(batches):
    """provider-snapshots -> reservation-changes: diff each reservation's snapshot against the last one kept."""
    await process(batches, "detect_changes", detect_batch, REQUIRED)


# When each subject's provider last answered, for GET /api/v1/reservations/{id} on this worker: kept two cycles.
checks = LastChecks(keep_s=2 * settings.tracking.cycle_s)
# Per partition: change deliveries under way, and the records to write once they are on the broker.
_waiting: dict[int, tuple[list[asyncio.Future], dict[str, tuple[str, dict]]]] = {}


async def detect_batch(event: EventT, batch: dict) -> None:
    partition = event.message.partition
    if batch.get("partition", partition) != partition:
        raise Rejected("the batch was sent to another partition than its reservations'")
    if partition in _waiting:
        deliveries, records = _waiting.pop(partition)
        await asyncio.gather(*deliveries)
        _write(records)
    now, read = time.time(), reader(partition)
    snapshots, decoded, kept, sent, marks = batch["snapshots"], {}, {}, [], Marks()
    checks.seen(snapshots, now)
    for rid, subject in batch["targets"]:
        state = read(rid)
        if (marked := mark_key(state, subject, now)) is not None:   # once a month: vendor reports count it
            marks.add(marked, rid, state["user_id"], snapshots[subject].get("provider"))
            kept[rid] = (subject, {**state, "marked": marked})
        if settled(state, subject, snapshots[subject]):
            continue   # nearly every reservation, every cycle: nothing new, nothing decoded or written
        if subject not in decoded:
            decoded[subject] = _decoded(snapshots[subject])
        seen = observe(state, rid, subject, decoded[subject], now)
        if seen.state is not None:
            kept[rid] = (subject, {**seen.state, "marked": marked} if marked else seen.state)
        if seen.change is not None:
            sent.append(await topics.reservation_changes.send(key=rid, value=orjson.dumps(seen.change)))
            _count(seen.change)
    for key, group in marks.by_key.items():   # sent before the records that remember them, like changes
        sent.append(await topics.vendor_report_inputs.send(key=key, value=orjson.dumps(group)))
    metrics.SNAPSHOTS_DIFFED.inc(len(batch["targets"]))
    if sent and not all(delivery.done() for delivery in sent):
        _waiting[partition] = (sent, kept)   # written with this partition's next message
    else:
        _write(kept)
    for rid, subject in batch.get("stops", ()):
        latest = tracking.get(rid)
        if latest is not None and latest["subject"] == subject and latest["until"] < now:
            del tracking[rid]   # the trip is over (end + grace): nothing left to track


def _write(records: dict[str, tuple[str, dict]]) -> None:
    for rid, (subject, state) in records.items():
        latest = tracking.get(rid)
        if latest is not None and latest["subject"] == subject:
            tracking[rid] = observed(latest, state)


@app.on_partitions_revoked.connect
async def _forget_waiting(app, revoked, **kwargs) -> None:   # noqa: ANN001 (Faust signal signature)
    # Another worker owns them now, and finds those changes again from the old records.
    _waiting.clear()
    checks.forget()


def _decoded(entry: dict) -> dict:
    """The entry with its snapshot decoded (it travels as JSON text: agents/tracking/fan_out_snapshots.py)."""
    text = entry["snapshot"]
    return {**entry, "snapshot": orjson.loads(text) if isinstance(text, str) else text}


def _count(change: dict) -> None:
    metrics.CHANGES.labels(severity=change["severity"]).inc()
    freshness = freshness_s(change)
    if freshness is not None:
        metrics.FRESHNESS.observe(freshness)
