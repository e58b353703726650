"""The traveller-year-stats record for the data team: a year's figures under a pseudonym, nothing personal."""

from __future__ import annotations

import hashlib
import hmac

SCHEMA_VERSION = 1
_COPIED = ("trips", "flights", "distance_km", "air_hours", "countries", "hotel_nights", "car_rental_days",
           "delays", "cancellations")


def pseudonym(user_id: str, key: str) -> str:
    """The first 32 hex digits of HMAC-SHA256(key, user ID): stable per traveller, not reversible without key."""
    return hmac.new(key.encode(), user_id.encode(), hashlib.sha256).hexdigest()[:32]


def stats_key(alias: str, year: int) -> str:
    return f"{alias}/{year}"


def year_stats(figures: dict, alias: str, updated_at: str) -> dict:
    """The topic's value from a year's figures (domain/reports/summary.py): counts and codes, no names.

    Trip and city names are left out: a trip's name is the traveller's own words.
    """
    return {"schema_version": SCHEMA_VERSION, "pseudonym": alias, "year": figures["year"],
            **{name: figures[name] for name in _COPIED},
            "airports": len(figures["airports"]),
            "top_airline": (figures["top_airline"] or {}).get("code"),
            "busiest_month": (figures["busiest_month"] or {}).get("month"),
            "longest_trip_days": (figures["longest_trip"] or {}).get("days"),
            "updated_at": updated_at}
