"""Applied offsets: a partition read by several agents is applied only as far as the slowest of them got."""

from __future__ import annotations

from faust.types import TP

from streams.replies import Progress

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
