"""The Web Push channel against a local push service that checks VAPID and decrypts the aes128gcm body."""

from __future__ import annotations

import base64
import json
import logging
import os
import re
from datetime import UTC, datetime

import aiohttp
import http_ece
import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from domain.notify.notification import compose
from domain.notify.render import render
from integrations.channels.errors import ChannelCredentialsRejected, DeviceTokenInvalid, PermanentError, RetryableError
from integrations.channels.webpush import WebPushChannel, WebPushConfig
from runtime.i18n import lang

VAPID_HEADER = re.compile(r"^vapid t=(?P<t>[^,\s]+),\s*k=(?P<k>[A-Za-z0-9_-]+)$")
CHANGE = {
    "change_id": "c1", "reservation_id": "r1", "user_id": "u1", "severity": "critical",
    "changes": [{"path": "arrival.airport", "old": "JFK", "new": "BOS", "severity": "critical"}],
    "reservation": {"id": "r1", "type": "flight", "start": "2025-03-04T10:15:00+01:00",
                    "end": "2025-03-04T13:05:00-05:00", "start_time_zone": "Europe/Berlin",
                    "end_time_zone": "America/New_York",
                    "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "BOS"}},
}
STATUSES = {"gone": 410, "missing": 404, "busy": 429, "down": 503, "big": 413, "bad": 400}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def raw_public(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


class Browser:
    """The user agent's half of a subscription: its ECDH key and auth secret."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    def subscription(self, endpoint: str) -> dict:
        return {"endpoint": endpoint, "keys": {"p256dh": b64(raw_public(self.key)), "auth": b64(self.auth)}}


class PushService:
    """Checks what a real push service checks (VAPID JWT for this origin, encoding) and decrypts the body."""

    def __init__(self, browser: Browser, vapid_public: str) -> None:
        self.browser = browser
        self.vapid_public = vapid_public
        self.received: list[dict] = []

    async def push(self, request: web.Request) -> web.Response:
        match = VAPID_HEADER.match(request.headers.get("Authorization", ""))
        if not match or match["k"] != self.vapid_public:
            return web.Response(status=401)
        key = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), base64.urlsafe_b64decode(match["k"] + "=="))
        origin = f"{request.url.scheme}://{request.url.host}:{request.url.port}"
        try:
            claims = jwt.decode(match["t"], key, algorithms=["ES256"], audience=origin)
        except jwt.InvalidTokenError:
            return web.Response(status=403)
        assert claims["sub"] == "mailto:ops@roadwarrior.test"
        assert claims["exp"] - datetime.now(UTC).timestamp() <= 24 * 3600
        assert request.headers["Content-Encoding"] == "aes128gcm"
        status = STATUSES.get(request.match_info["id"])
        if status:
            return web.Response(status=status, headers={"Retry-After": "120"} if status == 429 else {})
        plain = http_ece.decrypt(await request.read(), private_key=self.browser.key, auth_secret=self.browser.auth,
                                 version="aes128gcm")
        self.received.append({"headers": request.headers.copy(), "message": json.loads(plain)})
        return web.Response(status=201, headers={"Location": f"{origin}/messages/m-1"})


@pytest.fixture(scope="module")
def vapid_key():
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    raw = b64(key.private_numbers().private_value.to_bytes(32, "big"))
    return pem, raw, b64(raw_public(key))


@pytest.fixture
async def service(aiohttp_server, vapid_key):
    browser = Browser()
    fake = PushService(browser, vapid_key[2])
    app = web.Application()
    app.router.add_post("/push/{id}", fake.push)
    server = await aiohttp_server(app)
    fake.endpoint = lambda name="sub-1": str(server.make_url(f"/push/{name}"))
    return fake


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


def channel(session, key: str) -> WebPushChannel:
    return WebPushChannel(session, WebPushConfig(key, "mailto:ops@roadwarrior.test", timeout_s=5),
                          clock=lambda: datetime.now(UTC).timestamp())


def note(service, name: str = "sub-1", severity: str = "critical", subscription: dict | None = None):
    change = {**CHANGE, "severity": severity}
    target = {"subscription": subscription or service.browser.subscription(service.endpoint(name))}
    # The push service checks the VAPID token against its real clock, so this test runs on it too.
    return compose(change, "webpush", render(change, lang("es")), datetime.now(UTC), target=target)


@pytest.mark.parametrize("form", ["pem", "raw"])
async def test_delivers_an_encrypted_message_with_vapid(service, session, vapid_key, form):
    sent = note(service)
    result = await channel(session, vapid_key[0 if form == "pem" else 1]).send(sent)
    assert result.status == 201 and result.provider_id.endswith("/messages/m-1")
    [received] = service.received
    assert received["message"] == {
        "title": "LH 400: desviado a BOS", "body": "Tu vuelo LH 400 ha sido desviado a BOS (iba a JFK).",
        "tag": "r1", "lang": "es", "data": sent.data()}
    headers = received["headers"]
    assert headers["Urgency"] == "high"
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", headers["Topic"])
    assert 800 < int(headers["TTL"]) <= 900  # the flight is long over: the 15-minute minimum


async def test_urgency_follows_severity(service, session, vapid_key):
    await channel(session, vapid_key[0]).send(note(service, severity="info"))
    assert service.received[0]["headers"]["Urgency"] == "low"


@pytest.mark.parametrize(("name", "error"), [("gone", DeviceTokenInvalid), ("missing", DeviceTokenInvalid),
                                             ("busy", RetryableError), ("down", RetryableError),
                                             ("big", PermanentError), ("bad", PermanentError)])
async def test_push_service_answers(service, session, vapid_key, name, error):
    with pytest.raises(error) as caught:
        await channel(session, vapid_key[0]).send(note(service, name))
    assert type(caught.value) is error and "/push/" not in str(caught.value)
    if name == "busy":
        assert caught.value.retry_after == 120.0


async def test_a_vapid_key_the_service_does_not_know_is_an_auth_error(service, session):
    stranger = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    with pytest.raises(ChannelCredentialsRejected):
        await channel(session, stranger).send(note(service))


async def test_a_subscription_with_broken_keys_is_invalid(service, session, vapid_key):
    broken = {"endpoint": service.endpoint(), "keys": {"auth": b64(os.urandom(16))}}
    with pytest.raises(DeviceTokenInvalid):
        await channel(session, vapid_key[0]).send(note(service, subscription=broken))


async def test_no_push_service_is_retryable(service, session, vapid_key, unused_tcp_port):
    dead = service.browser.subscription(f"http://127.0.0.1:{unused_tcp_port}/push/x")
    with pytest.raises(RetryableError):
        await channel(session, vapid_key[0]).send(note(service, subscription=dead))


async def test_endpoints_stay_out_of_log_lines(service, session, vapid_key, caplog):
    caplog.set_level(logging.DEBUG, logger="integrations")
    await channel(session, vapid_key[0]).send(note(service))
    with pytest.raises(DeviceTokenInvalid):
        await channel(session, vapid_key[0]).send(note(service, "gone"))
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("integrations")]
    assert len(ours) == 2 and all("/push/" not in line for line in ours)
