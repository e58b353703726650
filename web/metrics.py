"""GET /metrics: this worker's tracking metrics in the Prometheus text format, and on the Faust monitor."""

from __future__ import annotations

from aiohttp import web
from faust import Sensor
from faust import web as faust_web

from domain.tracking.metrics import METRICS
from faust_app import app

blueprint = faust_web.Blueprint("metrics")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@blueprint.route("/metrics", name="metrics")
class Metrics(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        # No authentication, as Prometheus scrapes: it holds counts, never personal data.
        return web.Response(body=METRICS.render().encode(), headers={"Content-Type": CONTENT_TYPE})


class TrackingSensor(Sensor):
    """Shows the same figures on the worker's monitor page (``/``, next to Faust's own sensors)."""

    def asdict(self) -> dict:
        return {"tracking": METRICS.as_dict()}


app.sensors.add(TrackingSensor())
