"""The vendor report agents through test_context(): marks, routed changes, call summaries, closing, the API."""

from __future__ import annotations

import contextlib
import time

import orjson
from aiohttp.test_utils import TestServer

import agents.reports.aggregate_provider_calls as calls_module
import agents.reports.aggregate_vendor_months as months_module
import web
from agents.providers.call_providers import tally
from agents.reports.aggregate_provider_calls import aggregate_provider_calls
from agents.reports.aggregate_vendor_months import aggregate_vendor_months
from agents.reports.close_vendor_months import ask
from agents.reports.route_vendor_changes import route_vendor_changes
from agents.reports.send_call_stats import flush
from domain.reports.vendor_keys import month_end, month_of, row_key
from streams import topics
from tables.tracking import tracking
from tables.vendor_reports import vendor_months, vendor_reports
from web.auth import access_token

MONTH = month_of(time.time())
KEY = row_key("airline", "LH", MONTH)
SCHEDULED = f"{MONTH}-02T08:00:00Z"


def decoded(sent, topic) -> list[tuple]:
    return [(key, orjson.loads(value)) for key, value in sent.to(topic)]


def delay_change(change_id: str, rid: str, minutes: int) -> bytes:
    new = f"{MONTH}-02T{8 + minutes // 60:02d}:{minutes % 60:02d}:00Z"
    return orjson.dumps({
        "schema_version": 1, "change_id": change_id, "reservation_id": rid, "user_id": "u-" + rid,
        "subject": f"flight/LH/400/{MONTH}-02", "provider": "airline-sim", "source": "poll", "severity": "major",
        "changes": [{"path": "departure.estimated", "old": None, "new": {"local": new[:19], "zone": "UTC", "utc": new},
                     "severity": "major"}],
        "detected_at": f"{MONTH}-01T00:00:01.000Z", "provider_changed_at": None})


async def fold(messages: list[tuple[str, dict]]) -> None:
    async with aggregate_vendor_months.test_context() as agent:
        for key, value in messages:
            await agent.put(key=key, value=orjson.dumps(value))


async def test_marks_and_changes_make_the_row_and_replays_count_nothing(faust_app, sent):
    tracking.data["r1"] = {"subject": f"flight/LH/400/{MONTH}-02", "snapshot": {"departure": {"scheduled": {
        "local": SCHEDULED[:19], "zone": "UTC", "utc": SCHEDULED}}}}
    marks = {"kind": "marks", "provider": "airline-sim", "marks": [["r1", "u1"], ["r2", "u1"], ["r3", "u2"]]}
    async with route_vendor_changes.test_context() as router:
        await router.put(key="r1", value=delay_change("c1", "r1", 45))
    routed = decoded(sent, topics.vendor_report_inputs)
    assert routed[0][0] == KEY and routed[0][1]["delay_minutes"] == 45
    await fold([(KEY, marks), (KEY, marks), *routed, *routed])   # everything delivered twice
    row = vendor_months[KEY]
    assert (row["reservations"], row["travellers"], row["changes"]["total"]) == (3, 2, 1)
    published = decoded(sent, topics.vendor_month_stats)
    assert published[0][0] == KEY and published[0][1]["schema_version"] == 1 and not published[0][1]["closed"]
    shown = vendor_reports[KEY]   # what every worker reads: published at once, then at most every publish_s
    assert (shown["reservations"], shown["changes"]["total"], vendor_months[KEY]["dirty"]) == (3, 0, True)


async def test_a_closed_month_ignores_later_inputs_and_publishes_its_final_row(faust_app, sent, monkeypatch):
    await fold([(KEY, {"kind": "marks", "provider": None, "marks": [["r1", "u1"]]})])
    later = month_end(MONTH) + 3600
    await ask(later)   # the timer, after the month's end plus the grace period
    assert decoded(sent, topics.vendor_report_inputs)[-1] == (KEY, {"kind": "close"})
    monkeypatch.setattr(months_module.time, "time", lambda: later)
    await fold([(KEY, {"kind": "close"}), (KEY, {"kind": "marks", "provider": None, "marks": [["r9", "u9"]]})])
    assert vendor_months[KEY]["closed"] and vendor_months[KEY]["reservations"] == 1
    final = decoded(sent, topics.vendor_month_stats)[-1][1]
    assert final["closed"] and final["reservations"] == 1


async def test_a_vendor_month_closes_after_its_providers_api_month(faust_app, sent, monkeypatch):
    await fold([(KEY, {"kind": "marks", "provider": "airline-sim", "marks": [["r1", "u1"]]})])
    tally.record("airline-sim", time.time(), 120.0, None)
    tally.record("airline-sim", time.time(), 480.0, "timeout")
    await flush()
    summaries = decoded(sent, topics.provider_call_stats)
    assert [key for key, _ in summaries] == ["airline-sim"] and summaries[0][1]["calls"] == 2
    async with aggregate_provider_calls.test_context() as agent:
        for key, value in summaries * 2:   # a redelivered summary counts once
            await agent.put(key=key, value=orjson.dumps(value))
    later = month_end(MONTH) + 3600
    monkeypatch.setattr(months_module.time, "time", lambda: later)
    await fold([(KEY, {"kind": "close"})])
    assert not vendor_months[KEY]["closed"]   # the provider's API month is still open
    monkeypatch.setattr(calls_module.time, "time", lambda: later)
    async with aggregate_provider_calls.test_context() as agent:
        await agent.put(key="airline-sim", value=orjson.dumps({"kind": "close", "month": MONTH}))
    await fold([(KEY, {"kind": "close"})])
    final = decoded(sent, topics.vendor_month_stats)[-1][1]
    assert final["closed"] and final["api"] == {"calls": 2, "errors": 1, "error_rate": 0.5,
                                               "latency_ms": {"p50": 120, "p99": 480}}


async def test_an_unknown_key_is_dead_lettered(faust_app, sent):
    await fold([("nonsense", {"kind": "marks", "marks": []})])
    assert decoded(sent, topics.dead_letters)


@contextlib.asynccontextmanager
async def client(faust_app, aiohttp_client):
    faust_app.__dict__.pop("web", None)
    web.register(faust_app)
    server = TestServer(faust_app.web.web_app)
    await server.start_server(access_log=None)
    try:
        yield await aiohttp_client(server)
    finally:
        faust_app.__dict__.pop("web", None)


def as_role(role: str) -> dict:
    return {"Authorization": f"Bearer {access_token('user-1', role, 's1')}"}


async def test_support_reads_the_month_as_json_and_csv_a_traveller_gets_403(faust_app, sent, aiohttp_client):
    await fold([(KEY, {"kind": "marks", "provider": "airline-sim", "marks": [["r1", "u1"], ["r2", "u2"]]}),
                (row_key("hotel", "marriott", MONTH), {"kind": "marks", "provider": None, "marks": [["h1", "u1"]]})])
    async with client(faust_app, aiohttp_client) as http:
        url = f"/api/v1/support/vendor-reports?month={MONTH}"
        response = await http.get(url + "&sort=reservations&dir=desc", headers=as_role("support"))
        assert response.status == 200
        body = await response.json()
        assert [(r["vendor"], r["reservations"]) for r in body["items"]] == [("LH", 2), ("marriott", 1)]
        response = await http.get(url, headers={**as_role("admin"), "Accept": "text/csv"})
        lines = (await response.text()).splitlines()
        assert response.content_type == "text/csv" and lines[0].startswith("kind,vendor,month,provider,reservations")
        assert lines[1].startswith(f"airline,LH,{MONTH},airline-sim,2,2,0")
        assert (await http.get(url, headers=as_role("traveller"))).status == 403
        bad = await http.get("/api/v1/support/vendor-reports?month=2026-13", headers=as_role("support"))
        assert bad.status == 400 and bad.content_type == "application/problem+json"
