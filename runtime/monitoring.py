"""The worker's one Prometheus registry, served on /metrics (web/metrics.py).

A registry of our own rather than prometheus_client's global one: the page shows what we chose, and no
library that registers in the global one can collide with these names.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from domain.tracking import metrics as tracking_metrics


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    for metric in tracking_metrics.ALL:
        registry.register(metric)
    return registry


REGISTRY = _registry()
