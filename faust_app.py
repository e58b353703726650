"""The one faust.App every worker, agent, table and view hangs off, and create_app that builds it from settings.

Importing this module reads the environment (runtime/settings/) and writes nothing: Faust configures an app
only when its ``conf`` is first used, and development secrets are generated when first read.
"""

from __future__ import annotations

import faust

from runtime import fetch_wait, monitoring
from runtime.settings import Settings


def create_app(settings: Settings) -> faust.App:
    """A Faust app configured from ``settings``, its worker consumer included."""
    fetch_wait.apply(settings.streams.fetch_wait_ms)   # process-wide: Faust builds the consumer from its class
    return faust.App(settings.streams.app_id, **faust_options(settings))


def faust_options(settings: Settings) -> dict:
    """Faust's settings (app.conf) from ours."""
    streams, web = settings.streams, settings.web
    return dict(
        broker=streams.broker,
        store=streams.store,
        datadir=str(streams.data_dir),
        topic_partitions=streams.partitions,
        web_host=web.host,
        web_port=web.port,
        web_bind=web.bind,
        canonical_url=f"http://{web.host}:{web.port}",
        web_application_options={"client_max_size": web.max_body_bytes},
        web_stats_enabled=True,
        # Faust's /table/ pages print any table to anyone who reaches the port, the API's port: password
        # hashes, e-mail addresses, sessions. Ops read state through /metrics and the admin endpoints.
        web_tables_enabled=False,
        producer_linger=streams.producer_linger_ms / 1000,
        key_serializer="json",
        value_serializer="json",
        autodiscover=["agents", "web", "commands"],
        origin="faust_app",
        Worker="runtime.worker:Worker",
        # A worker killed without leaving the group holds its partitions until the session times out:
        # Faust's 60 s is a minute of silence for its travellers; 10 s with a heartbeat a second moves
        # them in ~15 s (measured with SIGKILL in tests/integration/test_resilience.py).
        broker_session_timeout=10.0,
        broker_heartbeat_interval=1.0,
        processing_guarantee=streams.processing_guarantee,
    )


settings = Settings.from_env()
app = create_app(settings)   # module-level for `faust -A faust_app` and autodiscovery
monitoring.install(app)      # Faust's stream metrics beside ours on /metrics (once: one registry per process)
