"""Applied offsets: a partition read by several agents is applied only as far as the slowest of them got."""

from __future__ import annotations

import asyncio

from faust.types import TP

from streams.replies import EndOffsets, Progress

TP0 = TP("user-reservation-events", 0)


async def test_the_slowest_agent_on_a_partition_sets_how_far_it_is_applied(faust_app, monkeypatch):
    monkeypatch.setattr(faust_app.consumer, "_committed_offset", {})
    progress = Progress()
    progress.applied(TP0, 7, "index_user_reservations")
    progress.applied(TP0, 4, "regroup_trips")
    assert progress._mark(TP0) == 4
    progress.applied(TP0, 7, "regroup_trips")
    assert progress._mark(TP0) == 7


async def test_before_any_agent_applied_the_committed_offset_counts(faust_app, monkeypatch):
    monkeypatch.setattr(faust_app.consumer, "_committed_offset", {TP0: 12})
    assert Progress()._mark(TP0) == 11


TP1 = TP("user-reservation-events", 1)


async def test_reads_waiting_together_share_one_end_offset_request():
    asked: list[set[TP]] = []
    release = asyncio.Event()

    async def ask(*partitions):
        asked.append(set(partitions))
        await release.wait()
        return {tp: 100 + tp.partition for tp in partitions}

    ends = EndOffsets(ask)
    first = [asyncio.ensure_future(ends.of(tp)) for tp in (TP0, TP1, TP0)]
    await asyncio.sleep(0)          # the lookup is sent with the three reads' partitions
    late = asyncio.ensure_future(ends.of(TP1))   # arrived after it was sent: it must not get its answer
    release.set()
    assert await asyncio.gather(*first) == [100, 101, 100]
    assert await late == 101
    assert asked == [{TP0, TP1}, {TP1}]


async def test_a_failed_lookup_fails_every_read_that_waited_on_it():
    async def ask(*partitions):
        raise ConnectionError("broker gone")

    ends = EndOffsets(ask)
    reads = [asyncio.ensure_future(ends.of(tp)) for tp in (TP0, TP1)]
    results = await asyncio.gather(*reads, return_exceptions=True)
    assert all(isinstance(result, ConnectionError) for result in results)
