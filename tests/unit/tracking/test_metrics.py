"""GET /metrics: tracking's metrics and Faust's stream metrics on one page, in the Prometheus text format.

The metrics are process-wide, as in a worker, so the tests compare the page before and after what they do.
"""

from __future__ import annotations

import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

import web
from agents.tracking.index_tracked_subjects import index_tracked_subjects, ingest_pushed
from domain.tracking import metrics
from domain.tracking.snapshots import flight_snapshot
from streams import topics
from tables.providers import providers
from tables.tracked_subjects import tracked_subjects
from tests.dates import next_on

DAY = next_on(12, 1).isoformat()
SUBJECT = f"flight/LH/400/{DAY}"
AIRLINE = {"provider_id": "airline-sim", "kind": "standard", "base_url": "http://127.0.0.1:1/p/airline-sim",
           "enabled": True, "batch_size": 10, "quota": {"per_second": 10, "per_day": 1000}}
PUSHED = 'roadwarrior_tracking_pushes_total{outcome="fanned_out",provider="airline-sim"}'


class Page:
    """One scrape of /metrics: each family's type, and each series' value by ``name{label="value",...}``."""

    def __init__(self, text: str) -> None:
        families = list(text_string_to_metric_families(text))
        self.types = {family.name: family.type for family in families}
        self.values = {_series(s.name, s.labels): s.value for family in families for s in family.samples}

    def __getitem__(self, series: str) -> float:
        return self.values.get(series, 0.0)


def _series(name: str, labels: dict[str, str]) -> str:
    return name + ("{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}" if labels else "")


@pytest.fixture
async def scrape(faust_app, aiohttp_client):
    """GET /metrics from the app's web layer, with Faust's monitor among the sensors as in a started worker."""
    faust_app.sensors.add(faust_app.monitor)   # a worker adds it as it starts (App.on_init_dependencies)
    faust_app.__dict__.pop("web", None)   # views bind to the loop of the test that first built them
    web.register(faust_app)
    client = await aiohttp_client(faust_app.web.web_app)

    async def get() -> Page:
        response = await client.get("/metrics")
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        return Page(await response.text())

    yield get
    faust_app.__dict__.pop("web", None)   # its router is frozen now: the next test builds its own
    faust_app.sensors.remove(faust_app.monitor)


async def test_every_tracking_metric_is_served_under_its_name_and_type(scrape):
    page = await scrape()
    # The text format's parser names a counter's family without its _total, which its series keep.
    counters = ("roadwarrior_tracking_polls", "roadwarrior_provider_calls", "roadwarrior_provider_errors",
                "roadwarrior_tracking_changes", "roadwarrior_tracking_snapshots_diffed", "roadwarrior_tracking_pushes")
    assert {name: page.types.get(name) for name in counters} == dict.fromkeys(counters, "counter")
    gauges = ("roadwarrior_provider_circuit_state", "roadwarrior_tracking_subjects")
    assert {name: page.types.get(name) for name in gauges} == dict.fromkeys(gauges, "gauge")
    histograms = ("roadwarrior_tracking_freshness_seconds", "roadwarrior_tracking_poll_delay_seconds")
    assert {name: page.types.get(name) for name in histograms} == dict.fromkeys(histograms, "histogram")


async def test_recorded_figures_appear_with_their_labels(scrape):
    before = await scrape()
    metrics.POLLS.labels(provider="airline-sim", outcome="found").inc()
    metrics.PROVIDER_CALLS.labels(provider="airline-sim", outcome="error").inc()
    metrics.PROVIDER_ERRORS.labels(provider="airline-sim", kind="timeout").inc()
    metrics.CHANGES.labels(severity="major").inc(2)
    metrics.set_circuit_state("hotel-sim", "half_open", ("closed", "open", "half_open"))
    metrics.SNAPSHOTS_DIFFED.inc(3)
    metrics.FRESHNESS.observe(4)
    metrics.POLL_DELAY.observe(0.2)
    after = await scrape()
    for series, more in (('roadwarrior_tracking_polls_total{outcome="found",provider="airline-sim"}', 1),
                         ('roadwarrior_provider_calls_total{outcome="error",provider="airline-sim"}', 1),
                         ('roadwarrior_provider_errors_total{kind="timeout",provider="airline-sim"}', 1),
                         ("roadwarrior_tracking_snapshots_diffed_total", 3),
                         ('roadwarrior_tracking_changes_total{severity="major"}', 2),
                         ('roadwarrior_tracking_freshness_seconds_bucket{le="5.0"}', 1),
                         ('roadwarrior_tracking_freshness_seconds_bucket{le="2.0"}', 0),
                         ("roadwarrior_tracking_freshness_seconds_count", 1),
                         ('roadwarrior_tracking_poll_delay_seconds_bucket{le="0.5"}', 1)):
        assert after[series] - before[series] == more, series
    states = {state: after[f'roadwarrior_provider_circuit_state{{provider="hotel-sim",state="{state}"}}']
              for state in ("closed", "open", "half_open")}
    assert states == {"closed": 0, "open": 0, "half_open": 1}


async def test_an_event_shows_in_our_metrics_and_in_faust_stream_metrics_on_the_same_page(faust_app, sent, scrape):
    providers.data["airline-sim"] = AIRLINE
    members = {"r1": [2, time.time() + 3600, "airline-sim"]}
    tracked_subjects.data[SUBJECT] = {"subject": SUBJECT, "partition": 1, "joined_at": 0, "members": members}
    await ingest_pushed({"subject": SUBJECT, "snapshot": flight_snapshot("LH", "400", DAY, status="delayed"),
                         "provider_id": "airline-sim", "changed_at": "2026-09-21T10:00:00Z"})
    (key, pushed), = sent.to(topics.tracked_subject_commands)
    before = await scrape()
    async with index_tracked_subjects.test_context() as agent:
        await agent.put(key=key, value=pushed, partition=1)
    after = await scrape()
    assert after[PUSHED] - before[PUSHED] == 1
    read = 'faust_table_operations_total{operation="keys_retrieved",table="table.tracked-subjects"}'
    assert after[read] > before[read]
    assert after["faust_total_events_total"] > before["faust_total_events_total"]
    assert after["faust_events_runtime_ms_count"] > before["faust_events_runtime_ms_count"]
    assert "faust_messages_received" in after.types and "faust_consumer_commit_latency" in after.types


async def test_one_page_serves_metrics(faust_app, scrape):
    """Faust's own setup_prometheus_sensors would add a second /metrics page; ours renders both sets."""
    methods = [route.method for route in faust_app.web.web_app.router.routes()
               if route.resource is not None and route.resource.canonical == "/metrics"]
    assert sorted(methods) == ["GET", "HEAD"]
