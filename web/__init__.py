"""The web layer: one Blueprint per resource, registered on the Faust app's aiohttp server."""

from __future__ import annotations

from faust_app import app, settings
from web import health, metrics, offline, openapi, session
from web.accounts import api as accounts_api
from web.accounts import oidc, password_reset, reset_pages, settings_pages
from web.accounts import pages as account_pages
from web.guessing import guessing_middleware
from web.mail import filters as email_filters
from web.mail import mailboxes
from web.mail import pages as mail_pages
from web.notify import api as notify_api
from web.notify import pages as notify_pages
from web.notify import preferences as notification_preferences
from web.notify import stream as notification_stream
from web.pages import STATIC, cache_static, profile_language_middleware
from web.problems import problem_middleware
from web.providers import api as providers_api
from web.providers import webhooks
from web.reports import api as reports_api
from web.reports import pages as year_pages
from web.reports import public as year_cards
from web.reports import vendor_api as vendor_reports_api
from web.reports import vendor_pages as vendor_report_pages
from web.reservations import api as reservations_api
from web.reservations import history
from web.reservations import pages as reservation_pages
from web.sharing import calendar as shared_trip_calendar
from web.sharing import calendar_page, flash, shared_pages
from web.sharing import links as trip_links
from web.sharing import pages as sharing_pages
from web.sharing import shares as trip_shares
from web.trips import actions as trip_actions
from web.trips import api as trips_api
from web.trips import calendar, clock
from web.trips import editors as trip_editors
from web.trips import pages as trip_pages


def register(faust_app=app) -> None:
    """Register every route and the problem-details middleware (call again after ``del app.web``)."""
    accounts_api.blueprint.register(faust_app, url_prefix="/api/v1")
    oidc.api.register(faust_app, url_prefix="/api/v1")
    oidc.pages.register(faust_app)  # /auth/oidc/<provider>/start and /callback, where browsers are sent
    password_reset.blueprint.register(faust_app, url_prefix="/api/v1")
    reservations_api.blueprint.register(faust_app, url_prefix="/api/v1")
    trips_api.blueprint.register(faust_app, url_prefix="/api/v1")
    trip_links.api.register(faust_app, url_prefix="/api/v1")
    trip_links.public.register(faust_app)  # the public pages under /t/
    year_cards.api.register(faust_app, url_prefix="/api/v1")
    year_cards.public.register(faust_app)  # a year's card shared by link, under /y/
    trip_shares.blueprint.register(faust_app, url_prefix="/api/v1")
    trip_editors.blueprint.register(faust_app, url_prefix="/api/v1")
    reports_api.blueprint.register(faust_app, url_prefix="/api/v1")
    providers_api.blueprint.register(faust_app, url_prefix="/api/v1")
    vendor_reports_api.blueprint.register(faust_app, url_prefix="/api/v1")
    webhooks.blueprint.register(faust_app, url_prefix="/api/v1")
    health.blueprint.register(faust_app)
    history.blueprint.register(faust_app, url_prefix="/api/v1")
    calendar.blueprint.register(faust_app)  # /api/v1/me/calendar and the feeds under /calendar/
    shared_trip_calendar.blueprint.register(faust_app)  # a follower's feed URL, the feeds under /calendar/trips/
    metrics.blueprint.register(faust_app)
    mailboxes.blueprint.register(faust_app, url_prefix="/api/v1")
    email_filters.blueprint.register(faust_app, url_prefix="/api/v1")
    notification_stream.blueprint.register(faust_app, url_prefix="/api/v1")
    notify_api.blueprint.register(faust_app, url_prefix="/api/v1")
    notification_preferences.blueprint.register(faust_app, url_prefix="/api/v1")
    openapi.blueprint.register(faust_app)
    account_pages.blueprint.register(faust_app)
    reset_pages.blueprint.register(faust_app)
    reservation_pages.blueprint.register(faust_app)
    trip_pages.blueprint.register(faust_app)
    sharing_pages.blueprint.register(faust_app)
    shared_pages.blueprint.register(faust_app)
    calendar_page.blueprint.register(faust_app)
    trip_actions.blueprint.register(faust_app)
    settings_pages.blueprint.register(faust_app)
    notify_pages.blueprint.register(faust_app)
    mail_pages.blueprint.register(faust_app)
    vendor_report_pages.blueprint.register(faust_app)
    year_pages.blueprint.register(faust_app)
    offline.blueprint.register(faust_app)   # /manifest.webmanifest and /sw.js, at the root for the worker's scope
    if settings.trips.test_clock:
        clock.blueprint.register(faust_app, url_prefix="/api/v1")
    _serve_static(faust_app.web)
    _move_monitor(faust_app.web)
    web_app = faust_app.web.web_app
    for on_prepare in (session.on_prepare, flash.on_prepare, cache_static):
        if on_prepare not in web_app.on_response_prepare:
            web_app.on_response_prepare.append(on_prepare)
    middlewares = web_app.middlewares
    if problem_middleware not in middlewares:
        middlewares.append(problem_middleware)
    if session.session_middleware not in middlewares:   # inside the problem middleware: its 403 is a problem
        middlewares.append(session.session_middleware)
    if profile_language_middleware not in middlewares:   # inside the session's: it reads the profile with it
        middlewares.append(profile_language_middleware)
    if guessing_middleware not in middlewares:   # outermost: it counts the 404s the problem middleware makes
        middlewares.insert(0, guessing_middleware)


def _serve_static(faust_web_server) -> None:
    """The app's assets under /static/, named with their hash by the pages (web/pages.static_url)."""
    router = faust_web_server.web_app.router
    if not any(getattr(r, "canonical", None) == "/static" for r in router.resources()):
        router.add_static("/static/", STATIC, append_version=False)


def _move_monitor(faust_web_server) -> None:
    """Faust's monitor (statistics, assignment) moves from / to /monitor/: / is the traveller's app."""
    enabled = faust_web_server.blueprints._enabled   # Faust has no setting for the monitor's prefix
    enabled[:] = [("/monitor" if bp == "faust.web.apps.stats:blueprint" else prefix, bp) for prefix, bp in enabled]


register()
