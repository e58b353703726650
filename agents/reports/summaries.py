"""A traveller's year summary, read where their facts are: the year card agent (the 1 January mail) and the
public card need it on the worker owning the user ID, without a traveller's token to ask the API with."""

from __future__ import annotations

from datetime import datetime

from domain.reports.counting import home_country
from domain.reports.summary import year_summary
from tables.reports import facts_of
from tables.users import users


def summary_of(user_id: str, year: int, now: datetime) -> dict:
    """The /api/v1/me/summary/{year} JSON of ``user_id``'s ``year`` at ``now``, as web/reports/api.py computes
    it: the facts filed under the UTC years the summary reads (the year and the one before), on the
    traveller's clock."""
    profile = users.get(user_id) or {}
    return year_summary(facts_of(user_id, [year - 1, year]), year, zone=profile.get("time_zone") or "UTC",
                        home=home_country(profile.get("home")), now=now)
