"""The poller: each worker polls the subjects in the partitions of the subject index it owns.

A timer ticks every ROADWARRIOR_TRACKING_TICK_S. Each tick takes the subjects due in every owned
partition's timetable (domain/tracking/plan.py: one slot per subject per cycle, spread by a hash of the
subject), groups them by provider into batches (call_providers.py: concurrency, quota, retries, breaker),
and hands each snapshot to the outbox (fan_out_snapshots.py), which sends it to every reservation on the
subject. Timers cannot write tables, so every few seconds the timetable's watermark is sent to the
subject index as a checkpoint; after a restart or a rebalance a partition's timetable is rebuilt from the
index and that watermark: nothing skipped, and at most the last checkpoint interval polled again.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Set

import aiohttp
import orjson
from faust.types import TP

from agents.providers.call_providers import RESET_TIMEOUT_S, Fetched, ProviderGate
from agents.tracking.fan_out_snapshots import Outbox
from domain.tracking import metrics
from domain.tracking.plan import PollPlan
from domain.tracking.snapshots import fingerprint
from domain.tracking.tracked_subjects import checkpoint_key, current, is_subject_key, provider_for
from faust_app import app, settings
from streams import topics
from streams.partitions import owned_partitions, tables_ready
from streams.replies import progress
from tables.providers import providers
from tables.tracked_subjects import tracked_subjects

log = logging.getLogger(__name__)
CATCH_UP_TIMEOUT_S = 10.0


class Poller:
    """Timetables of the owned partitions, the provider gates, and the polls in flight."""

    def __init__(self, cycle_s: float, *, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, rand: Callable[[], float] = random.random,
                 flight_provider: str | None = None, owned: Callable[[], Set[int]] | None = None,
                 ready: Callable[[], bool] | None = None,
                 caught_up: Callable[[int], Awaitable[None]] | None = None) -> None:
        self.cycle_s, self.flight_provider = cycle_s, flight_provider
        self._clock, self._sleep, self._rand = clock, sleep, rand
        self._owned = owned or (lambda: owned_partitions(topics.tracked_subject_commands))
        self._ready = ready or tables_ready
        self._caught_up = caught_up or index_caught_up
        self.plans: dict[int, PollPlan] = {}
        self.gates: dict[str, ProviderGate] = {}
        self.outbox = Outbox()
        self.tasks: set[asyncio.Task] = set()
        self._building: dict[int, list[tuple[str, str]]] = {}
        self._checkpointed: dict[int, float] = {}
        self._next_checkpoint = 0.0
        self._session: aiohttp.ClientSession | None = None

    async def tick(self) -> None:
        now = self._clock()
        await self.sync_partitions(now)
        enabled = {pid for pid, record in providers.items() if record.get("enabled", True)}
        batches: dict[str, list[tuple]] = {}
        leaving: dict[str, list[str]] = {}
        for partition, plan in self.plans.items():
            for subject, slot in plan.take_due(now):
                self._dispatch(partition, subject, slot, now, enabled, batches, leaving)
        for provider_id, due in batches.items():
            self._start(provider_id, due, now)
        for subject, rids in leaving.items():
            await send_subject_command(subject, {"kind": "leave", "reservation_ids": rids})
        await self.outbox.flush()
        if now >= self._next_checkpoint:
            self._next_checkpoint = now + settings.tracking.checkpoint_s
            await self.checkpoint(now)
        metrics.SUBJECTS.set(sum(len(plan) for plan in self.plans.values()))

    def _dispatch(self, partition: int, subject: str, slot: float, now: float, enabled: set[str],
                  batches: dict, leaving: dict) -> None:
        plan = self.plans[partition]
        record = tracked_subjects.get(subject)
        members, ended = current((record or {}).get("members") or {}, now)
        if ended:
            self.outbox.stop(subject, {rid: record["members"][rid] for rid in ended})
            leaving[subject] = ended
        if not members:
            plan.remove(subject)
            return
        metrics.POLL_DELAY.observe(max(0.0, now - slot))
        provider_id = provider_for(subject, members, enabled, self.flight_provider)
        if provider_id is None:
            metrics.POLLS.labels(provider="", outcome="no_provider").inc()
            plan.done(subject, now)
            return
        batches.setdefault(provider_id, []).append((partition, subject, members))

    def _start(self, provider_id: str, due: list[tuple], now: float) -> None:
        gate = self._gate(provider_id)
        if gate is None:
            for partition, subject, _ in due:
                self._done(partition, subject, now)
            return
        for start in range(0, len(due), gate.batch_size):
            task = asyncio.create_task(self._poll(gate, due[start:start + gate.batch_size]))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _poll(self, gate: ProviderGate, batch: list[tuple]) -> None:
        fetched_at = self._clock()
        try:
            fetched = await gate.fetch([subject for _, subject, _ in batch])
        except Exception:   # an adapter bug must not leave subjects in flight forever
            log.exception("polling %s failed", gate.provider_id)
            fetched = Fetched(failed="internal")
        for partition, subject, members in batch:
            outcome = fetched.failed or ("found" if subject in fetched.found else "not_found")
            metrics.POLLS.labels(provider=gate.provider_id, outcome=outcome).inc()
            if not fetched.failed:
                snapshot = fetched.found.get(subject)
                self.outbox.add(subject, {"outcome": outcome, "snapshot": snapshot,
                                          "fp": fingerprint(snapshot) if snapshot else None,
                                          "fetched_at": fetched_at, "source": "poll",
                                          "provider": gate.provider_id}, members)
            self._done(partition, subject, self._clock())
        if full := self.outbox.full():
            await self.outbox.flush(full)

    def _done(self, partition: int, subject: str, now: float) -> None:
        plan = self.plans.get(partition)
        if plan is not None:
            plan.done(subject, now)

    def _gate(self, provider_id: str) -> ProviderGate | None:
        record = providers.get(provider_id)
        if record is None or not record.get("enabled", True):
            return None
        gate = self.gates.get(provider_id)
        if gate is None or gate.record != record:
            if self._session is None:
                self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))
            gate = self.gates[provider_id] = ProviderGate(
                record, self._session, clock=self._clock, sleep=self._sleep, rand=self._rand,
                # Never back off or hold the circuit open longer than a cycle: the next slot comes anyway.
                max_backoff_s=max(1.0, self.cycle_s / 10), reset_timeout_s=min(RESET_TIMEOUT_S, self.cycle_s))
        return gate

    async def sync_partitions(self, now: float) -> None:
        """Drop revoked partitions (checkpointed first); rebuild newly owned ones once their tables are in."""
        owned = self._owned()
        for partition in [p for p in self.plans if p not in owned]:
            await self._checkpoint_one(partition, self.plans.pop(partition), now)
        new = sorted(owned - set(self.plans) - set(self._building))
        if new and self._ready():
            await self._rebuild(new, now)

    async def _rebuild(self, partitions: list[int], now: float) -> None:
        for partition in partitions:
            self._building[partition] = []
        try:
            for partition in partitions:
                await self._caught_up(partition)
            found: dict[int, dict[str, float]] = {p: {} for p in partitions}
            for count, (key, record) in enumerate(tracked_subjects.items()):
                if is_subject_key(key) and record and record.get("partition") in found and record["members"]:
                    found[record["partition"]][key] = record["joined_at"]
                if count % 5_000 == 4_999:
                    await asyncio.sleep(0)   # a large index: let the agents run meanwhile
            for partition in partitions:
                plan = PollPlan(self.cycle_s)
                checkpoint = tracked_subjects.get(checkpoint_key(partition)) or {}
                plan.rebuild(found[partition], checkpoint.get("watermark"), self._clock())
                self._replay(plan, self._building.pop(partition))
                self.plans[partition] = plan
                log.info("tracking partition %s: %d subjects, watermark %s", partition, len(plan),
                         checkpoint.get("watermark"))
        finally:
            for partition in partitions:
                self._building.pop(partition, None)

    def _replay(self, plan: PollPlan, changes: list[tuple[str, str]]) -> None:
        for action, subject in changes:
            if action == "add":
                plan.add(subject, self._clock())
            else:
                plan.remove(subject)

    def subject_added(self, partition: int, subject: str, now: float) -> None:
        """The index agent started a subject (the timetable is in this process: the same partitions)."""
        if partition in self.plans:
            self.plans[partition].add(subject, now)
        elif partition in self._building:
            self._building[partition].append(("add", subject))

    def subject_removed(self, partition: int, subject: str) -> None:
        if partition in self.plans:
            self.plans[partition].remove(subject)
        elif partition in self._building:
            self._building[partition].append(("remove", subject))

    async def checkpoint(self, now: float) -> None:
        for partition, plan in list(self.plans.items()):
            await self._checkpoint_one(partition, plan, now)

    async def _checkpoint_one(self, partition: int, plan: PollPlan, now: float) -> None:
        watermark = plan.watermark(now)
        if watermark > self._checkpointed.get(partition, float("-inf")):
            self._checkpointed[partition] = watermark
            value = orjson.dumps({"kind": "checkpoint", "subject": checkpoint_key(partition), "watermark": watermark})
            await topics.tracked_subject_commands.send(key=checkpoint_key(partition), value=value, partition=partition)

    async def close(self) -> None:
        await self.outbox.flush()
        await self.checkpoint(self._clock())
        if self._session is not None:
            await self._session.close()
            self._session = None


async def send_subject_command(subject: str, command: dict) -> None:
    await topics.tracked_subject_commands.send(key=subject, value=orjson.dumps({**command, "subject": subject}))


async def index_caught_up(partition: int) -> None:
    """Wait until the index agent applied what was in the partition when we got it (its last checkpoint)."""
    tp = TP(topics.tracked_subject_commands.get_topic_name(), partition)
    end = (await app.consumer.highwaters(tp)).get(tp, 0)
    deadline = time.monotonic() + CATCH_UP_TIMEOUT_S
    # progress (streams/replies.py) knows the last offset each agent applied, or the committed one.
    while progress._mark(tp) < end - 1 and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


poller = Poller(settings.tracking.cycle_s, flight_provider=settings.tracking.flight_provider)


@app.timer(interval=settings.tracking.tick_s, name="agents.poll_providers.poll_providers")
async def poll_providers() -> None:
    """timer -> provider APIs -> provider-snapshots: poll the subjects due in this worker's partitions."""
    await poller.tick()


@app.on_before_shutdown.connect
async def _flush_on_shutdown(app, **kwargs) -> None:   # noqa: ANN001 (Faust signal signature)
    await poller.close()
