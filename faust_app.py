"""Settings.from_env() and the one faust.App every worker, agent, table and view hangs off."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import faust

from runtime import tansu

APP_ID = "roadwarrior"  # never changes: changelog topics are roadwarrior-<table>-changelog


@dataclass(frozen=True)
class Settings:
    broker: str
    store: str
    data_dir: Path
    partitions: int
    web_host: str
    web_port: int
    web_bind: str
    redis_url: str | None
    embedded_broker: bool
    jwt_secret: str
    admin_email: str | None
    admin_password: str | None
    request_timeout_s: float
    max_body_bytes: int
    # Tracking (agents/poll_providers.py): every subject once per cycle; ended reservations stop after grace.
    tracking_cycle_s: float = 300.0
    tracking_grace_s: float = 6 * 3600.0
    tracking_tick_s: float = 0.25
    tracking_checkpoint_s: float = 2.0
    flight_provider: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("ROADWARRIOR_DATA_DIR", "var/data")).resolve()
        broker = env.get("ROADWARRIOR_BROKER", "kafka://127.0.0.1:9092")
        return cls(
            broker=broker,
            store=env.get("ROADWARRIOR_STORE", "rocksdb://"),
            data_dir=data_dir,
            partitions=int(env.get("ROADWARRIOR_PARTITIONS", "4")),
            web_host=env.get("ROADWARRIOR_WEB_HOST", "127.0.0.1"),
            web_port=int(env.get("ROADWARRIOR_WEB_PORT", "6066")),
            # The host is also the canonical URL other workers route to; containers bind 0.0.0.0.
            web_bind=env.get("ROADWARRIOR_WEB_BIND") or env.get("ROADWARRIOR_WEB_HOST", "127.0.0.1"),
            redis_url=env.get("ROADWARRIOR_REDIS_URL") or None,
            # The Tansu workarounds (../shared/BROKER.md) are one switch, on by default only for the
            # embedded broker; production on Apache Kafka sets ROADWARRIOR_EMBEDDED_BROKER=0.
            embedded_broker=env.get("ROADWARRIOR_EMBEDDED_BROKER", "1") == "1",
            jwt_secret=env.get("ROADWARRIOR_JWT_SECRET") or _dev_secret(data_dir, "jwt-secret"),
            admin_email=env.get("ROADWARRIOR_ADMIN_EMAIL") or None,
            admin_password=env.get("ROADWARRIOR_ADMIN_PASSWORD") or None,
            request_timeout_s=float(env.get("ROADWARRIOR_REQUEST_TIMEOUT_S", "5")),
            max_body_bytes=int(env.get("ROADWARRIOR_MAX_BODY_BYTES", str(64 * 1024))),
            tracking_cycle_s=float(env.get("ROADWARRIOR_TRACKING_CYCLE_S", "300")),
            tracking_grace_s=float(env.get("ROADWARRIOR_TRACKING_GRACE_S", str(6 * 3600))),
            tracking_tick_s=float(env.get("ROADWARRIOR_TRACKING_TICK_S", "0.25")),
            tracking_checkpoint_s=float(env.get("ROADWARRIOR_TRACKING_CHECKPOINT_S", "2")),
            # Which registered provider answers for flights no reservation names a provider for.
            flight_provider=env.get("ROADWARRIOR_FLIGHT_PROVIDER") or None,
        )

    def faust_options(self) -> dict:
        options = dict(
            broker=self.broker,
            store=self.store,
            datadir=str(self.data_dir),
            topic_partitions=self.partitions,
            web_host=self.web_host,
            web_port=self.web_port,
            web_bind=self.web_bind,
            canonical_url=f"http://{self.web_host}:{self.web_port}",
            web_application_options={"client_max_size": self.max_body_bytes},
            web_stats_enabled=True,
            key_serializer="json",
            value_serializer="json",
            autodiscover=["agents", "web", "commands"],
            origin="faust_app",
            Worker="runtime.worker:Worker",
        )
        if self.embedded_broker:
            options.update(tansu.FAUST_SETTINGS)
        return options


def _dev_secret(data_dir: Path, name: str) -> str:
    """A development secret generated on first start and kept in the data dir (never in the repo)."""
    path = data_dir.parent / "secrets" / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value


settings = Settings.from_env()
if settings.embedded_broker:
    tansu.apply_consumer_workarounds()
    tansu.apply_end_offset_fix()
app = faust.App(APP_ID, **settings.faust_options())
