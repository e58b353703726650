"""What the year page, its public page, card and mail show of a year summary (the /api/v1/me/summary JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.common.words import N_
from domain.notify.locales import Lang
from domain.reports import charts, figures
from domain.reports.charts import Bar

WORDS = {
    "months_trips": N_("Trips by month"),
    "months_distance": N_("Distance by month (%(unit)s)"),
    "airlines": N_("Flights by airline"),
    "countries": N_("Flights by country"),
    "most": N_("Most in %(month)s: %(value)s"),
    "none": N_("Nothing this year yet"),
    "top": N_("First: %(name)s, %(value)s"),
}


@dataclass(frozen=True)
class Chart:
    """A drawn chart (SVG markup) and the same data as table rows (label, value in words)."""

    chart_id: str
    title: str
    svg: str
    rows: list[tuple[str, str]] = field(default_factory=list)


def _say(lang: Lang, key: str, **values: object) -> str:
    return lang.words.gettext(WORDS[key]) % values if values else lang.words.gettext(WORDS[key])


def month_bars(summary: dict, lang: Lang, key: str) -> list[Bar]:
    months = {m.get("month"): m for m in summary.get("months") or () if isinstance(m, dict)}
    bars = []
    for month in range(1, 13):
        raw = (months.get(month) or {}).get(key) or 0
        value = figures.in_unit(raw, lang.locale) if key == "distance_km" else raw
        bars.append(Bar(figures.month_name(month, lang.locale, "abbreviated"), value,
                        figures.number(value, lang.locale)))
    return bars


def _column_chart(chart_id: str, title: str, bars: list[Bar], lang: Lang) -> Chart:
    peak = max(bars, key=lambda b: b.value)
    month = figures.month_name(bars.index(peak) + 1, lang.locale)
    desc = _say(lang, "most", month=month, value=peak.text) if peak.value else _say(lang, "none")
    rows = [(figures.month_name(i + 1, lang.locale), b.text) for i, b in enumerate(bars)]
    return Chart(chart_id, title, charts.columns(chart_id, title, desc, bars), rows)


def _row_chart(chart_id: str, title: str, bars: list[Bar], lang: Lang) -> Chart:
    desc = _say(lang, "top", name=bars[0].label, value=bars[0].text) if bars else _say(lang, "none")
    return Chart(chart_id, title, charts.rows(chart_id, title, desc, bars), [(b.label, b.text) for b in bars])


def ranked(summary: dict, key: str, lang: Lang) -> list[Bar]:
    """Airlines by code, countries by their name in the reader's language, most flights first."""
    names = lang.locale.territories if key == "country_visits" else {}
    items = [i for i in summary.get(key) or () if isinstance(i, dict) and i.get("code")]
    return [Bar(names.get(i["code"], i["code"]), i.get("flights") or 0, figures.number(i.get("flights") or 0,
                                                                                        lang.locale))
            for i in items]


def year_charts(summary: dict, lang: Lang) -> list[Chart]:
    unit = figures.unit_name(lang.locale)
    return [
        _column_chart("chart-trips", _say(lang, "months_trips"), month_bars(summary, lang, "trips"), lang),
        _column_chart("chart-distance", _say(lang, "months_distance", unit=unit),
                      month_bars(summary, lang, "distance_km"), lang),
        _row_chart("chart-airlines", _say(lang, "airlines"), ranked(summary, "airlines", lang), lang),
        _row_chart("chart-countries", _say(lang, "countries"), ranked(summary, "country_visits", lang), lang),
    ]
