"""The FCM channel against a local server playing Google's token endpoint and the FCM HTTP v1 API."""

from __future__ import annotations

import itertools
import logging
from datetime import UTC, datetime

import aiohttp
import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.notify.notification import compose
from domain.notify.render import render
from integrations.channels.errors import ChannelCredentialsRejected, DeviceTokenInvalid, PermanentError, RetryableError
from integrations.channels.fcm import FcmChannel, FcmConfig
from integrations.channels.google_auth import FCM_SCOPE, GRANT_TYPE, ServiceAccount
from runtime.i18n import lang

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
DEVICE = "dGhpcy1pcy1hLWRldmljZS10b2tlbg"
CHANGE = {
    "change_id": "c1", "reservation_id": "r1", "user_id": "u1", "severity": "critical",
    "changes": [{"path": "status", "old": "scheduled", "new": "cancelled", "severity": "critical"}],
    "reservation": {"id": "r1", "type": "flight", "start": "2025-03-04T10:15:00+01:00",
                    "end": "2025-03-04T13:05:00-05:00", "start_time_zone": "Europe/Berlin",
                    "end_time_zone": "America/New_York",
                    "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}},
}


def fcm_error(status: int, code: str, *, token_violation: bool = False) -> web.Response:
    details = [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code}]
    if token_violation:
        details.append({"@type": "type.googleapis.com/google.rpc.BadRequest",
                        "fieldViolations": [{"field": "message.token", "description": "Invalid registration token"}]})
    status_name = {400: "INVALID_ARGUMENT", 404: "NOT_FOUND", 403: "PERMISSION_DENIED", 429: "RESOURCE_EXHAUSTED",
                   503: "UNAVAILABLE"}[status]
    body = {"error": {"code": status, "message": f"echo of {DEVICE}", "status": status_name, "details": details}}
    return web.json_response(body, status=status, headers={"Retry-After": "30"} if status in (429, 503) else {})


class Google:
    """Token endpoint and FCM API in one aiohttp app, checking what a real one checks."""

    def __init__(self, public_key) -> None:
        self.public_key = public_key
        self.token_requests = 0
        self.sent: list[dict] = []
        self.tokens = (f"ya29.token-{i}" for i in itertools.count(1))
        self.valid: set[str] = set()
        self.revoke_next = False

    async def token(self, request: web.Request) -> web.Response:
        form = await request.post()
        assert form["grant_type"] == GRANT_TYPE
        try:
            claims = jwt.decode(form["assertion"], self.public_key, algorithms=["RS256"],
                                audience=str(request.url), options={"verify_iat": False, "verify_exp": False})
        except jwt.InvalidTokenError:
            return web.json_response({"error": "invalid_grant", "error_description": "Invalid JWT"}, status=400)
        assert claims["iss"] == "robot@project.iam.gserviceaccount.com" and claims["scope"] == FCM_SCOPE
        assert claims["exp"] - claims["iat"] == 3600
        assert jwt.get_unverified_header(form["assertion"])["kid"] == "key-1"
        self.token_requests += 1
        token = next(self.tokens)
        self.valid.add(token)
        return web.json_response({"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    async def send(self, request: web.Request) -> web.Response:
        assert request.match_info["project"] == "road-warrior"
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if bearer not in self.valid or self.revoke_next:
            self.revoke_next = False
            self.valid.discard(bearer)
            return web.json_response({"error": {"code": 401, "status": "UNAUTHENTICATED"}}, status=401)
        body = await request.json()
        device = body["message"]["token"]
        self.sent.append(body)
        return {
            "gone": lambda: fcm_error(404, "UNREGISTERED"),
            "garbled": lambda: fcm_error(400, "INVALID_ARGUMENT", token_violation=True),
            "other-app": lambda: fcm_error(403, "SENDER_ID_MISMATCH"),
            "bad-payload": lambda: fcm_error(400, "INVALID_ARGUMENT"),
            "quota": lambda: fcm_error(429, "QUOTA_EXCEEDED"),
            "down": lambda: fcm_error(503, "UNAVAILABLE"),
            "apns-auth": lambda: fcm_error(403, "THIRD_PARTY_AUTH_ERROR"),
        }.get(device, lambda: web.json_response({"name": "projects/road-warrior/messages/0:1500415314455276"}))()


@pytest.fixture(scope="module")
def key_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return pem, key.public_key()


class Clock:
    def __init__(self) -> None:
        self.now = NOW.timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def google(aiohttp_server, key_pair):
    fake = Google(key_pair[1])
    app = web.Application()
    app.router.add_post("/token", fake.token)
    app.router.add_post("/v1/projects/{project}/messages:send", fake.send)
    server = await aiohttp_server(app)
    fake.base = str(server.make_url("")).rstrip("/")
    return fake


@pytest.fixture
async def channel(google, key_pair):
    account = ServiceAccount.from_info({"client_email": "robot@project.iam.gserviceaccount.com",
                                        "private_key": key_pair[0], "private_key_id": "key-1",
                                        "token_uri": "https://oauth2.googleapis.com/token"},
                                       token_uri=f"{google.base}/token")
    clock = Clock()
    async with aiohttp.ClientSession() as session:
        yield FcmChannel(session, FcmConfig("road-warrior", account, api_base=google.base), clock=clock), clock


def note(device: str = DEVICE, severity: str = "critical"):
    change = {**CHANGE, "severity": severity}
    return compose(change, "fcm", render(change, lang("fr")), NOW, target={"token": device})


async def test_sends_a_v1_message_with_an_oauth_token(google, channel):
    fcm, _ = channel
    result = await fcm.send(note())
    assert result.provider_id == "projects/road-warrior/messages/0:1500415314455276" and result.status == 200
    [body] = google.sent
    message = body["message"]
    assert message["token"] == DEVICE
    assert message["notification"] == {"title": "LH 400 vers JFK\u00a0: vol annulé",
                                       "body": note().summary}
    assert message["data"]["reservation_id"] == "r1" and message["data"]["severity"] == "critical"
    assert all(isinstance(v, str) for v in message["data"].values())
    assert message["android"]["priority"] == "HIGH" and message["android"]["collapse_key"] == "r1"
    assert message["android"]["ttl"] == "108300s"  # until the flight lands, 2025-03-04T18:05Z: 30 h 5 min


async def test_info_goes_at_normal_priority(google, channel):
    await channel[0].send(note(severity="info"))
    assert google.sent[0]["message"]["android"]["priority"] == "NORMAL"


async def test_the_access_token_is_reused_until_it_nears_expiry(google, channel):
    fcm, clock = channel
    await fcm.send(note())
    await fcm.send(note())
    assert google.token_requests == 1
    clock.now += 3599 - 200  # inside the refresh margin
    await fcm.send(note())
    assert google.token_requests == 2


async def test_a_revoked_access_token_is_replaced_once(google, channel):
    fcm, _ = channel
    await fcm.send(note())
    google.revoke_next = True
    result = await fcm.send(note())
    assert result.status == 200 and google.token_requests == 2


@pytest.mark.parametrize(("device", "error", "reason"), [
    ("gone", DeviceTokenInvalid, "UNREGISTERED"),
    ("garbled", DeviceTokenInvalid, "INVALID_ARGUMENT"),
    ("other-app", DeviceTokenInvalid, "SENDER_ID_MISMATCH"),
    ("bad-payload", PermanentError, "INVALID_ARGUMENT"),
    ("apns-auth", ChannelCredentialsRejected, "THIRD_PARTY_AUTH_ERROR"),
    ("quota", RetryableError, "QUOTA_EXCEEDED"),
    ("down", RetryableError, "UNAVAILABLE"),
])
async def test_errors(google, channel, device, error, reason):
    with pytest.raises(error) as caught:
        await channel[0].send(note(device))
    assert type(caught.value) is error and caught.value.reason == reason
    assert DEVICE not in str(caught.value) and device not in str(caught.value)
    if error is RetryableError:
        assert caught.value.retry_after == 30.0


async def test_a_refused_service_account_is_an_auth_error(google, key_pair):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    account = ServiceAccount("robot@project.iam.gserviceaccount.com", other, "key-1", f"{google.base}/token")
    async with aiohttp.ClientSession() as session:
        with pytest.raises(ChannelCredentialsRejected) as caught:
            await FcmChannel(session, FcmConfig("road-warrior", account, api_base=google.base)).send(note())
    assert caught.value.reason == "invalid_grant"
    assert "PRIVATE KEY" not in repr(account)


async def test_no_server_is_retryable(key_pair, unused_tcp_port):
    account = ServiceAccount("robot@x", key_pair[0], "key-1", f"http://127.0.0.1:{unused_tcp_port}/token")
    async with aiohttp.ClientSession() as session:
        fcm = FcmChannel(session, FcmConfig("road-warrior", account, api_base=f"http://127.0.0.1:{unused_tcp_port}"))
        with pytest.raises(RetryableError):
            await fcm.send(note())


async def test_tokens_stay_out_of_log_lines(google, channel, caplog):
    caplog.set_level(logging.DEBUG, logger="integrations")
    await channel[0].send(note())
    with pytest.raises(DeviceTokenInvalid):
        await channel[0].send(note("gone"))
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("integrations")]
    assert len(ours) == 2 and all(DEVICE not in line and "ya29" not in line for line in ours)
