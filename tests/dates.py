"""Trip dates for tests that book, track or notify: always ahead of the clock the test runs on.

A trip on a fixed date is tracked until that date passes, and then silently never again. The month and
day stay fixed where assertions depend on them (1 December: Frankfurt on +01:00, "MEZ", New York on
-05:00), and the year follows the clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def next_on(month: int, day: int, *, at_least_days: int = 7) -> date:
    """The first ``month``-``day`` at least ``at_least_days`` days after today (UTC); never 29 February."""
    if (month, day) == (2, 29):
        raise ValueError("29 February is not in every year")
    today = datetime.now(UTC).date()
    year = today.year
    while (date(year, month, day) - today).days < at_least_days:
        year += 1
    return date(year, month, day)
