"""The web layer: one Blueprint per resource, registered on the Faust app's aiohttp server."""

from __future__ import annotations

from faust_app import app
from web import accounts, health, openapi, providers, reservations
from web.problems import problem_middleware


def register(faust_app=app) -> None:
    """Register every route and the problem-details middleware (call again after ``del app.web``)."""
    accounts.blueprint.register(faust_app, url_prefix="/api/v1")
    reservations.blueprint.register(faust_app, url_prefix="/api/v1")
    providers.blueprint.register(faust_app, url_prefix="/api/v1")
    health.blueprint.register(faust_app)
    openapi.blueprint.register(faust_app)
    middlewares = faust_app.web.web_app.middlewares
    if problem_middleware not in middlewares:
        middlewares.append(problem_middleware)


register()
