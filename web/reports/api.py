"""A traveller's year in travel: GET /api/v1/me/summary/{year}, the figures of the year so far or a past one.

Served by the worker owning the caller's user ID: the report tables (tables/reports.py) are written in the
user's partition, as the profile is, so the owner of the users table's key holds both.
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from faust import web as faust_web

from domain.common.places import FIRST_YEAR, LAST_YEAR, zone_info
from domain.reports.counting import home_country
from domain.reports.summary import year_summary
from faust_app import settings
from runtime.clock import trips_clock
from streams import topics
from streams.replies import progress
from tables.reports import facts_of
from tables.users import users
from web.apidoc import STR, TIME, ZONE, answer, nullable, op, param, ref
from web.auth import caller
from web.problems import json_response, problem
from web.routing import forward_to_owner

blueprint = faust_web.Blueprint("reports")
# What the facts are made of: a summary waits until the caller's earlier writes have reached them.
SUMMARY_INPUTS = (topics.user_reservation_events, topics.trip_events, topics.user_changes)


@blueprint.route("/me/summary/{year}", name="summary")
class Summary(faust_web.View):
    async def get(self, request: web.Request, year: str) -> web.Response:
        who = caller(request)
        if not (year.isascii() and year.isdigit() and FIRST_YEAR <= int(year) <= LAST_YEAR):
            return problem(400, "invalid-year", f"The year must be a number from {FIRST_YEAR} to {LAST_YEAR}.")
        if (routed := await forward_to_owner(request, users.name, who.user_id)) is not None:
            return routed
        if not await _caught_up(who.user_id):
            return problem(503, "index-catching-up", "The figures are catching up after a restart; retry shortly.",
                           headers={"Retry-After": "1"})
        summary = read_summary(who.user_id, int(year))
        if summary is None:
            return problem(404, "year-not-reached", "That year has not begun yet.")
        return json_response(summary)


async def _caught_up(user_id: str) -> bool:
    """Whether the inputs are applied here up to now for the user: waited for together, as one end-offsets
    lookup (streams/replies.py), where one after another cost a lookup each (~100 ms apiece, bench below)."""
    timeout_s = settings.web.request_timeout_s
    waits = (progress.caught_up(topic.get_topic_name(), user_id, timeout_s) for topic in SUMMARY_INPUTS)
    return all(await asyncio.gather(*waits))


def read_summary(user_id: str, year: int) -> dict | None:
    """The year's summary on the traveller's clock (their profile's zone; UTC without one), None for a year
    that has not begun there. Call on the worker owning ``user_id``."""
    profile = users.get(user_id) or {}
    zone, now = profile.get("time_zone") or "UTC", trips_clock.now()
    if year > now.astimezone(zone_info(zone)).year:
        return None
    # A fact counting in year Y is filed under UTC year Y (tables/reports.py): the year and the one before.
    facts = facts_of(user_id, [year - 1, year])
    return year_summary(facts, year, zone=zone, home=home_country(profile.get("home")), now=now)


_COUNT = {"type": "integer", "minimum": 0}
_CODES = {"type": "array", "items": STR}
_MONTH = {"type": "integer", "minimum": 1, "maximum": 12}
_FIGURES = {
    "year": {"type": "integer"}, "as_of": TIME, "time_zone": ZONE,
    "trips": {**_COUNT, "description": "trips with a day in the year, begun by as_of"},
    "flights": {**_COUNT, "description": "flight segments flown: departed by as_of, not cancelled"},
    "distance_km": {**_COUNT, "description": "great-circle distance of the flights, rounded to the km"},
    "air_hours": {"type": "number", "description": "scheduled block time, one decimal"},
    "airports": {**_CODES, "description": "IATA codes, sorted"},
    "countries": {**_CODES, "description": "ISO 3166-1 alpha-2, sorted: the airports', and hotels' and rental "
                                           "desks' abroad; home only when flown from or to"},
    "cities": {**_CODES, "description": "the airports' cities as the airport data names them, sorted"},
    "hotel_nights": {**_COUNT, "description": "local dates slept at hotels, up to today"},
    "car_rental_days": {**_COUNT, "description": "24-hour rental periods begun"},
    "delays": {"type": "object", "description": "flights flown whose latest known departure was 15 minutes or "
                                                "more late (the US DOT's threshold)",
               "properties": {"count": _COUNT, "total_minutes": _COUNT, "longest_minutes": _COUNT}},
    "cancellations": {**_COUNT, "description": "reservations of the year cancelled"},
    "top_airline": nullable({"type": "object", "properties": {"code": STR, "flights": _COUNT}}),
    "top_airport": nullable({"type": "object", "properties": {"code": STR, "visits": _COUNT}}),
    "busiest_month": nullable({"type": "object", "properties": {"month": _MONTH, "trips": _COUNT,
                                                                "flights": _COUNT}}),
    "longest_trip": nullable({"type": "object", "properties": {"trip_id": STR, "name": nullable(STR),
                                                               "days": _COUNT}}),
    "months": {"type": "array", "minItems": 12, "maxItems": 12, "items": {"type": "object", "properties": {
        "month": _MONTH, "trips": _COUNT, "flights": _COUNT, "distance_km": _COUNT}}},
    "airlines": {"type": "array", "description": "most flights first",
                 "items": {"type": "object", "properties": {"code": STR, "flights": _COUNT}}},
    "country_visits": {"type": "array", "description": "most flights (from or to the country) first",
                       "items": {"type": "object", "properties": {"code": STR, "flights": _COUNT}}},
}
OPENAPI = {
    "schemas": {
        "YearFigures": {"type": "object", "properties": _FIGURES},
        "YearSummary": {"type": "object", "properties": {**_FIGURES, "previous": ref("YearFigures")},
                        "description": "years and months on the traveller's clock (their profile's time zone)"},
    },
    "paths": {
        "/api/v1/me/summary/{year}": {
            "get": op("The caller's year in travel, with the year before", {"200": answer(ref("YearSummary"))},
                      params=[param("year", "path", {"type": "integer", "minimum": FIRST_YEAR,
                                                     "maximum": LAST_YEAR})],
                      errors=(400, 404, 503)),
        },
    },
}
