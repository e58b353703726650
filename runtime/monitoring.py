"""The worker's one Prometheus registry: tracking's metrics and Faust's stream metrics, served on /metrics.

Faust's PrometheusMonitor counts what the stream engine does (messages and events in, table reads and writes,
sends, commit and rebalance latency, web requests). Its ``setup_prometheus_sensors`` would also add a /metrics
page of its own, which would clash with ours (web/metrics.py), so the monitor is built here and the page stays
ours. A registry of our own rather than prometheus_client's global one: the page shows what we chose, and no
library that registers in the global one can collide with these names.
"""

from __future__ import annotations

import faust
import prometheus_client
from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor
from prometheus_client import CollectorRegistry

from domain.accounts import metrics as accounts_metrics
from domain.reports import metrics as vendor_report_metrics
from domain.tracking import metrics as tracking_metrics

# Faust names its metrics after the app id by default, which every integration-test app sets to its own; a
# fixed prefix keeps the names stable and says whose figures they are.
FAUST_PREFIX = "faust"


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    for metric in (*tracking_metrics.ALL, *accounts_metrics.ALL, *vendor_report_metrics.ALL):
        registry.register(metric)
    return registry


REGISTRY = _registry()


def install(app: faust.App) -> None:
    """Make Faust's monitor the Prometheus one, recording into REGISTRY (call once, before the worker starts)."""
    # A `<name>_created` series beside every counter and histogram doubles what Prometheus stores, and no
    # dashboard reads when a counter was created.
    prometheus_client.disable_created_metrics()
    app.monitor = PrometheusMonitor(metrics=FaustMetrics.create(REGISTRY, FAUST_PREFIX))
