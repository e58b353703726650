"""What the notification integration tests share: a real SMTP server, a local push service, SSE clients."""

from __future__ import annotations

import asyncio
import base64
import email
import json
import uuid
from email import policy

import http_ece
import orjson
import pytest
from aiohttp import web
from aiokafka import AIOKafkaProducer
from aiosmtpd.smtp import SMTP
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from domain.common.timestamps import now_iso
from tests.integration.conftest import TRIP_DAY, Api
from tests.unit.notify.test_hub import redis_server  # noqa: F401 (a fixture for the tests here)

pytestmark = pytest.mark.integration
VAPID_KEY = base64.urlsafe_b64encode(ec.generate_private_key(ec.SECP256R1()).private_numbers()
                                     .private_value.to_bytes(32, "big")).rstrip(b"=").decode()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Mailbox:
    """An aiosmtpd handler keeping every message; ``on_data`` runs before it answers (to kill the sender)."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.on_data = None
        self.arrived = asyncio.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        self.arrived.set()
        if self.on_data is not None:
            await self.on_data()
        return "250 OK"

    def with_id(self, notification_id: str) -> list:
        return [m for m in self.messages if notification_id in m["Message-ID"]]


class PushService:
    """FCM's token endpoint and HTTP v1 API, and a Web Push endpoint that decrypts what it gets."""

    def __init__(self) -> None:
        self.fcm: list[dict] = []
        self.webpush: list[dict] = []
        self.browser_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"0123456789abcdef"

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/token", self.token)
        app.router.add_post("/v1/projects/{project}/messages:send", self.send)
        app.router.add_post("/wp/{browser}", self.push)
        return app

    async def token(self, request: web.Request) -> web.Response:
        return web.json_response({"access_token": "ya29.local", "expires_in": 3600, "token_type": "Bearer"})

    async def send(self, request: web.Request) -> web.Response:
        self.fcm.append((await request.json())["message"])
        return web.json_response({"name": f"projects/p/messages/{len(self.fcm)}"})

    async def push(self, request: web.Request) -> web.Response:
        plain = http_ece.decrypt(await request.read(), private_key=self.browser_key, auth_secret=self.auth,
                                 version="aes128gcm")
        self.webpush.append(json.loads(plain))
        return web.Response(status=201)

    def subscription(self, base: str) -> dict:
        public = self.browser_key.public_key().public_bytes(serialization.Encoding.X962,
                                                            serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": f"{base}/wp/{uuid.uuid4().hex}", "keys": {"p256dh": b64(public), "auth": b64(self.auth)}}


@pytest.fixture
async def mailbox():
    box = Mailbox()
    server = await asyncio.get_running_loop().create_server(lambda: SMTP(box, hostname="mx.test"), "127.0.0.1", 0)
    box.port = server.sockets[0].getsockname()[1]
    yield box
    server.close()


@pytest.fixture
async def push(aiohttp_server):
    service = PushService()
    server = await aiohttp_server(service.app())
    service.base = str(server.make_url("")).rstrip("/")
    return service


def notifying_env(mailbox: Mailbox, push: PushService, tmp_path, redis_url: str | None) -> dict:
    """Worker settings pointing every channel at the local servers; bursts gather for one second only."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    account = tmp_path / "service-account.json"
    account.write_text(json.dumps({"client_email": "rw@test.iam", "token_uri": f"{push.base}/token",
                                   "private_key": key.private_bytes(serialization.Encoding.PEM,
                                                                    serialization.PrivateFormat.PKCS8,
                                                                    serialization.NoEncryption()).decode()}))
    env = {"ROADWARRIOR_SMTP_HOST": "127.0.0.1", "ROADWARRIOR_SMTP_PORT": str(mailbox.port),
           "ROADWARRIOR_SMTP_TLS": "none", "ROADWARRIOR_FCM_PROJECT": "rw-test",
           "ROADWARRIOR_FCM_SERVICE_ACCOUNT_FILE": str(account), "ROADWARRIOR_FCM_API_BASE": push.base,
           "ROADWARRIOR_VAPID_PRIVATE_KEY": VAPID_KEY, "ROADWARRIOR_NOTIFY_COLLAPSE_S": "1",
           "ROADWARRIOR_NOTIFY_TICK_S": "0.1"}
    if redis_url:
        env["ROADWARRIOR_REDIS_URL"] = redis_url
    return env


async def traveller(api: Api, push: PushService, locale: str = "de", quiet_hours: bool = True) -> dict:
    """A signed-up, logged-in traveller with an Android phone and a browser subscribed to Web Push for delays.

    With ``quiet_hours`` False she has none: a test that waits for an e-mail or a push must pass at any hour,
    and the default quiet hours (22:00-07:00 in her Berlin time) would hold them until morning.
    """
    email_address = f"ann-{uuid.uuid4().hex[:8]}@example.com"
    status, user, _ = await api.call("POST", "/api/v1/auth/signup", {
        "email": email_address, "password": "correct horse battery", "name": "Ann", "locale": locale,
        "time_zone": "Europe/Berlin"})
    assert status == 201, user
    status, tokens, _ = await api.call("POST", "/api/v1/auth/login",
                                       {"email": email_address, "password": "correct horse battery"})
    api.token = tokens["access_token"]
    for device in ({"kind": "fcm", "token": "android-" + uuid.uuid4().hex},
                   {"kind": "webpush", "subscription": push.subscription(push.base)}):
        status, body, _ = await api.call("POST", "/api/v1/me/devices", device)
        assert status == 201, body
    # Web Push is for critical news by default; this traveller wants delays there too.
    wanted = {"channels": {"webpush": {"major": True}}, **({} if quiet_hours else {"quiet_hours": None})}
    status, prefs, _ = await api.call("PUT", "/api/v1/me/notification-preferences", wanted)
    assert status == 200 and prefs["channels"]["webpush"] == {"critical": True, "major": True, "info": False}
    assert (prefs["quiet_hours"] is not None) == quiet_hours
    return {**user, "email": email_address}


def delay(reservation_id: str, user_id: str, minute: int) -> dict:
    """A provider's change event: the departure now estimated at 09:<minute> Frankfurt time."""
    return {"schema_version": 1, "change_id": str(uuid.uuid4()), "reservation_id": reservation_id,
            "user_id": user_id, "subject": f"flight:LH400:{TRIP_DAY}", "provider": "test", "source": "push",
            "severity": "major", "changes": [{"path": "departure.estimated", "old": f"{TRIP_DAY}T08:30:00+01:00",
                                              "new": f"{TRIP_DAY}T09:{minute:02d}:00+01:00", "severity": "major"}],
            "detected_at": now_iso(),
            "provider_changed_at": None}


async def inject(cluster, change: dict) -> None:
    """Put a change on reservation-changes as tracking would (JSON key: the reservation ID)."""
    producer = AIOKafkaProducer(bootstrap_servers=cluster.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(cluster.topic("reservation-changes"), key=orjson.dumps(change["reservation_id"]),
                                     value=orjson.dumps(change))
    finally:
        await producer.stop()


class SseClient:
    """An EventSource-like reader: events as dicts, with their IDs, from GET /api/v1/notifications/stream."""

    def __init__(self, http, base: str, token: str, last_event_id: int | None = None) -> None:
        self.http, self.url, self.events = http, base + "/api/v1/notifications/stream", asyncio.Queue()
        self.headers = {"Authorization": f"Bearer {token}"}
        if last_event_id is not None:
            self.headers["Last-Event-ID"] = str(last_event_id)
        self.task: asyncio.Task | None = None
        self.connected = asyncio.Event()

    async def __aenter__(self) -> SseClient:
        self.task = asyncio.create_task(self._read())
        await asyncio.wait_for(self.connected.wait(), 20)
        return self

    async def __aexit__(self, *exc) -> None:
        self.task.cancel()

    async def _read(self) -> None:
        async with self.http.get(self.url, headers=self.headers, timeout=None) as response:
            assert response.status == 200 and response.content_type == "text/event-stream"
            self.connected.set()
            fields: dict = {}
            async for raw in response.content:
                line = raw.decode().rstrip("\n")
                if not line and "data" in fields:
                    await self.events.put({**json.loads(fields["data"]), "event_id": int(fields["id"])})
                    fields = {}
                elif line and not line.startswith(":"):
                    name, _, value = line.partition(": ")
                    fields[name] = value

    async def next(self, timeout_s: float = 30) -> dict:
        return await asyncio.wait_for(self.events.get(), timeout_s)
