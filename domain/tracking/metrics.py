"""What tracking measures: the Prometheus counters, gauges and histograms its agents record into.

prometheus_client's metrics are numbers in memory (no I/O, no app, no event loop), so they stand here where
every layer that records or serves them may import them. They belong to no registry yet: the worker's one
registry (runtime/monitoring.py) takes them beside Faust's stream metrics, and web/metrics.py serves it.
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import Counter, Gauge, Histogram

FRESHNESS_BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 120, 180, 240, 270, 300, 330, 600, 1800)
DELAY_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300)

POLLS = Counter("roadwarrior_tracking_polls_total", "Subjects polled, by provider and outcome.",
                ["provider", "outcome"], registry=None)
PROVIDER_CALLS = Counter("roadwarrior_provider_calls_total", "Provider requests, by provider and outcome.",
                         ["provider", "outcome"], registry=None)
PROVIDER_ERRORS = Counter("roadwarrior_provider_errors_total", "Failed provider requests, by provider and error kind.",
                          ["provider", "kind"], registry=None)
CIRCUIT_STATE = Gauge("roadwarrior_provider_circuit_state", "1 for each provider's current circuit breaker state.",
                      ["provider", "state"], registry=None)
CHANGES = Counter("roadwarrior_tracking_changes_total", "Reservation changes published, by severity.",
                  ["severity"], registry=None)
SNAPSHOTS_DIFFED = Counter("roadwarrior_tracking_snapshots_diffed_total",
                           "Reservation snapshots compared with the last.", registry=None)
PUSHES = Counter("roadwarrior_tracking_pushes_total", "Provider pushes, by provider and outcome (fanned_out, ignored).",
                 ["provider", "outcome"], registry=None)
SUBJECTS = Gauge("roadwarrior_tracking_subjects", "Subjects this worker polls.", registry=None)
FRESHNESS = Histogram("roadwarrior_tracking_freshness_seconds", "Provider change to change event, in seconds.",
                      buckets=FRESHNESS_BUCKETS, registry=None)
POLL_DELAY = Histogram("roadwarrior_tracking_poll_delay_seconds", "How late after its slot a subject was polled.",
                       buckets=DELAY_BUCKETS, registry=None)

ALL = (POLLS, PROVIDER_CALLS, PROVIDER_ERRORS, CIRCUIT_STATE, CHANGES, SNAPSHOTS_DIFFED, PUSHES, SUBJECTS,
       FRESHNESS, POLL_DELAY)


def set_circuit_state(provider: str, current: str, states: Sequence[str]) -> None:
    """A one-hot gauge, so a dashboard can graph each state: 1 for the provider's current one, 0 for the others."""
    for state in states:
        CIRCUIT_STATE.labels(provider=provider, state=state).set(1 if state == current else 0)
