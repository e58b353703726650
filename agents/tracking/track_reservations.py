"""Start, refresh and stop tracking as reservations are created, changed, cancelled and deleted."""

from __future__ import annotations

import time
from functools import partial

import orjson
from faust.types import EventT

from domain.tracking.state import follow
from domain.tracking.tracked_subjects import batch_key
from faust_app import app, settings
from streams import topics
from streams.dead_letters import process_batches
from streams.partitions import partition_of
from tables.tracking import tracking

REQUIRED = ("event_type", "reservation_id", "user_id", "version")
MAX_COMMANDS = 2_000   # subject commands per message (~150 bytes each): well under the 1 MB request limit


@app.agent(topics.reservation_events, name="agents.track_reservations.track_reservations")
async def track_reservations(events):
    """reservation-events -> tracking table, tracked-subject-commands: follow each trackable reservation.

    Events are taken in batches, and a batch's joins and leaves go to the subject index as one message per
    partition of it ("batch"), sent before the batch is acked. Why: Faust's cost per message (~145 µs a send,
    ~130 µs a delivery, whatever the broker) is paid once per batch instead of once per reservation; with
    batches one worker loaded a million reservations into tracking at 764/s (bench.tracking system).
    """
    outbox = SubjectCommands()
    await process_batches(events, "track_reservations", partial(track_one, outbox), REQUIRED, "reservation_id",
                          outbox.flush, settings.tracking.join_batch, settings.tracking.join_wait_s)


async def track_one(outbox: SubjectCommands, event: EventT, change: dict) -> None:
    rid = event.key
    outcome = follow(tracking.get(rid), change, event.message.partition, time.time(), settings.tracking.grace_s)
    if outcome.changed:
        if outcome.state is None:
            del tracking[rid]
        else:
            tracking[rid] = outcome.state
    # Re-keyed by subject: the subject index is partitioned by subject, not by reservation.
    if outcome.leave is not None and outcome.leave != outcome.join:
        outbox.add(outcome.leave, {"kind": "leave", "reservation_ids": [rid]})
    if outcome.join is not None:
        outbox.add(outcome.join, {"kind": "join", "members": {rid: outcome.member}})


class SubjectCommands:
    """Joins and leaves on their way to the subject index, grouped by the partition each subject hashes to.

    A message is sent to that partition explicitly and applied there by index_tracked_subjects as if its
    commands had come one by one, in order, keyed by their subjects.
    """

    def __init__(self) -> None:
        self._waiting: dict[int, list[dict]] = {}

    def add(self, subject: str, command: dict) -> None:
        partition = partition_of(topics.tracked_subject_commands, subject)
        self._waiting.setdefault(partition, []).append({**command, "subject": subject})

    async def flush(self) -> None:
        waiting, self._waiting = self._waiting, {}
        for partition, commands in waiting.items():
            key = batch_key(partition)
            for start in range(0, len(commands), MAX_COMMANDS):
                value = {"kind": "batch", "subject": key, "commands": commands[start:start + MAX_COMMANDS]}
                await topics.tracked_subject_commands.send(key=key, value=orjson.dumps(value), partition=partition)
