"""Tracking metrics: counters, gauges and histograms in memory, rendered in the Prometheus text format.

One registry per worker process (``METRICS``); each worker serves its own on ``/metrics`` and Prometheus
adds them up. Plain numbers only, so recording costs a dict update on the hot path.
"""

from __future__ import annotations

import bisect
import math

FRESHNESS_BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 120, 180, 240, 270, 300, 330, 600, 1800)
DELAY_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300)

DEFINITIONS = {
    "roadwarrior_tracking_polls_total": ("counter", "Subjects polled, by provider and outcome."),
    "roadwarrior_provider_calls_total": ("counter", "Provider requests, by provider and outcome."),
    "roadwarrior_provider_errors_total": ("counter", "Failed provider requests, by provider and error kind."),
    "roadwarrior_provider_circuit_state": ("gauge", "1 for each provider's current circuit breaker state."),
    "roadwarrior_tracking_changes_total": ("counter", "Reservation changes published, by severity."),
    "roadwarrior_tracking_snapshots_diffed_total": ("counter", "Reservation snapshots compared with the last."),
    "roadwarrior_tracking_pushes_total": ("counter", "Provider pushes fanned out, by provider."),
    "roadwarrior_tracking_subjects": ("gauge", "Subjects this worker polls."),
    "roadwarrior_tracking_freshness_seconds": ("histogram", "Provider change to change event, in seconds."),
    "roadwarrior_tracking_poll_delay_seconds": ("histogram", "How late after its slot a subject was polled."),
}
_BUCKETS = {"roadwarrior_tracking_freshness_seconds": FRESHNESS_BUCKETS,
            "roadwarrior_tracking_poll_delay_seconds": DELAY_BUCKETS}
Labels = tuple[tuple[str, str], ...]


class Metrics:
    """Values by metric name and label set."""

    def __init__(self) -> None:
        self.values: dict[str, dict[Labels, float]] = {name: {} for name in DEFINITIONS}
        self.histograms: dict[str, dict[Labels, list]] = {name: {} for name in _BUCKETS}

    def inc(self, name: str, by: float = 1, **labels: str) -> None:
        series = self.values[name]
        key = tuple(sorted(labels.items()))
        series[key] = series.get(key, 0) + by

    def set(self, name: str, value: float, **labels: str) -> None:
        self.values[name][tuple(sorted(labels.items()))] = value

    def state(self, name: str, current: str, states: tuple[str, ...], **labels: str) -> None:
        """A one-hot gauge: 1 for the current state, 0 for the others."""
        for state in states:
            self.set(name, 1 if state == current else 0, **labels, state=state)

    def observe(self, name: str, value: float, **labels: str) -> None:
        buckets = _BUCKETS[name]
        key = tuple(sorted(labels.items()))
        counts = self.histograms[name].setdefault(key, [[0] * len(buckets), 0, 0.0])
        index = bisect.bisect_left(buckets, value)
        if index < len(buckets):
            counts[0][index] += 1
        counts[1] += 1
        counts[2] += value

    def get(self, name: str, **labels: str) -> float:
        return self.values[name].get(tuple(sorted(labels.items())), 0)

    def total(self, name: str) -> float:
        return sum(self.values[name].values())

    def quantile(self, name: str, q: float, **labels: str) -> float:
        """An upper bound of the q-quantile from the buckets (inf above the last bucket)."""
        counts = self.histograms[name].get(tuple(sorted(labels.items())))
        if not counts or not counts[1]:
            return math.nan
        seen = 0
        for bound, count in zip(_BUCKETS[name], counts[0], strict=True):
            seen += count
            if seen >= q * counts[1]:
                return bound
        return math.inf

    def render(self) -> str:
        """The Prometheus text exposition format (version 0.0.4)."""
        lines = []
        for name, (kind, help_text) in DEFINITIONS.items():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
            if kind == "histogram":
                lines += self._histogram_lines(name)
            else:
                lines += [f"{name}{_labels(key)} {_number(v)}" for key, v in sorted(self.values[name].items())]
        return "\n".join(lines) + "\n"

    def _histogram_lines(self, name: str) -> list[str]:
        lines = []
        for key, (counts, count, total) in sorted(self.histograms[name].items()):
            running = 0
            for bound, bucket in zip(_BUCKETS[name], counts, strict=True):
                running += bucket
                lines.append(f"{name}_bucket{_labels(key + (('le', _number(bound)),))} {running}")
            lines.append(f"{name}_bucket{_labels(key + (('le', '+Inf'),))} {count}")
            lines.append(f"{name}_sum{_labels(key)} {_number(total)}")
            lines.append(f"{name}_count{_labels(key)} {count}")
        return lines

    def as_dict(self) -> dict:
        """The plain values, for the Faust monitor page."""
        flat = {f"{name}{_labels(key)}": value for name, series in self.values.items() for key, value in series.items()}
        for name, series in self.histograms.items():
            for key, (_, count, total) in series.items():
                flat[f"{name}_count{_labels(key)}"] = count
                flat[f"{name}_sum{_labels(key)}"] = total
        return flat


def _labels(key: Labels) -> str:
    if not key:
        return ""
    text = ",".join(f'{name}="{_escape(value)}"' for name, value in key)
    return "{" + text + "}"


def _escape(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


METRICS = Metrics()
