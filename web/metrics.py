"""GET /metrics: the worker's metrics, tracking's and Faust's, as Prometheus text; tracking's also on the monitor."""

from __future__ import annotations

from aiohttp import web
from faust import Sensor
from faust import web as faust_web
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, generate_latest

from domain.tracking import metrics as tracking_metrics
from faust_app import app
from runtime.monitoring import REGISTRY

blueprint = faust_web.Blueprint("metrics")


@blueprint.route("/metrics", name="metrics")
class Metrics(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        # No authentication, as Prometheus scrapes: it holds counts, never personal data.
        return web.Response(body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_PLAIN_0_0_4})


class TrackingSensor(Sensor):
    """Shows tracking's figures on the worker's monitor page (``/``, next to Faust's own sensors)."""

    def asdict(self) -> dict:
        return {"tracking": {_series(sample.name, sample.labels): sample.value
                             for metric in tracking_metrics.ALL for family in metric.collect()
                             for sample in family.samples if not sample.name.endswith("_bucket")}}


def _series(name: str, labels: dict[str, str]) -> str:
    return name + ("{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}" if labels else "")


app.sensors.add(TrackingSensor())
