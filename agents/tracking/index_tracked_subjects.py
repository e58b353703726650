"""The subject index: which reservations follow each subject, the poll checkpoints, and provider pushes."""

from __future__ import annotations

import time

import orjson
from faust.types import EventT

from agents.tracking.fan_out_snapshots import Outbox
from agents.tracking.poll_providers import poller
from domain.tracking import metrics
from domain.tracking.snapshots import fingerprint
from domain.tracking.tracked_subjects import current, is_subject_key, join, leave, may_push
from faust_app import app, settings
from streams import topics
from streams.dead_letters import Rejected, process
from streams.partitions import partition_of
from tables.providers import providers
from tables.tracked_subjects import tracked_subjects

REQUIRED = ("kind", "subject")
KINDS = ("join", "leave", "pushed", "checkpoint", "batch")


@app.agent(topics.tracked_subject_commands, name="agents.index_tracked_subjects.index_tracked_subjects")
async def index_tracked_subjects(commands):
    """tracked-subject-commands -> tracked-subjects table, provider-snapshots: members, checkpoints, pushes."""
    await process(commands, "index_tracked_subjects", apply_one, REQUIRED, KINDS, "subject")


async def apply_one(event: EventT, command: dict) -> None:
    kind, key = command["kind"], event.key
    if kind == "batch":
        apply_batch(event, command)
        return
    if kind == "checkpoint":
        known = (tracked_subjects.get(key) or {}).get("watermark", float("-inf"))
        if command["watermark"] > known:   # a replayed older checkpoint never moves it back
            tracked_subjects[key] = {"watermark": command["watermark"]}
        return
    if not is_subject_key(key):
        raise Rejected("a checkpoint key needs a checkpoint command")
    if kind == "pushed":
        await fan_out_push(key, command)
    else:
        _apply_membership(event, key, command, time.time())


def apply_batch(event: EventT, batch: dict) -> None:
    """Joins and leaves of many subjects, all of this partition (agents/tracking/track_reservations.py), in order."""
    commands = batch.get("commands")
    if not isinstance(commands, list) or not all(_is_member_command(c) for c in commands):
        raise Rejected("a batch holds a list of join and leave commands, each naming its subject")
    partition = event.message.partition
    strays = [c["subject"] for c in commands
              if partition_of(topics.tracked_subject_commands, c["subject"]) != partition]
    if strays:
        raise Rejected(f"{len(strays)} subjects of the batch belong to other partitions")
    now = time.time()
    for command in commands:
        _apply_membership(event, command["subject"], command, now)


def _apply_membership(event: EventT, subject: str, command: dict, now: float) -> None:
    """A join or a leave of ``subject``, which lives in this event's partition."""
    if command["kind"] == "join":
        record = join(tracked_subjects.get(subject), subject, event.message.partition, now, command["members"])
    else:
        record = leave(tracked_subjects.get(subject), command["reservation_ids"])
    _write(event, subject, record)


def _is_member_command(command: object) -> bool:
    if not isinstance(command, dict) or not isinstance(command.get("subject"), str):
        return False
    if not is_subject_key(command["subject"]):
        return False
    if command.get("kind") == "join":
        return isinstance(command.get("members"), dict)
    return command.get("kind") == "leave" and isinstance(command.get("reservation_ids"), list)


def _write(event: EventT, subject: str, record: dict | None) -> None:
    if record is None:
        return   # nothing changed (a replay, or a member already known)
    partition = event.message.partition
    if not record:
        del tracked_subjects[subject]
        poller.subject_removed(partition, subject)
        return
    tracked_subjects[subject] = record
    poller.subject_added(partition, subject, time.time())


async def fan_out_push(subject: str, push: dict) -> None:
    """A pushed snapshot goes to the subject's reservations at once; the poll stays as the safety net."""
    record = tracked_subjects.get(subject)
    members, _ = current((record or {}).get("members") or {}, time.time())
    enabled = {pid for pid, p in providers.items() if p.get("enabled", True)}
    if not members or not may_push(push["provider_id"], subject, members, enabled, settings.tracking.flight_provider):
        metrics.PUSHES.labels(provider=push["provider_id"], outcome="ignored").inc()
        return
    snapshot = push["snapshot"]
    outbox = Outbox()
    outbox.add(subject, {"outcome": "found", "snapshot": snapshot, "fp": fingerprint(snapshot),
                         "fetched_at": push["received_at"], "source": "push", "provider": push["provider_id"]},
               members)
    await outbox.flush()
    metrics.PUSHES.labels(provider=push["provider_id"], outcome="fanned_out").inc()


async def ingest_pushed(event: dict) -> None:
    """Feed a verified provider push (integrations.providers.webhook.verify_push: {subject, snapshot,
    changed_at, provider_id}) into the diff path at once: the worker owning the subject fans it out.
    """
    command = {"kind": "pushed", "subject": event["subject"], "snapshot": event["snapshot"],
               "provider_id": event["provider_id"], "changed_at": event.get("changed_at"),
               "received_at": time.time()}
    await topics.tracked_subject_commands.send(key=event["subject"], value=orjson.dumps(command))
