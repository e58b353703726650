"""GET /api/openapi.json: the OpenAPI 3.1 document, assembled from the part each view module keeps beside its views."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.common.places import zones
from web import health
from web.accounts import api as accounts
from web.accounts import oidc, password_reset
from web.apidoc import STR, answer, op
from web.mail import filters as email_filters
from web.mail import mailboxes
from web.notify import api as notifications
from web.notify import preferences
from web.notify import stream as notification_stream
from web.problems import json_response
from web.providers import api as providers
from web.providers import webhooks
from web.reports import api as reports
from web.reports import public as year_cards
from web.reports import vendor_api as vendor_reports
from web.reservations import api as reservations
from web.reservations import history
from web.sharing import calendar as shared_trip_calendar
from web.sharing import links as trip_links
from web.sharing import shares as trip_shares
from web.trips import api as trips
from web.trips import calendar
from web.trips import editors as trip_editors

blueprint = faust_web.Blueprint("openapi")
# What every part may refer to: the problem document all errors are, and the IANA zones.
SHARED_SCHEMAS = {
    "TimeZone": {"enum": sorted(zones()), "description": "an IANA time zone name"},
    "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
        "type": STR, "title": STR, "status": {"type": "integer"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {"field": STR, "message": STR}}}}},
}
OPENAPI = {
    "paths": {"/api/openapi.json": {"get": op("This document", {"200": answer({"type": "object"})}, auth=False)}},
}
# /metrics (Prometheus text) is operational, like Faust's monitor pages: not part of this API.
PARTS = (accounts.OPENAPI, oidc.OPENAPI, password_reset.OPENAPI, reservations.OPENAPI, trips.OPENAPI,
         history.OPENAPI, providers.OPENAPI, webhooks.OPENAPI, mailboxes.OPENAPI, email_filters.OPENAPI,
         notifications.OPENAPI,
         notification_stream.OPENAPI, preferences.OPENAPI, calendar.OPENAPI, health.OPENAPI, trip_links.OPENAPI,
         trip_shares.OPENAPI, shared_trip_calendar.OPENAPI, trip_editors.OPENAPI, vendor_reports.OPENAPI,
         reports.OPENAPI, year_cards.OPENAPI, OPENAPI)


def assemble(parts: tuple[dict, ...]) -> dict:
    """The document: the shared components, then each part's paths and schemas (a name used twice is an error)."""
    paths: dict = {}
    schemas = dict(SHARED_SCHEMAS)
    for part in parts:
        _merge(paths, part["paths"], "path")
        _merge(schemas, part.get("schemas", {}), "schema")
    return {
        "openapi": "3.1.0",
        "info": {"title": "Road Warrior API", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
    }


def _merge(into: dict, items: dict, what: str) -> None:
    # Two modules describing one path or schema would otherwise lose one description without a word.
    twice = sorted(items.keys() & into.keys())
    if twice:
        raise ValueError(f"{what} described twice in the OpenAPI document: {', '.join(twice)}")
    into.update(items)


SPEC = assemble(PARTS)


@blueprint.route("/api/openapi.json", name="openapi")
class OpenAPI(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        return json_response(SPEC)
