"""The year's charts as inline SVG, drawn on the server: no script, no library, readable at 360 px.

Each chart is an ``role="img"`` picture named by its <title> and described by its <desc>; every bar carries
its own <title> (a tooltip, and what a screen reader's explore mode reads), and the page puts the same data
in a table beside it. Coordinates are in a 360-unit-wide viewBox that scales to the column's width.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 360
BAR_COLOUR, TEXT_COLOUR, AXIS_COLOUR = "#0b4f6c", "#1f2933", "#9aa5b1"
FONT = 'font-family="system-ui, sans-serif"'
MAX_ROWS = 8   # a ranked chart shows the first eight; the table lists them all
LABEL_CHARS = 18


@dataclass(frozen=True)
class Bar:
    """One bar: what it is (a month, an airline), its value, and the value as the reader's locale writes it."""

    label: str
    value: float
    text: str


def columns(chart_id: str, title: str, description: str, bars: list[Bar]) -> str:
    """A column per bar (the year's twelve months), each labelled under it and its value over it."""
    height, top, bottom = 190, 18, 24
    slot = WIDTH / max(len(bars), 1)
    scale = (height - top - bottom) / max((b.value for b in bars), default=0) if any(b.value for b in bars) else 0
    parts = [_open(chart_id, title, description, height),
             f'<line x1="0" y1="{height - bottom}" x2="{WIDTH}" y2="{height - bottom}" stroke="{AXIS_COLOUR}"/>']
    for index, bar in enumerate(bars):
        centre, size = slot * index + slot / 2, bar.value * scale
        parts.append(_rect(centre - slot * 0.34, height - bottom - size, slot * 0.68, size, bar))
        parts.append(_text(centre, height - 8, bar.label, 10, "middle"))
        if bar.value:
            parts.append(_text(centre, height - bottom - size - 4, bar.text, 10, "middle"))
    return "".join(parts) + "</svg>"


def rows(chart_id: str, title: str, description: str, bars: list[Bar]) -> str:
    """A row per bar, most first (airlines, countries): its name on the left, its bar, then its value."""
    shown = bars[:MAX_ROWS]
    row, label_width, value_width = 28, 118, 44
    height = max(row * len(shown), row)
    longest = max((b.value for b in shown), default=0)
    scale = (WIDTH - label_width - value_width - 8) / longest if longest else 0
    parts = [_open(chart_id, title, description, height)]
    for index, bar in enumerate(shown):
        y, size = index * row, bar.value * scale
        parts.append(_text(label_width - 6, y + row / 2 + 4, _short(bar.label), 12, "end"))
        parts.append(_rect(label_width, y + 5, size, row - 10, bar))
        parts.append(_text(label_width + size + 5, y + row / 2 + 4, bar.text, 12, "start"))
    return "".join(parts) + "</svg>"


def _open(chart_id: str, title: str, description: str, height: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id={quoteattr(chart_id)} role="img" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>')


def _rect(x: float, y: float, width: float, height: float, bar: Bar) -> str:
    # A zero still gets its (empty) rect with its title, so every month is there to hover or explore.
    return (f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{max(height, 0):.1f}" '
            f'fill="{BAR_COLOUR}" rx="2"><title>{escape(bar.label)}: {escape(bar.text)}</title></rect>')


def _text(x: float, y: float, text: str, size: int, anchor: str) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" {FONT} fill="{TEXT_COLOUR}" '
            f'text-anchor="{anchor}" aria-hidden="true">{escape(text)}</text>')


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"
