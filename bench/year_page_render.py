"""The year page's server-side cost: drawing its card (PNG) and building its figures and four SVG charts.

    python -m bench.year_page_render [--rounds 200]

In process, from a hand-made summary shaped as /api/v1/me/summary answers (a busy year: 40 airlines, 30
countries), in English (miles) and Japanese (CJK text on the card). Prints p50/p99 in ms; asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time

from runtime.i18n import lang
from web.pages import environment
from web.reports.card import render_year_card
from web.reports.pages import year_context


def busy_year() -> dict:
    months = [{"month": m, "trips": m % 4, "flights": 3 * m, "distance_km": 2500 * m} for m in range(1, 13)]
    figures = {"year": 2026, "as_of": "2026-12-07T12:00:00Z", "time_zone": "Asia/Tokyo", "trips": 30,
               "flights": 234, "distance_km": 412345, "air_hours": 615.5, "airports": ["NRT"] * 60,
               "countries": ["JP"] * 30, "cities": ["Tokyo"] * 50, "hotel_nights": 131, "car_rental_days": 16,
               "delays": {"count": 13, "total_minutes": 1045, "longest_minutes": 180}, "cancellations": 2,
               "top_airline": {"code": "NH", "flights": 90}, "top_airport": {"code": "NRT", "visits": 140},
               "busiest_month": {"month": 3, "trips": 4, "flights": 9},
               "longest_trip": {"trip_id": "x", "name": "東京", "days": 21}, "months": months,
               "airlines": [{"code": f"A{i}", "flights": 40 - i} for i in range(40)],
               "country_visits": [{"code": c, "flights": 30 - i} for i, c in enumerate(["JP", "US", "DE"] * 10)]}
    return {**figures, "previous": dict(figures)}


def timed(action, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def page(summary: dict, language: str) -> str:
    template = environment(lang(language).catalog).get_template("reports/year.html")
    return template.render(**year_context(summary, language, 2026, 2026, []), csrf_token="t", profile=None,
                           path="/year/2026", rendered_at="2026-12-07T12:00:00Z")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    rounds, summary = parser.parse_args().rounds, busy_year()
    for language in ("en-US", "ja"):
        for name, draw in (("card PNG", render_year_card), ("page HTML", page)):
            p50, p99 = timed(functools.partial(draw, summary, language), rounds)
            print(f"{name:9} {language:5}: p50 {p50:6.1f} ms, p99 {p99:6.1f} ms ({rounds} rounds)")


if __name__ == "__main__":
    main()
