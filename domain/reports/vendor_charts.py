"""Bar charts of the vendor report, as geometry a template draws in SVG (no script, no chart library)."""

from __future__ import annotations

from collections.abc import Callable

WIDTH, BAR, GAP, LABEL = 640, 18, 6, 150   # px: the chart's width, a bar's height, between bars, label column


def bars(rows: list[dict], value: Callable[[dict], float | None], *, most: int = 15) -> dict:
    """The ``most`` largest values as horizontal bars: {width, height, bars: [{label, value, y, length}]}."""
    shown = sorted(((row, value(row)) for row in rows if value(row)), key=lambda pair: -pair[1])[:most]
    top = max((v for _, v in shown), default=0)
    span = WIDTH - LABEL - 60   # room for the figure after the longest bar
    drawn = [{"label": f"{row['vendor']} ({row['kind']})", "value": v, "y": n * (BAR + GAP),
              "length": max(1, round(span * v / top))} for n, (row, v) in enumerate(shown)]
    return {"width": WIDTH, "height": max(BAR, len(drawn) * (BAR + GAP)), "bar": BAR, "label": LABEL,
            "bars": drawn}


def changes_total(row: dict) -> int:
    return row["changes"]["total"]


def delay_p90(row: dict) -> int | None:
    return row["delay_minutes"]["p90"]
