"""Mergeable histograms for percentiles: counts per value rounded to three significant figures.

A value is kept as its bucket (123456 -> 123000), so a percentile read from the counts is within 0.5 % of
the exact one (integers below 1000 are exact), whatever the number of values: a vendor's month of delays
or a provider's month of latencies is a few hundred buckets at most. Counts add, so summaries merge.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping


def bucket(value: float) -> int:
    """The value rounded to three significant figures (at least 0), as an integer."""
    if value <= 0:
        return 0
    if value < 1000:
        return round(value)
    scale = 10 ** (int(math.log10(value)) - 2)
    return round(value / scale) * scale


def add(counts: dict[str, int], value: float, n: int = 1) -> dict[str, int]:
    """``counts`` (keys are buckets as text, JSON's own) with ``n`` more of ``value`` (n may be negative)."""
    key = str(bucket(value))
    total = counts.get(key, 0) + n
    if total > 0:
        counts[key] = total
    else:
        counts.pop(key, None)
    return counts


def merge(counts: dict[str, int], more: Mapping[str, int]) -> dict[str, int]:
    for key, n in more.items():
        counts[key] = counts.get(key, 0) + int(n)
    return counts


def percentile(counts: Mapping[str, int], p: float) -> int | None:
    """The nearest-rank ``p``-th percentile (0 < p <= 100) of the counted values; None when there are none."""
    ordered = sorted((int(k), n) for k, n in counts.items() if n > 0)
    total = sum(n for _, n in ordered)
    if total == 0:
        return None
    rank, seen = max(1, math.ceil(p / 100 * total)), 0
    for value, n in ordered:
        seen += n
        if seen >= rank:
            return value
    return ordered[-1][0]


def maximum(counts: Mapping[str, int]) -> int | None:
    values = [int(k) for k, n in counts.items() if n > 0]
    return max(values) if values else None


def of(values: Iterable[float]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        add(counts, value)
    return counts
