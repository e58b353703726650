"""Settings.from_env() and the one faust.App every worker, agent, table and view hangs off."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import faust

from runtime import fetch_wait, monitoring

APP_ID = "roadwarrior"  # the group and changelog names (roadwarrior-<table>-changelog): never changes in production


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
    jwt_secret: str
    admin_email: str | None
    admin_password: str | None
    request_timeout_s: float
    max_body_bytes: int
    producer_linger_ms: float = 2.0   # batch fill wait: more records per produce request for 2 ms at most
    fetch_wait_ms: int = 100          # the worker consumer's fetch wait (runtime/fetch_wait.py says why)
    # Several apps on one broker (the integration tests): each its own consumer group, changelogs and topics.
    app_id: str = APP_ID
    topic_prefix: str = ""
    # at_least_once with idempotent effects; exactly_once was measured and not adopted (README, The broker).
    processing_guarantee: str = "at_least_once"
    # Tracking (agents/tracking/poll_providers.py): every subject once per cycle; ended reservations stop after grace.
    tracking_cycle_s: float = 300.0
    tracking_grace_s: float = 6 * 3600.0
    # track_reservations takes reservation events this many at a time, waiting this long at most for more:
    # their subject joins leave as one message per partition (agents/tracking/track_reservations.py).
    tracking_join_batch: int = 1_000
    tracking_join_wait_s: float = 0.05
    tracking_tick_s: float = 0.25
    tracking_checkpoint_s: float = 2.0
    flight_provider: str | None = None
    # E-mail discovery (agents/mail/poll_mailboxes.py): each mailbox once per cycle; secrets sealed at rest.
    mail_poll_s: float = 300.0
    secrets_keys: str = ""
    mail_ca_file: str | None = None
    mail_allow_local_hosts: bool = False
    oauth_redirect_uri: str = ""
    google_client_id: str | None = None
    google_client_secret: str | None = None
    google_oauth_url: str | None = None
    gmail_api_url: str | None = None
    microsoft_client_id: str | None = None
    microsoft_client_secret: str | None = None
    microsoft_oauth_url: str | None = None
    graph_api_url: str | None = None

    # Notifications: a channel is on when configured; ROADWARRIOR_NOTIFY_* tune the notifier.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_sender: str = "Road Warrior <trips@roadwarrior.example>"
    smtp_tls: str = "auto"  # auto (STARTTLS when offered) | starttls | tls | none
    fcm_project: str | None = None
    fcm_service_account_file: str | None = None
    fcm_api_base: str = "https://fcm.googleapis.com"
    apns_key_file: str | None = None
    apns_team_id: str | None = None
    apns_key_id: str | None = None
    apns_topic: str | None = None
    apns_base_url: str = "https://api.push.apple.com"
    vapid_private_key: str = ""
    vapid_subject: str = "mailto:ops@roadwarrior.example"
    notify_collapse_s: float = 120.0
    notify_tick_s: float = 0.25
    notify_concurrency: int = 16
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
            producer_linger_ms=float(env.get("ROADWARRIOR_PRODUCER_LINGER_MS", "2")),
            fetch_wait_ms=int(env.get("ROADWARRIOR_FETCH_WAIT_MS", "100")),
            web_host=env.get("ROADWARRIOR_WEB_HOST", "127.0.0.1"),
            web_port=int(env.get("ROADWARRIOR_WEB_PORT", "6066")),
            # The host is also the canonical URL other workers route to; containers bind 0.0.0.0.
            web_bind=env.get("ROADWARRIOR_WEB_BIND") or env.get("ROADWARRIOR_WEB_HOST", "127.0.0.1"),
            redis_url=env.get("ROADWARRIOR_REDIS_URL") or None,
            app_id=env.get("ROADWARRIOR_APP_ID") or APP_ID,
            topic_prefix=env.get("ROADWARRIOR_TOPIC_PREFIX", ""),
            processing_guarantee=env.get("ROADWARRIOR_PROCESSING_GUARANTEE") or "at_least_once",
            jwt_secret=env.get("ROADWARRIOR_JWT_SECRET") or _dev_secret(data_dir, "jwt-secret"),
            admin_email=env.get("ROADWARRIOR_ADMIN_EMAIL") or None,
            admin_password=env.get("ROADWARRIOR_ADMIN_PASSWORD") or None,
            request_timeout_s=float(env.get("ROADWARRIOR_REQUEST_TIMEOUT_S", "5")),
            max_body_bytes=int(env.get("ROADWARRIOR_MAX_BODY_BYTES", str(64 * 1024))),
            tracking_cycle_s=float(env.get("ROADWARRIOR_TRACKING_CYCLE_S", "300")),
            tracking_grace_s=float(env.get("ROADWARRIOR_TRACKING_GRACE_S", str(6 * 3600))),
            tracking_join_batch=max(1, int(env.get("ROADWARRIOR_TRACKING_JOIN_BATCH", "1000"))),
            tracking_join_wait_s=float(env.get("ROADWARRIOR_TRACKING_JOIN_WAIT_S", "0.05")),
            tracking_tick_s=float(env.get("ROADWARRIOR_TRACKING_TICK_S", "0.25")),
            tracking_checkpoint_s=float(env.get("ROADWARRIOR_TRACKING_CHECKPOINT_S", "2")),
            # Which registered provider answers for flights no reservation names a provider for.
            flight_provider=env.get("ROADWARRIOR_FLIGHT_PROVIDER") or None,
            mail_poll_s=float(env.get("ROADWARRIOR_MAIL_POLL_S", "300")),
            # Comma-separated keys, the current one first (domain/mail/secrets_box.py); every worker needs the same.
            secrets_keys=env.get("ROADWARRIOR_SECRETS_KEYS") or _dev_secrets_key(data_dir),
            mail_ca_file=env.get("ROADWARRIOR_MAIL_CA_FILE") or None,  # tests: trust a self-signed IMAP server
            mail_allow_local_hosts=env.get("ROADWARRIOR_MAIL_ALLOW_LOCAL_HOSTS", "0") == "1",
            oauth_redirect_uri=env.get("ROADWARRIOR_OAUTH_REDIRECT_URI") or
            f"http://{env.get('ROADWARRIOR_WEB_HOST', '127.0.0.1')}:{env.get('ROADWARRIOR_WEB_PORT', '6066')}"
            "/api/v1/oauth/callback",
            google_client_id=env.get("ROADWARRIOR_GOOGLE_CLIENT_ID") or None,
            google_client_secret=env.get("ROADWARRIOR_GOOGLE_CLIENT_SECRET") or None,
            google_oauth_url=env.get("ROADWARRIOR_GOOGLE_OAUTH_URL") or None,
            gmail_api_url=env.get("ROADWARRIOR_GMAIL_API_URL") or None,
            microsoft_client_id=env.get("ROADWARRIOR_MICROSOFT_CLIENT_ID") or None,
            microsoft_client_secret=env.get("ROADWARRIOR_MICROSOFT_CLIENT_SECRET") or None,
            microsoft_oauth_url=env.get("ROADWARRIOR_MICROSOFT_OAUTH_URL") or None,
            graph_api_url=env.get("ROADWARRIOR_GRAPH_API_URL") or None,
            smtp_host=env.get("ROADWARRIOR_SMTP_HOST") or None,
            smtp_port=int(env.get("ROADWARRIOR_SMTP_PORT", "25")),
            smtp_user=env.get("ROADWARRIOR_SMTP_USER") or None,
            smtp_password=env.get("ROADWARRIOR_SMTP_PASSWORD") or None,
            smtp_sender=env.get("ROADWARRIOR_SMTP_SENDER") or "Road Warrior <trips@roadwarrior.example>",
            smtp_tls=env.get("ROADWARRIOR_SMTP_TLS", "auto"),
            fcm_project=env.get("ROADWARRIOR_FCM_PROJECT") or None,
            fcm_service_account_file=env.get("ROADWARRIOR_FCM_SERVICE_ACCOUNT_FILE") or None,
            fcm_api_base=env.get("ROADWARRIOR_FCM_API_BASE") or "https://fcm.googleapis.com",
            apns_key_file=env.get("ROADWARRIOR_APNS_KEY_FILE") or None,
            apns_team_id=env.get("ROADWARRIOR_APNS_TEAM_ID") or None,
            apns_key_id=env.get("ROADWARRIOR_APNS_KEY_ID") or None,
            apns_topic=env.get("ROADWARRIOR_APNS_TOPIC") or None,
            apns_base_url=env.get("ROADWARRIOR_APNS_BASE_URL") or "https://api.push.apple.com",
            # Browsers subscribe with the public half: every worker needs the same key (dev: generated).
            vapid_private_key=env.get("ROADWARRIOR_VAPID_PRIVATE_KEY") or _dev_vapid_key(data_dir),
            vapid_subject=env.get("ROADWARRIOR_VAPID_SUBJECT") or "mailto:ops@roadwarrior.example",
            notify_collapse_s=float(env.get("ROADWARRIOR_NOTIFY_COLLAPSE_S", "120")),
            notify_tick_s=float(env.get("ROADWARRIOR_NOTIFY_TICK_S", "0.25")),
            notify_concurrency=int(env.get("ROADWARRIOR_NOTIFY_CONCURRENCY", "16")),
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
            # Faust's /table/ pages print any table to anyone who reaches the port, the API's port: password
            # hashes, e-mail addresses, sessions. Ops read state through /metrics and the admin endpoints.
            web_tables_enabled=False,
            producer_linger=self.producer_linger_ms / 1000,
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
            processing_guarantee=self.processing_guarantee,
        )
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


def _dev_secrets_key(data_dir: Path) -> str:
    """A development key for sealing mailbox secrets: 32 bytes derived from a generated dev secret."""
    digest = hashlib.sha256(_dev_secret(data_dir, "mail-secrets").encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _dev_vapid_key(data_dir: Path) -> str:
    """A development VAPID key (P-256, base64url of the raw private value), generated once beside the data dir."""
    path = data_dir.parent / "secrets" / "vapid-private-key"
    if path.exists():
        return path.read_text().strip()
    from cryptography.hazmat.primitives.asymmetric import ec

    raw = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value.to_bytes(32, "big")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(base64.urlsafe_b64encode(raw).rstrip(b"=").decode())
    path.chmod(0o600)
    return path.read_text().strip()


settings = Settings.from_env()
fetch_wait.apply(settings.fetch_wait_ms)
app = faust.App(settings.app_id, **settings.faust_options())
monitoring.install(app)   # Faust's stream metrics beside ours on /metrics
