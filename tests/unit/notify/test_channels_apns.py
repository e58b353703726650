"""The APNs channel against a local HTTP/2-over-TLS server (hypercorn) playing api.push.apple.com."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import json
import logging
import socket
import ssl
from datetime import UTC, datetime

import httpx
import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypercorn.asyncio import serve
from hypercorn.config import Config

from domain.notify.notification import compose
from domain.notify.render import render
from integrations.channels.apns import PAYLOAD_LIMIT, ApnsChannel, ApnsConfig
from integrations.channels.errors import ChannelCredentialsRejected, DeviceTokenInvalid, PermanentError, RetryableError
from runtime.i18n import lang

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
DEVICE = "a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778"
CHANGE = {
    "change_id": "c1", "reservation_id": "r1", "user_id": "u1", "severity": "major",
    "changes": [{"path": "departure.gate", "old": "A10", "new": "B22", "severity": "major"}],
    "reservation": {"id": "r1", "type": "flight", "start": "2025-03-04T10:15:00+01:00",
                    "end": "2025-03-04T13:05:00-05:00", "start_time_zone": "Europe/Berlin",
                    "end_time_zone": "America/New_York",
                    "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}},
}
ANSWERS = {  # device token -> (status, reason)
    "gone": (410, "Unregistered"), "garbled": (400, "BadDeviceToken"), "other-app": (400, "DeviceTokenNotForTopic"),
    "busy": (429, "TooManyRequests"), "down": (503, "ServiceUnavailable"), "huge": (413, "PayloadTooLarge"),
}


class Apple:
    """An ASGI app answering like APNs: checks the provider token and headers, records each request."""

    def __init__(self, public_key) -> None:
        self.public_key = public_key
        self.requests: list[dict] = []
        self.expire_next = False

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.requests.append({"http_version": scope["http_version"], "path": scope["path"], "headers": headers,
                              "body": body})
        status, reason = self.answer(scope["path"].rsplit("/", 1)[1], headers)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"apns-id", headers.get("apns-id", "").encode()),
                                (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": json.dumps({"reason": reason}).encode() if reason else b""})

    def answer(self, device: str, headers: dict) -> tuple[int, str]:
        token = headers.get("authorization", "").removeprefix("bearer ")
        try:
            claims = jwt.decode(token, self.public_key, algorithms=["ES256"])
        except jwt.InvalidTokenError:
            return 403, "InvalidProviderToken"
        if jwt.get_unverified_header(token)["kid"] != "KEY1234567" or claims["iss"] != "TEAM123456":
            return 403, "InvalidProviderToken"
        if self.expire_next:
            self.expire_next = False
            return 403, "ExpiredProviderToken"
        if headers.get("apns-topic") != "com.roadwarrior.app":
            return 400, "BadTopic"
        return ANSWERS.get(device, (200, ""))


def _certificate(key) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.TraditionalOpenSSL,
                                                       serialization.NoEncryption()))
    (folder / "cert.pem").write_bytes(_certificate(key).public_bytes(serialization.Encoding.PEM))
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture(scope="module")
def signing_key():
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return pem, key.public_key()


@pytest.fixture
async def apple(tls_files, signing_key):
    app = Apple(signing_key[1])
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    config = Config()
    config.bind = [f"fd://{listener.detach()}"]
    config.certfile, config.keyfile = str(tls_files[0]), str(tls_files[1])
    stop = asyncio.Event()
    server = asyncio.create_task(serve(app, config, shutdown_trigger=stop.wait))
    app.base_url = f"https://127.0.0.1:{port}"
    yield app
    stop.set()
    await server


class Clock:
    def __init__(self) -> None:
        self.now = NOW.timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def channel(apple, tls_files, signing_key):
    trust = ssl.create_default_context(cafile=str(tls_files[0]))
    config = ApnsConfig(team_id="TEAM123456", key_id="KEY1234567", private_key=signing_key[0],
                        topic="com.roadwarrior.app", base_url=apple.base_url, timeout_s=5)
    clock = Clock()
    async with httpx.AsyncClient(http2=True, verify=trust) as client:
        yield ApnsChannel(client, config, clock=clock), clock


def note(device: str = DEVICE, severity: str = "major", change: dict = CHANGE):
    change = {**change, "severity": severity}
    return compose(change, "apns", render(change, lang("de")), NOW, target={"token": device})


async def test_sends_over_http2_with_provider_token_and_apns_headers(apple, channel):
    sent = note()
    result = await channel[0].send(sent)
    assert result.status == 200 and result.provider_id == sent.notification_id
    [request] = apple.requests
    assert request["http_version"] == "2"
    assert request["path"] == f"/3/device/{DEVICE}"
    headers = request["headers"]
    assert headers["apns-topic"] == "com.roadwarrior.app"
    assert headers["apns-push-type"] == "alert" and headers["apns-priority"] == "10"
    assert headers["apns-expiration"] == str(int(datetime(2025, 3, 4, 18, 5, tzinfo=UTC).timestamp()))
    assert headers["apns-collapse-id"] == "r1" and headers["apns-id"] == sent.notification_id
    body = json.loads(request["body"])
    assert body["aps"]["alert"] == {"title": "LH 400 nach JFK: Gate B22", "body": sent.summary}
    assert body["aps"]["thread-id"] == "r1" and body["aps"]["sound"] == "default"
    assert body["aps"]["interruption-level"] == "active"
    assert body["reservation_id"] == "r1" and body["change_ids"] == "c1"


@pytest.mark.parametrize(("severity", "priority", "level"), [("critical", "10", "time-sensitive"),
                                                              ("info", "5", "passive")])
async def test_priority_follows_severity(apple, channel, severity, priority, level):
    await channel[0].send(note(severity=severity))
    request = apple.requests[0]
    assert request["headers"]["apns-priority"] == priority
    aps = json.loads(request["body"])["aps"]
    assert aps["interruption-level"] == level
    assert ("sound" in aps) == (severity != "info")


async def test_the_provider_token_is_reused_then_renewed(apple, channel):
    apns, clock = channel
    await apns.send(note())
    await apns.send(note())
    clock.now += 51 * 60
    await apns.send(note())
    tokens = [r["headers"]["authorization"] for r in apple.requests]
    assert tokens[0] == tokens[1] != tokens[2]


async def test_an_expired_provider_token_is_renewed_once(apple, channel):
    apns, clock = channel
    await apns.send(note())
    apple.expire_next = True
    clock.now += 60
    assert (await apns.send(note())).status == 200
    assert len(apple.requests) == 3 and apple.requests[1]["headers"]["authorization"] != apple.requests[2][
        "headers"]["authorization"]


@pytest.mark.parametrize(("device", "error", "reason"), [
    ("gone", DeviceTokenInvalid, "Unregistered"), ("garbled", DeviceTokenInvalid, "BadDeviceToken"),
    ("other-app", DeviceTokenInvalid, "DeviceTokenNotForTopic"), ("busy", RetryableError, "TooManyRequests"),
    ("down", RetryableError, "ServiceUnavailable"), ("huge", PermanentError, "PayloadTooLarge"),
])
async def test_errors(apple, channel, device, error, reason):
    with pytest.raises(error) as caught:
        await channel[0].send(note(device))
    assert type(caught.value) is error and caught.value.reason == reason
    assert device not in str(caught.value)


async def test_a_wrong_signing_key_is_an_auth_error(apple, tls_files):
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    config = ApnsConfig("TEAM123456", "KEY1234567", other, "com.roadwarrior.app", apple.base_url)
    async with httpx.AsyncClient(http2=True, verify=ssl.create_default_context(cafile=str(tls_files[0]))) as client:
        with pytest.raises(ChannelCredentialsRejected) as caught:
            await ApnsChannel(client, config).send(note())
    assert caught.value.reason == "InvalidProviderToken"
    assert "PRIVATE" not in repr(config)


async def test_a_long_message_is_cut_to_fit(apple, channel):
    wordy = {**CHANGE, "changes": [{"path": f"remark{i}", "old": "x" * 90, "new": "y" * 90, "severity": "major"}
                                   for i in range(40)]}
    sent = note(change=wordy)
    assert len(sent.summary.encode()) > PAYLOAD_LIMIT
    await channel[0].send(sent)
    body = apple.requests[0]["body"]
    assert len(body) <= PAYLOAD_LIMIT and json.loads(body)["aps"]["alert"]["body"].endswith("…")


async def test_no_server_is_retryable(signing_key, unused_tcp_port):
    config = ApnsConfig("TEAM123456", "KEY1234567", signing_key[0], "com.roadwarrior.app",
                        f"https://127.0.0.1:{unused_tcp_port}")
    async with httpx.AsyncClient(http2=True) as client:
        with pytest.raises(RetryableError):
            await ApnsChannel(client, config).send(note())


async def test_device_tokens_stay_out_of_log_lines(apple, channel, caplog):
    caplog.set_level(logging.DEBUG, logger="integrations")
    await channel[0].send(note())
    with pytest.raises(DeviceTokenInvalid):
        await channel[0].send(note("gone"))
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("integrations")]
    assert len(ours) == 2 and all(DEVICE not in line for line in ours)
