"""OAuth 2.0 with PKCE for mailboxes: consent URLs, code exchange and refresh against a checking token endpoint."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import replace

import aiohttp
import pytest
from aiohttp import web
from yarl import URL

from integrations.mail.errors import MailCredentialsRejected, MailProtocolError, MailUnavailable
from integrations.mail.oauth import (
    GOOGLE,
    MICROSOFT,
    OAuthApp,
    TokenSource,
    authorization_request,
    code_challenge,
    exchange_code,
    refresh_tokens,
    with_base,
)
from tests.unit.mail.fixtures import FakeAuthorizationServer, consent

CLIENT_ID, REDIRECT = "rw-client", "https://roadwarrior.test/oauth/callback"


class Clock:
    def __init__(self) -> None:
        self.now = time.time()  # consent() stamps expiry with the real clock

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def provider_app(aiohttp_server, provider, *, rotate: bool, secret: str | None = None):
    fake = FakeAuthorizationServer(CLIENT_ID, REDIRECT, rotate_refresh=rotate)
    app = web.Application()
    app.add_routes(fake.routes(URL(provider.authorize_url).path, URL(provider.token_url).path))
    server = await aiohttp_server(app)
    base = with_base(provider, f"http://{server.host}:{server.port}")
    return fake, OAuthApp(base, CLIENT_ID, REDIRECT, client_secret=secret)


def test_the_s256_challenge_is_rfc_7636s_example():
    verifier, challenge = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert code_challenge(verifier) == challenge


def test_the_google_consent_url_asks_for_read_only_mail_offline_with_a_fresh_challenge():
    app = OAuthApp(GOOGLE, CLIENT_ID, REDIRECT, client_secret="s3cret")
    first, second = authorization_request(app, login_hint="traveller@gmail.test"), authorization_request(app)
    url = URL(first.url)
    assert str(url.with_query(None)) == "https://accounts.google.com/o/oauth2/v2/auth"
    assert dict(url.query) == {
        "client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code",
        "scope": "https://www.googleapis.com/auth/gmail.readonly", "state": first.state,
        "code_challenge": code_challenge(first.code_verifier), "code_challenge_method": "S256",
        "access_type": "offline", "prompt": "consent", "login_hint": "traveller@gmail.test"}
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,128}", first.code_verifier)
    assert first.state != second.state and first.code_verifier != second.code_verifier
    assert "s3cret" not in first.url and first.code_verifier not in first.url + repr(first)


def test_the_microsoft_consent_url_uses_the_common_tenant_and_offline_access():
    url = URL(authorization_request(OAuthApp(MICROSOFT, CLIENT_ID, REDIRECT)).url)
    assert url.host == "login.microsoftonline.com" and url.path == "/common/oauth2/v2.0/authorize"
    assert url.query["scope"] == "offline_access https://graph.microsoft.com/Mail.Read"
    assert url.query["response_mode"] == "query"
    moved = with_base(MICROSOFT, "http://127.0.0.1:8080")
    assert moved.token_url == "http://127.0.0.1:8080/common/oauth2/v2.0/token"


async def test_google_code_exchange_proves_the_verifier_and_refresh_keeps_the_refresh_token(aiohttp_server, session):
    fake, app = await provider_app(aiohttp_server, GOOGLE, rotate=False, secret="s3cret")
    tokens = await consent(session, app)
    assert tokens.access_token in fake.access and tokens.refresh_token in fake.refresh
    assert fake.grants[0]["client_secret"] == "s3cret" and "code_verifier" in fake.grants[0]
    assert "access-" not in repr(tokens) and "refresh-" not in repr(tokens)

    renewed = await refresh_tokens(session, app, tokens)
    assert renewed.access_token != tokens.access_token and renewed.refresh_token == tokens.refresh_token
    assert "scope" not in fake.grants[-1]


async def test_a_wrong_verifier_or_a_reused_code_is_refused_without_echoing_it(aiohttp_server, session):
    fake, app = await provider_app(aiohttp_server, GOOGLE, rotate=False)
    request = authorization_request(app)
    async with session.get(request.url, allow_redirects=False) as response:
        code = URL(response.headers["Location"]).query["code"]
    with pytest.raises(MailCredentialsRejected) as raised:
        await exchange_code(session, app, code, "a-verifier-an-attacker-guessed-0123456789abcdef")
    assert "invalid_grant" in str(raised.value) and "attacker" not in str(raised.value)
    with pytest.raises(MailCredentialsRejected):  # the code died with the failed attempt
        await exchange_code(session, app, code, request.code_verifier)


async def test_microsoft_rotates_refresh_tokens_and_asks_for_the_scopes_again(aiohttp_server, session):
    fake, app = await provider_app(aiohttp_server, MICROSOFT, rotate=True)
    tokens = await consent(session, app)
    renewed = await refresh_tokens(session, app, tokens)
    assert renewed.refresh_token != tokens.refresh_token
    assert fake.grants[-1]["scope"] == "offline_access https://graph.microsoft.com/Mail.Read"
    with pytest.raises(MailCredentialsRejected) as raised:
        await refresh_tokens(session, app, tokens)  # the old refresh token died when it was used
    assert raised.value.status == "auth_expired"


async def test_a_token_source_refreshes_before_expiry_once_and_hands_out_the_new_tokens(aiohttp_server, session):
    fake, app = await provider_app(aiohttp_server, MICROSOFT, rotate=True)
    clock, stored = Clock(), []

    async def store(tokens):
        stored.append(tokens)

    source = TokenSource(session, app, await consent(session, app), on_refresh=store, clock=clock)
    first = await source.get()
    assert await source.get() == first and len(fake.grants) == 1

    clock.now += 3599 - 60  # inside the refresh margin
    fresh = await asyncio.gather(*(source.get() for _ in range(5)))
    assert set(fresh) == {stored[0].access_token} and len(stored) == 1 and len(fake.grants) == 2


async def test_a_refused_token_is_replaced_once_however_many_callers_saw_it_refused(aiohttp_server, session):
    fake, app = await provider_app(aiohttp_server, GOOGLE, rotate=False)
    source = TokenSource(session, app, await consent(session, app))
    stale = await source.get()
    fresh = await asyncio.gather(*(source.refused(stale) for _ in range(3)))
    assert len(set(fresh)) == 1 and fresh[0] != stale and len(fake.grants) == 2


async def test_token_endpoint_outages_are_retryable_and_client_errors_are_not(aiohttp_server, session):
    answers = iter([web.json_response({"error": "backend"}, status=503, headers={"Retry-After": "7"}),
                    web.json_response({"error": "invalid_client"}, status=401)])

    async def token(request):
        return next(answers)

    app = web.Application()
    app.router.add_post("/token", token)
    server = await aiohttp_server(app)
    oauth = OAuthApp(replace(GOOGLE, token_url=str(server.make_url("/token"))), CLIENT_ID, REDIRECT)
    with pytest.raises(MailUnavailable) as raised:
        await exchange_code(session, oauth, "code", "verifier")
    assert raised.value.retryable and raised.value.retry_after == 7
    with pytest.raises(MailProtocolError) as raised:
        await exchange_code(session, oauth, "code", "verifier")
    assert not isinstance(raised.value, MailCredentialsRejected) and "invalid_client" in str(raised.value)
