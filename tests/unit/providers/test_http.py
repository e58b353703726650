"""request_json against a local server: every status and transport failure becomes the right ProviderError."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest
from aiohttp import web

from integrations.providers.errors import (
    MalformedResponse,
    ProviderCredentialsRejected,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    UnknownSubject,
)
from integrations.providers.http import request_json

SECRET = "s3cr3t-token-value"


async def _status(request: web.Request) -> web.Response:
    status = int(request.match_info["status"])
    headers = {"Retry-After": request.query["retry"]} if "retry" in request.query else {}
    return web.json_response({"status": status}, status=status, headers=headers)


async def _hang(request: web.Request) -> web.Response:
    await asyncio.sleep(5)
    return web.json_response({})


async def _text(request: web.Request) -> web.Response:
    return web.Response(text="<html>oops</html>", content_type="text/html")


async def _truncated(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    response.content_length = 100
    await response.prepare(request)
    await response.write(b'{"results": [')
    request.transport.close()
    return response


@pytest.fixture
async def server(aiohttp_server):
    app = web.Application()
    app.router.add_get("/status/{status}", _status)
    app.router.add_get("/hang", _hang)
    app.router.add_get("/text", _text)
    app.router.add_get("/truncated", _truncated)
    return await aiohttp_server(app)


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as client:
        yield client


async def _get(session, url, timeout_s=2.0):
    return await request_json(session, "GET", url, provider="test", timeout_s=timeout_s,
                              headers={"Authorization": f"Bearer {SECRET}"})


async def test_success_returns_decoded_json(server, session):
    assert await _get(session, server.make_url("/status/200")) == {"status": 200}


@pytest.mark.parametrize(("status", "error"), [
    (401, ProviderCredentialsRejected), (403, ProviderCredentialsRejected), (404, UnknownSubject), (429, RateLimited),
    (500, ProviderUnavailable), (502, ProviderUnavailable), (503, ProviderUnavailable),
])
async def test_status_maps_to_error(server, session, status, error):
    with pytest.raises(error) as caught:
        await _get(session, server.make_url(f"/status/{status}"))
    assert caught.value.provider == "test"


async def test_other_client_errors_are_plain_provider_errors(server, session):
    with pytest.raises(ProviderError) as caught:
        await _get(session, server.make_url("/status/400"))
    assert type(caught.value) is ProviderError
    assert caught.value.status == 400


async def test_rate_limit_carries_retry_after_seconds(server, session):
    with pytest.raises(RateLimited) as caught:
        await _get(session, server.make_url("/status/429").with_query(retry="30"))
    assert caught.value.retry_after == 30.0
    assert caught.value.retryable


async def test_rate_limit_with_http_date(server, session):
    later = "Wed, 21 Oct 2099 07:28:00 GMT"
    with pytest.raises(RateLimited) as caught:
        await _get(session, server.make_url("/status/429").with_query(retry=later))
    assert caught.value.retry_after > 60 * 60 * 24 * 365


async def test_slow_answer_is_a_timeout(server, session):
    with pytest.raises(ProviderTimeout):
        await _get(session, server.make_url("/hang"), timeout_s=0.2)


async def test_refused_connection_is_unavailable(session):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ProviderUnavailable):
        await _get(session, f"http://127.0.0.1:{port}/anything")


async def test_body_that_is_not_json_is_malformed(server, session):
    with pytest.raises(MalformedResponse):
        await _get(session, server.make_url("/text"))


async def test_body_cut_short_is_malformed(server, session):
    with pytest.raises(MalformedResponse):
        await _get(session, server.make_url("/truncated"))


async def test_messages_never_carry_credentials_or_query(server, session):
    url = server.make_url("/status/401").with_query(client_secret=SECRET)
    with pytest.raises(ProviderCredentialsRejected) as caught:
        await _get(session, url)
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value)
    assert caught.value.__context__ is None  # no aiohttp error (with request headers) chained
    assert "/status/401" in str(caught.value)


@pytest.mark.parametrize(("error", "name"), [
    (ProviderUnavailable, "unavailable"), (ProviderTimeout, "timeout"), (RateLimited, "rate_limited"),
    (MalformedResponse, "invalid_response"), (UnknownSubject, "not_found"),
    (ProviderCredentialsRejected, "unavailable"),
])
def test_errors_name_their_error_snapshot(error, name):
    from domain.tracking.snapshots import ERRORS

    assert error.error == name
    assert name in ERRORS
