"""GET /metrics: tracking's metrics in the Prometheus text format.

The metrics are process-wide, as in a worker, so the tests compare the page before and after what they do.
"""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

import web
from domain.tracking import metrics


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
    """GET /metrics from the app's web layer."""
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


async def test_every_tracking_metric_is_served_under_its_name_and_type(scrape):
    page = await scrape()
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
