"""A traveller's year summary, read where their facts are: the year card agent and the public card need it
on the worker owning the user ID, without a traveller's token to ask the API with."""

from __future__ import annotations

from datetime import datetime


def summary_of(user_id: str, year: int, now: datetime) -> dict:
    """The /api/v1/me/summary/{year} JSON of ``user_id``'s ``year`` at ``now`` (year-core's aggregation)."""
    raise NotImplementedError("wired to the reports aggregation once it is merged")
