"""The web layer: one Blueprint per resource, registered on the Faust app's aiohttp server."""

from __future__ import annotations

from faust_app import app, settings
from web import (
    accounts,
    calendar,
    clock,
    health,
    history,
    metrics,
    openapi,
    providers,
    reservations,
    trip_links,
    trips,
    webhooks,
)
from web.email_filters import blueprint as email_filters_blueprint
from web.guessing import guessing_middleware
from web.mailboxes import blueprint as mailboxes_blueprint
from web.notification_stream import blueprint as notification_stream_blueprint
from web.notifications import blueprint as notifications_blueprint
from web.preferences import blueprint as notification_preferences_blueprint
from web.problems import problem_middleware
from web.shared_trip_calendar import blueprint as shared_trip_calendar_blueprint
from web.trip_editors import blueprint as trip_editors_blueprint
from web.trip_shares import blueprint as trip_shares_blueprint


def register(faust_app=app) -> None:
    """Register every route and the problem-details middleware (call again after ``del app.web``)."""
    accounts.blueprint.register(faust_app, url_prefix="/api/v1")
    reservations.blueprint.register(faust_app, url_prefix="/api/v1")
    trips.blueprint.register(faust_app, url_prefix="/api/v1")
    trip_links.api.register(faust_app, url_prefix="/api/v1")
    trip_links.public.register(faust_app)  # the public pages under /t/
    trip_shares_blueprint.register(faust_app, url_prefix="/api/v1")
    trip_editors_blueprint.register(faust_app, url_prefix="/api/v1")
    providers.blueprint.register(faust_app, url_prefix="/api/v1")
    webhooks.blueprint.register(faust_app, url_prefix="/api/v1")
    health.blueprint.register(faust_app)
    history.blueprint.register(faust_app, url_prefix="/api/v1")
    calendar.blueprint.register(faust_app)  # /api/v1/me/calendar and the feeds under /calendar/
    shared_trip_calendar_blueprint.register(faust_app)  # a follower's feed URL, the feeds under /calendar/trips/
    metrics.blueprint.register(faust_app)
    mailboxes_blueprint.register(faust_app, url_prefix="/api/v1")
    email_filters_blueprint.register(faust_app, url_prefix="/api/v1")
    notification_stream_blueprint.register(faust_app, url_prefix="/api/v1")
    notifications_blueprint.register(faust_app, url_prefix="/api/v1")
    notification_preferences_blueprint.register(faust_app, url_prefix="/api/v1")
    openapi.blueprint.register(faust_app)
    if settings.trips.test_clock:
        clock.blueprint.register(faust_app, url_prefix="/api/v1")
    middlewares = faust_app.web.web_app.middlewares
    if problem_middleware not in middlewares:
        middlewares.append(problem_middleware)
    if guessing_middleware not in middlewares:   # outermost: it counts the 404s the problem middleware makes
        middlewares.insert(0, guessing_middleware)


register()
