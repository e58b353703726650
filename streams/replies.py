"""How a view learns what an agent did: reply futures for commands, applied offsets for reads.

Views route each request to the worker that owns its key (web/routing.py), so the agent that applies the
command runs in the same process: a plain future replaces Faust's ``agent.ask()``, its reply topic and the
rebalance its first use triggers (the reply topic joins the subscription), and costs no produce round trip.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

import orjson
from faust.types import TP

from faust_app import app
from streams.end_offsets import EndOffsetsClient

log = logging.getLogger(__name__)


class Replies:
    """Futures keyed by command ID, resolved by the agent that applies the command."""

    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Future] = {}

    def expect(self, command_id: str) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self._waiting[command_id] = future
        return future

    def resolve(self, command_id: str, reply: dict) -> None:
        future = self._waiting.pop(command_id, None)
        if future is not None and not future.done():
            future.set_result(reply)

    def resolve_after(self, delivered: asyncio.Future, command_id: str, reply: dict) -> None:
        """Resolve once ``delivered`` (a produce) completes, without holding up the agent meanwhile."""
        delivered.add_done_callback(lambda _: self.resolve(command_id, reply))

    def forget(self, command_id: str) -> None:
        self._waiting.pop(command_id, None)


class Progress:
    """The last offset each agent applied per partition, so a read can wait for its own earlier writes.

    Several agents may read one topic (the per-user index and the trip grouping both read
    user-reservation-events): a partition counts as applied up to where the slowest of them got.
    """

    def __init__(self) -> None:
        self._applied: dict[TP, dict[str, int]] = defaultdict(dict)
        self._moved: dict[TP, asyncio.Event] = defaultdict(asyncio.Event)
        self._ends = EndOffsets()

    def applied(self, tp: TP, offset: int, agent: str = "") -> None:
        self._applied[tp][agent] = offset
        event = self._moved.pop(tp, None)
        if event is not None:
            event.set()

    async def caught_up(self, topic_name: str, key: str, timeout_s: float) -> bool:
        """Wait until everything already written to ``key``'s partition has been applied here.

        Read-your-writes for tables fed through a second hop: a listing right after a create must show it.
        Returns False when the deadline passed first (the caller then serves what it has).
        """
        await ensure_metadata(topic_name)
        tp = app.producer.key_partition(topic_name, _json_key(key))
        try:
            async with asyncio.timeout(timeout_s):   # the lookup too: a broker that does not answer is a miss
                end = await self._ends.of(tp)
                while self._mark(tp) < end - 1:
                    await self._moved[tp].wait()
        except TimeoutError:
            return False
        return True

    def _mark(self, tp: TP) -> int:
        # Before the agents apply anything after a (re)start, the committed offset says how far they all got.
        committed = app.consumer._committed_offset.get(tp) or 0  # the next offset to read
        return max(min(self._applied[tp].values(), default=-1), committed - 1)


class EndOffsets:
    """Partitions' end offsets for many waiting reads with one broker request.

    Each ``of()`` would otherwise be its own ListOffsets request: at 50 clients reading trips, asked through the
    consumer's thread (which runs a few at a time beside its fetches), each request waited ~4 s for them
    (bench/trips_api.py). They are now asked on a client of their own (streams/end_offsets.py), still batched.
    A read joins the next lookup while it has not been sent, so the offsets it gets were asked after it
    arrived (its own earlier writes are below them); once sent, newcomers start the next.
    """

    def __init__(self, ask=None) -> None:
        self._ask = ask or end_offsets.highwaters
        self._next: tuple[set[TP], asyncio.Future] | None = None
        self._one_at_a_time = asyncio.Lock()

    async def of(self, tp: TP) -> int:
        if self._next is None:
            self._next = (set(), asyncio.get_running_loop().create_future())
            asyncio.ensure_future(self._look_up(self._next))
        partitions, offsets = self._next
        partitions.add(tp)
        return (await asyncio.shield(offsets)).get(tp, 0)

    async def _look_up(self, lookup: tuple[set[TP], asyncio.Future]) -> None:
        partitions, offsets = lookup
        async with self._one_at_a_time:
            self._next = None   # closed: the partitions below are the ones asked for
            try:
                offsets.set_result(await self._ask(*partitions))
            except Exception as error:   # every waiting read gets it, as its own request would have
                offsets.set_exception(error)


async def ensure_metadata(topic_name: str) -> None:
    """Hashing a key to a partition needs the topic's metadata in the producer, which loads it only on first
    use and can drop it again on a metadata refresh: check it every time (a dict lookup), load when missing."""
    producer = app.producer._ensure_producer()
    if producer._metadata.partitions_for_topic(topic_name) is None:
        await producer.partitions_for(topic_name)


def _json_key(key: str) -> bytes:
    # Topics carry JSON keys (b'"r0"'), the form table_route hashes too (README, The broker).
    return orjson.dumps(key)


end_offsets = EndOffsetsClient(app)
replies = Replies()
progress = Progress()


@app.task
async def _connect_end_offsets() -> None:
    try:
        await end_offsets.start()
    except Exception as error:   # the first read connects instead; a worker does not stop over it
        log.warning("end-offset client not connected at start: %s", type(error).__name__)


@app.on_before_shutdown.connect
async def _close_on_shutdown(app, **kwargs) -> None:  # noqa: ANN001 (Faust signal signature)
    await end_offsets.stop()
