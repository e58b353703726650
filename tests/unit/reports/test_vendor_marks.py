"""The diff stage marks each tracked reservation once a month for its vendor, in one message per row key."""

from __future__ import annotations

import time
from types import SimpleNamespace

import orjson

import agents.tracking.detect_changes as detect_module
from agents.tracking.detect_changes import detect_changes
from domain.reports.vendor_keys import month_end, month_of, row_key
from streams import topics
from tables.tracking import tracking
from tests.unit.tracking.test_agents import batch, one_event_at_a_time, snapshot, track  # noqa: F401


def marks(sent) -> list[tuple[str, dict]]:
    return [(key, orjson.loads(value)) for key, value in sent.to(topics.vendor_report_inputs)]


async def test_a_reservation_is_marked_once_a_month_whatever_the_number_of_snapshots(faust_app, sent,
                                                                                   monkeypatch):
    await track(["r1", "r2"])
    now = time.time()
    key = row_key("airline", "LH", month_of(now))
    async with detect_changes.test_context() as agent:
        for n in range(3):
            await agent.put(value=batch(2, ["r1", "r2"], snapshot(), now + n), partition=2)
        assert marks(sent) == [(key, {"kind": "marks", "provider": "airline-sim",
                                      "marks": [["r1", "user-r1"], ["r2", "user-r2"]]})]
        assert tracking["r1"]["marked"] == key
        next_month = month_end(month_of(now)) + 1
        monkeypatch.setattr(detect_module, "time", SimpleNamespace(time=lambda: next_month))
        await agent.put(value=batch(2, ["r1", "r2"], snapshot(), now + 3), partition=2)
        await agent.put(value=batch(2, ["r1", "r2"], snapshot(), now + 4), partition=2)
    later = row_key("airline", "LH", month_of(next_month))
    assert [key for key, _ in marks(sent)] == [key, later] and tracking["r2"]["marked"] == later
