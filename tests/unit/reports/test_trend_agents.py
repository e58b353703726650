"""The travel-trends agents through Faust's test_context(): facts per reservation, rows per route and month."""

from __future__ import annotations

import orjson

from agents.reports.aggregate_travel_trends import aggregate_travel_trends
from agents.reports.record_trend_facts import record_trend_facts
from streams import topics
from tables.reports_trends import travel_trends, trend_facts

FLIGHT = {"id": "r1", "type": "flight", "status": "confirmed", "start": "2026-03-20T08:30:00+01:00",
          "end": "2026-03-20T11:05:00-04:00", "start_time_zone": "Europe/Berlin", "end_time_zone": "America/New_York",
          "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}, "version": 1,
          "created_at": "2026-03-10T07:30:00.000Z", "updated_at": "2026-03-10T07:30:00.000Z"}


def event(kind: str, version: int, body: dict | None, rid: str = "r1") -> dict:
    return {"schema_version": 1, "event_id": f"{rid}-e{version}", "event_type": f"reservation.{kind}",
            "reservation_id": rid, "user_id": "u" * 32, "version": version,
            "occurred_at": f"2026-03-10T07:3{version}:00.000Z", "changed_fields": [], "reservation": body}


async def test_a_flight_becomes_a_delta_keyed_by_route_and_month(faust_app, sent):
    async with record_trend_facts.test_context() as agent:
        await agent.put(key="r1", value=orjson.dumps(event("created", 1, FLIGHT)))
        await agent.put(key="r1", value=orjson.dumps(event("updated", 2, {**FLIGHT, "status": "cancelled"})))
    assert trend_facts["r1"]["version"] == 2 and trend_facts["r1"]["contribution"] is None
    (key1, add), (key2, remove) = sent.to(topics.travel_trend_deltas)
    assert key1 == key2 == "FRA-JFK/2026-03"
    assert orjson.loads(add)["add"] == 10 * 1440 and orjson.loads(add)["remove"] is None
    assert orjson.loads(remove)["remove"] == 10 * 1440 and orjson.loads(remove)["add"] is None
    assert orjson.loads(add)["origin"][1] < orjson.loads(remove)["origin"][1]


async def test_the_facts_agent_dead_letters_what_it_cannot_read(faust_app, sent):
    async with record_trend_facts.test_context() as agent:
        await agent.put(key="r1", value=b"{broken")
        await agent.put(key="r2", value=orjson.dumps(event("created", 1, FLIGHT)))   # not its key
    assert len(sent.to(topics.dead_letters)) == 2 and sent.to(topics.travel_trend_deltas) == []


def delta(add: int | None, offset: int, remove: int | None = None) -> bytes:
    return orjson.dumps({"remove": remove, "add": add, "origin": [0, offset], "at": f"2026-03-1{offset}T00:00:00Z"})


async def test_deltas_sum_to_a_published_row_and_a_replay_is_dropped(faust_app, sent):
    async with aggregate_travel_trends.test_context() as agent:
        for offset, days in enumerate([2, 4, 30]):
            await agent.put(key="FRA-JFK/2026-03", value=delta(days * 1440, offset))
        await agent.put(key="FRA-JFK/2026-03", value=delta(2 * 1440, 1))   # a replay: dropped
    assert travel_trends["FRA-JFK/2026-03"]["flights"] == 3
    rows = [orjson.loads(value) for _, value in sent.to(topics.travel_trends)]
    assert rows and rows[-1]["flights"] == 3
    assert rows[-1]["lead_time_days"] == {"p50": 4, "p90": 30, "mean": 12.0}
    assert all(key == "FRA-JFK/2026-03" for key, _ in sent.to(topics.travel_trends))


async def test_the_last_flight_retracted_publishes_a_tombstone(faust_app, sent):
    async with aggregate_travel_trends.test_context() as agent:
        await agent.put(key="FRA-JFK/2026-03", value=delta(1440, 0))
        await agent.put(key="FRA-JFK/2026-03", value=delta(None, 1, remove=1440))
    assert sent.to(topics.travel_trends)[-1] == ("FRA-JFK/2026-03", None)
    assert travel_trends["FRA-JFK/2026-03"]["seen"] == {"0": 1}   # kept: a replay must still be recognised
