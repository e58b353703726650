"""What the report agents share: replacing a source's fact in every year it touches, and publishing the years.

Each write is absolute (the source's fact now, not a delta), so a replayed input writes the same again; a
year's figures go to traveller-year-stats only when they differ from what was last published for it.
"""

from __future__ import annotations

import hashlib

import orjson

from domain.common.timestamps import utc_iso
from domain.reports.counting import home_country
from domain.reports.facts import utc_years
from domain.reports.stats import pseudonym, stats_key, year_stats
from domain.reports.summary import figures
from faust_app import settings
from runtime.clock import trips_clock
from streams import topics
from tables.reports import fact_key, facts_of, report_facts, report_published, report_sources, source_key
from tables.users import users


async def replace(user_id: str, source: str, known: dict | None, entry: dict) -> None:
    """Keep ``entry`` ({version, fact, ...}) as the source's, file its fact under its years, publish them."""
    old_years, fact = (known or {}).get("years", []), entry.get("fact")
    years = utc_years(fact)
    report_sources[source_key(user_id, source)] = {**entry, "years": years}
    if fact == (known or {}).get("fact"):
        return   # a new version that counts for nothing new (its notes, a seat)
    for year in set(old_years) - set(years):
        report_facts.pop(fact_key(user_id, year, source), None)
    for year in years:
        report_facts[fact_key(user_id, year, source)] = fact
    await publish(user_id, sorted(set(old_years) | set(years)))


async def publish(user_id: str, years: list[int]) -> None:
    """Send each year's stats that changed since last sent (a fact under UTC year Y counts in year Y only)."""
    profile = users.get(user_id) or {}
    zone, home = profile.get("time_zone") or "UTC", home_country(profile.get("home"))
    alias, now = pseudonym(user_id, settings.reports.analytics_pseudonym_key.value), trips_clock.now()
    for year in years:
        year_figures = figures(facts_of(user_id, [year]), year, zone=zone, home=home, now=now)
        record = year_stats(year_figures, alias, utc_iso(now, millis=True))
        digest = hashlib.sha256(orjson.dumps({**record, "updated_at": None})).hexdigest()[:32]
        key = f"{user_id}/{year}"
        if report_published.get(key) != digest:
            await topics.traveller_year_stats.send(key=stats_key(alias, year), value=orjson.dumps(record))
            report_published[key] = digest
